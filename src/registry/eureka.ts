import { Duration } from 'cdk8s';
import {
  actuatorTakeOut, checkBaseUrl, checkName, consumerPath, POD_IP_VAR, POD_NAME_VAR, readOptions,
  RegistryBinding, RegistryContext, RegistryOptions, TakeOutPlan, readProps,
} from './adapter';
import { factRef, RegistryFacts } from './facts';
import { ConsumerSetting, RegistryModule, wholeSeconds } from './module';
import { formatMillis, readMillis } from '../shutdown/seconds';
import { ManagedVariable, springEnvName } from '../spring/env';

/**
 * Take the instance out through Eureka's REST API (status override `OUT_OF_SERVICE`) from the preStop hook.
 */
export interface EurekaRestStatusProps {
  /**
   * Eureka server base URL, as in `eureka.client.service-url.defaultZone` (e.g. `http://eureka:8761/eureka`).
   * Without credentials.
   */
  readonly serverUrl: string;

  /**
   * Application name as registered (`spring.application.name`; Eureka upper-cases it).
   */
  readonly appName: string;
}

/**
 * Props of `Registry.eureka()`.
 */
export interface EurekaRegistryProps extends RegistryOptions {
  /**
   * Take the instance out with Eureka's REST status override from the preStop hook.
   *
   * @default - in-process: `POST /actuator/serviceregistry {"status":"OUT_OF_SERVICE"}`
   */
  readonly restStatus?: EurekaRestStatusProps;

  /**
   * Your Eureka servers' read-only response cache refresh (`eureka.server.response-cache-update-interval-ms`).
   *
   * @default Duration.seconds(30) (Eureka server default)
   */
  readonly serverResponseCacheUpdateInterval?: Duration;

  /**
   * Your consumers' registry fetch interval (`eureka.client.registry-fetch-interval-seconds`).
   *
   * @default Duration.seconds(30) (Eureka client default)
   */
  readonly clientRegistryFetchInterval?: Duration;
}

/** @internal */
export function bindEureka(props: EurekaRegistryProps | undefined, ctx: RegistryContext): RegistryBinding {
  const p = readProps('registry', props, 'give e.g. Registry.eureka({ restStatus: { … } }) or Registry.eureka()') ?? {};
  const restStatus = readProps('registry.restStatus', p.restStatus, 'give { serverUrl, appName } or leave restStatus out (in-process take-out)');
  const { cache, callTimeoutSeconds, consumerCacheSeconds } = readOptions('registry', p);
  const serverMs = readMillis('registry.serverResponseCacheUpdateInterval', p.serverResponseCacheUpdateInterval ?? RegistryFacts.EUREKA_SERVER_RESPONSE_CACHE,
    { fix: 'give your servers\' eureka.server.response-cache-update-interval-ms, or leave it out (30 s)' });
  const fetchMs = readMillis('registry.clientRegistryFetchInterval', p.clientRegistryFetchInterval ?? RegistryFacts.EUREKA_CLIENT_FETCH,
    { fix: 'give your consumers\' eureka.client.registry-fetch-interval-seconds, or leave it out (30 s)' });
  const serverSource = p.serverResponseCacheUpdateInterval === undefined ? 'response-cache-update-interval-ms default' : 'declared';
  const fetchSource = p.clientRegistryFetchInterval === undefined ? 'registry-fetch-interval-seconds default' : 'declared';

  // This service is a consumer too: state the (default) only-UP filtering the take-out relies on.
  const env: ManagedVariable[] = [{ name: springEnvName(FILTER_ONLY_UP.property), value: FILTER_ONLY_UP.value }];
  let takeOut: TakeOutPlan;
  if (restStatus === undefined) {
    takeOut = actuatorTakeOut('registry', ctx, 'OUT_OF_SERVICE');
  } else {
    const serverUrl = checkBaseUrl('registry.restStatus.serverUrl', restStatus.serverUrl, 'http://eureka.infra.svc:8761/eureka');
    const appName = checkName('registry.restStatus.appName', restStatus.appName, 'orders');
    takeOut = {
      description: `PUT ${serverUrl}/apps/${appName.toUpperCase()}/<pod name>/status?value=OUT_OF_SERVICE (REST status override)`,
      call: {
        method: 'PUT',
        url: `${serverUrl}/apps/${encodeURIComponent(appName.toUpperCase())}/$(${POD_NAME_VAR})/status?value=OUT_OF_SERVICE`,
      },
    };
    // The instance id is the pod name, set for the application so both sides name the same instance.
    env.push(
      { name: 'EUREKA_CLIENT_SERVICEURL_DEFAULTZONE', value: `${serverUrl}/`, owner: 'registry.restStatus.serverUrl' },
      { name: 'SPRING_APPLICATION_NAME', value: appName, owner: 'registry.restStatus.appName' },
      { name: 'EUREKA_INSTANCE_INSTANCEID', value: `$(${POD_NAME_VAR})`, owner: 'registry.restStatus' },
      { name: 'EUREKA_INSTANCE_PREFERIPADDRESS', value: 'true', owner: 'registry.restStatus' },
      { name: 'EUREKA_INSTANCE_IPADDRESS', value: `$(${POD_IP_VAR})`, owner: 'registry.restStatus' },
    );
  }
  return {
    name: 'eureka',
    paths: [consumerPath('eureka-consumers', {
      ms: serverMs + fetchMs,
      what: 'eureka server cache + client fetch',
      source: `${formatMillis(serverMs)} ${serverSource} + ${formatMillis(fetchMs)} ${fetchSource}`,
    }, cache)],
    takeOut,
    env,
    actuatorEndpoints: restStatus === undefined ? ['serviceregistry'] : [],
    callTimeoutSeconds,
    consumerCacheSeconds,
    findings: [],
    notes: [],
  };
}

/**
 * Consumers must list only UP instances: the take-out is the status OUT_OF_SERVICE, not a removal. Eureka's
 * client filters by default (`filterOnlyUpInstances = true` in EurekaClientConfigBean); a consumer that turns it
 * off keeps calling the instance.
 * @see https://github.com/spring-cloud/spring-cloud-netflix/blob/main/spring-cloud-netflix-eureka-client/src/main/java/org/springframework/cloud/netflix/eureka/EurekaClientConfigBean.java
 */
const FILTER_ONLY_UP: ConsumerSetting = {
  property: 'eureka.client.filter-only-up-instances',
  value: 'true',
  default: { value: 'true', source: 'EurekaClientConfigBean filterOnlyUpInstances' },
  why: 'the take-out is the status OUT_OF_SERVICE, not a removal: only consumers that list UP instances skip it (the Eureka client\'s default, '
    + 'EurekaClientConfigBean filterOnlyUpInstances = true; consumers must not turn it off)',
};

/** Consumers' registry fetch interval, in whole seconds. */
const FETCH_INTERVAL_PROPERTY = 'eureka.client.registry-fetch-interval-seconds';

/**
 * Eureka: the constructs' `Registry.eureka()` and everything the audit knows about Eureka clients.
 * @internal
 */
export const EUREKA: RegistryModule = {
  id: 'eureka',
  label: 'Eureka',
  facts: [factRef('EUREKA_SERVER_RESPONSE_CACHE'), factRef('EUREKA_CLIENT_FETCH')],
  consumerSettings: [FILTER_ONLY_UP],
  construct: {
    kind: 'eureka',
    factory: 'Registry.eureka()',
    bind: bindEureka,
    docRows: [{ call: 'Registry.eureka()' }],
  },
  audit: {
    recognition: {
      scan: ['eureka.client.', 'eureka.instance.'],
      weakKeys: /METADATAMAP/,
      hint: 'eureka',
      // a Eureka server (or any instance) with register-with-eureka=false never registers: nothing to take out
      disabledBy: ['eureka.client.enabled', 'eureka.client.register-with-eureka'],
      preStopApis: [{ pattern: /\/eureka\/(v2\/)?apps\//, evidence: 'its preStop calls the Eureka REST API' }],
    },
    clientNamespace: 'eureka.',
    // Eureka servers are Spring Boot applications built by each team; these names are the common ones (JHipster Registry
    // is a Eureka server with a Config server, https://github.com/jhipster/jhipster-registry)
    serverImages: [/(^|\/)[^/:@]*eureka-?server([:@]|$)/i, /(^|\/)jhipster-registry([:@]|$)/i],
    takeOut: {
      calls: [/[?&]value=OUT_OF_SERVICE/i, /\/status(\b|\?)/i],
      // Eureka's deregistration is a bare DELETE of the instance
      requests: [{ method: 'DELETE', url: /\/eureka\/(v2\/)?apps\/[^/\s]+\/[^/?\s]+/ }],
    },
    // The server's cache is not in the application's manifest: its default. The fetch interval is the
    // application's own setting, read as the consumers' (they usually share it).
    propagationReads: [FETCH_INTERVAL_PROPERTY],
    propagation: (props) => {
      const server = RegistryFacts.EUREKA_SERVER_RESPONSE_CACHE.toSeconds();
      const fetch = props.get(FETCH_INTERVAL_PROPERTY);
      const fetchSeconds = wholeSeconds(fetch) ?? RegistryFacts.EUREKA_CLIENT_FETCH.toSeconds();
      return {
        seconds: server + fetchSeconds,
        parts: [`Eureka server response cache ${server} s`, `client fetch ${fetchSeconds} s${fetch ? ` (${fetch.where})` : ''}`],
      };
    },
    credentialUrlKeys: { pattern: /^EUREKA_CLIENT_SERVICE_?URL_/, what: 'service URL', doc: 'eureka.client.service-url.* with user:password@' },
  },
};
