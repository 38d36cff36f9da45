import * as kplus from 'cdk8s-plus-28';
import {
  actuatorTakeOut, checkHostPort, checkName, checkSecret, consumerPath, POD_IP_VAR, queryString, readOptions, ref,
  RegistryBinding, RegistryContext, RegistryOptions, TakeOutPlan, readProps,
} from './adapter';
import { factRef, RegistryFacts } from './facts';
import { RegistryModule } from './module';
import { invalidProp, show } from '../errors';
import { ManagedVariable, springEnvName } from '../spring/env';

/**
 * Nacos server generation: decides how changes reach consumers.
 */
export enum NacosVersion {
  /** Nacos 1.x: UDP push, else clients poll every `cacheMillis` (up to 10 s). */
  V1 = 'v1',
  /** Nacos 2.x: gRPC push, sub-second. Nacos 3.x serves the v1/v2 open API only with its legacy adapter plugin. */
  V2 = 'v2',
}

/**
 * Nacos open API credentials, always from a Secret.
 */
export class NacosAuth {
  /**
   * Log in with a username and password (`POST /nacos/v1/auth/login`) and use the returned accessToken.
   * The application gets the same Secret keys (`spring.cloud.nacos.discovery.username/password`).
   */
  public static login(username: kplus.SecretValue, password: kplus.SecretValue): NacosAuth {
    return new NacosAuth(checkSecret('openApi.auth.login(username)', username), checkSecret('openApi.auth.login(password)', password), undefined);
  }

  /**
   * A ready accessToken (e.g. a long-lived token of a dedicated Nacos user).
   */
  public static accessToken(token: kplus.SecretValue): NacosAuth {
    return new NacosAuth(undefined, undefined, checkSecret('openApi.auth.accessToken(token)', token));
  }

  private constructor(
    /** @internal */ public readonly _username?: kplus.SecretValue,
    /** @internal */ public readonly _password?: kplus.SecretValue,
    /** @internal */ public readonly _token?: kplus.SecretValue,
  ) {}
}

/**
 * Take the instance out through the Nacos open API (`PUT /nacos/v{1,2}/ns/instance … enabled=false`) instead
 * of in-process. Never a DELETE: a live ephemeral instance is re-registered by its own client at once.
 */
export interface NacosOpenApiProps {
  /**
   * Nacos server `host:port`, as in `spring.cloud.nacos.discovery.server-addr`.
   */
  readonly serverAddr: string;

  /**
   * Service name (`spring.cloud.nacos.discovery.service`, usually `spring.application.name`).
   */
  readonly serviceName: string;

  /**
   * Namespace id. Given, it is also set on the application (`SPRING_CLOUD_NACOS_DISCOVERY_NAMESPACE`); left
   * out, the application keeps its own setting and the take-out names Nacos' default namespace: if the
   * application's configuration names another one, give it here too.
   *
   * @default 'public' (in the take-out only; Spring Cloud Alibaba's default, an empty namespace, is public)
   */
  readonly namespace?: string;

  /**
   * Group. Given, it is also set on the application (`SPRING_CLOUD_NACOS_DISCOVERY_GROUP`); left out, the
   * application keeps its own setting and the take-out names the default group.
   *
   * @default 'DEFAULT_GROUP' (in the take-out only; Spring Cloud Alibaba's default)
   */
  readonly group?: string;

  /**
   * Cluster name. Given, it is also set on the application (`SPRING_CLOUD_NACOS_DISCOVERY_CLUSTERNAME`);
   * left out, the application keeps its own setting and the take-out names the default cluster.
   *
   * @default 'DEFAULT' (in the take-out only; Spring Cloud Alibaba's default)
   * @see https://github.com/alibaba/spring-cloud-alibaba/blob/2023.x/spring-cloud-alibaba-starters/spring-cloud-starter-alibaba-nacos-discovery/src/main/java/com/alibaba/cloud/nacos/NacosDiscoveryProperties.java
   */
  readonly cluster?: string;

  /**
   * Credentials when the server has auth enabled.
   *
   * @default - no auth
   */
  readonly auth?: NacosAuth;
}

/**
 * Props of `Registry.nacos()`.
 */
export interface NacosRegistryProps extends RegistryOptions {
  /**
   * Nacos server generation.
   *
   * @default NacosVersion.V2
   */
  readonly version?: NacosVersion;

  /**
   * Take the instance out through the open API from the preStop hook.
   *
   * @default - in-process: `POST /actuator/serviceregistry {"status":"DOWN"}` (Spring Cloud Alibaba sets enabled=false)
   */
  readonly openApi?: NacosOpenApiProps;

  /**
   * Whether the instance is ephemeral. Persistent instances (`false`) are never removed automatically:
   * a killed pod stays listed until someone deletes it.
   *
   * @default true
   */
  readonly ephemeral?: boolean;
}

/** Nacos 2.x / 1.x → consumer. @internal */
function registryPart(version: NacosVersion) {
  return version === NacosVersion.V1
    ? { ms: RegistryFacts.NACOS_1_PUSH_OR_POLL.toMilliseconds(), what: 'nacos 1.x UDP push or client poll', source: 'nacos SwitchDomain cacheMillis, upper end' }
    : { ms: RegistryFacts.NACOS_2_PUSH.toMilliseconds(), what: 'nacos 2.x gRPC push', source: 'nacos client ServiceInfoUpdateService, sub-second, rounded up' };
}

/** @internal */
export function bindNacos(props: NacosRegistryProps | undefined, ctx: RegistryContext): RegistryBinding {
  const p = readProps('registry', props, 'give e.g. Registry.nacos({ openApi: { … } }) or Registry.nacos()') ?? {};
  const openApi = readProps('registry.openApi', p.openApi, 'give { serverAddr, serviceName } or leave openApi out (in-process take-out)');
  const { cache, callTimeoutSeconds, consumerCacheSeconds } = readOptions('registry', p);
  const version = p.version ?? NacosVersion.V2;
  if (!Object.values(NacosVersion).includes(version)) {
    throw invalidProp('registry.version', show(version), 'is not a Nacos version', 'give NacosVersion.V2 (Nacos 2.x, 3.x with the legacy adapter) or NacosVersion.V1');
  }
  const ephemeral = p.ephemeral ?? true;
  if (typeof ephemeral !== 'boolean') {
    throw invalidProp('registry.ephemeral', show(ephemeral), 'must be true or false', 'leave it out (ephemeral instances)');
  }
  const env: ManagedVariable[] = [];
  if (!ephemeral) {
    // The rule nacos-persistent-instance reports it from this variable (the construct audits what it emits).
    env.push({ name: springEnvName(EPHEMERAL_PROPERTY), value: 'false', owner: 'registry.ephemeral' });
  }

  let takeOut: TakeOutPlan;
  const notes = [];
  if (openApi === undefined) {
    takeOut = actuatorTakeOut('registry', ctx, 'DOWN');
  } else {
    const o = openApi;
    const serverAddr = checkHostPort('registry.openApi.serverAddr', o.serverAddr, 'nacos.infra.svc:8848');
    const serviceName = checkName('registry.openApi.serviceName', o.serviceName, 'orders');
    const namespace = checkName('registry.openApi.namespace', o.namespace ?? 'public', 'public');
    const group = checkName('registry.openApi.group', o.group ?? 'DEFAULT_GROUP', 'DEFAULT_GROUP');
    const cluster = checkName('registry.openApi.cluster', o.cluster ?? 'DEFAULT', 'DEFAULT');
    if (o.auth !== undefined && !(o.auth instanceof NacosAuth)) {
      throw invalidProp('registry.openApi.auth', show(o.auth), 'is not a NacosAuth', 'give NacosAuth.login(username, password) or NacosAuth.accessToken(token)');
    }
    const query = queryString([
      ['serviceName', serviceName], ['groupName', group], ['namespaceId', namespace], ['clusterName', cluster],
      ['ip', ref(POD_IP_VAR)], ['port', String(ctx.appPort)], ['ephemeral', String(ephemeral)], ['enabled', 'false'],
    ]);
    takeOut = {
      description: `PUT /nacos/${version}/ns/instance enabled=false for ${serviceName} at the pod IP:${ctx.appPort} (open API)`,
      call: { method: 'PUT', url: `http://${serverAddr}/nacos/${version}/ns/instance?${query}` },
      login: o.auth?._username && o.auth._password
        ? { url: `http://${serverAddr}/nacos/v1/auth/login`, username: o.auth._username, password: o.auth._password }
        : undefined,
      token: o.auth?._token ? { value: o.auth._token, query: 'accessToken' } : undefined,
    };
    // The application registers exactly what the take-out names: same server, ip, port, and the namespace,
    // group and cluster when given (left out, both sides use Spring Cloud Alibaba's and Nacos' defaults:
    // public, DEFAULT_GROUP, DEFAULT; nothing is emitted that the user did not ask for).
    env.push(
      { name: 'SPRING_CLOUD_NACOS_DISCOVERY_SERVERADDR', value: serverAddr, owner: 'registry.openApi.serverAddr' },
      { name: 'SPRING_CLOUD_NACOS_DISCOVERY_SERVICE', value: serviceName, owner: 'registry.openApi.serviceName' },
      ...(o.namespace !== undefined ? [{ name: 'SPRING_CLOUD_NACOS_DISCOVERY_NAMESPACE', value: namespace, owner: 'registry.openApi.namespace' }] : []),
      ...(o.group !== undefined ? [{ name: 'SPRING_CLOUD_NACOS_DISCOVERY_GROUP', value: group, owner: 'registry.openApi.group' }] : []),
      ...(o.cluster !== undefined ? [{ name: 'SPRING_CLOUD_NACOS_DISCOVERY_CLUSTERNAME', value: cluster, owner: 'registry.openApi.cluster' }] : []),
      { name: 'SPRING_CLOUD_NACOS_DISCOVERY_IP', value: `$(${POD_IP_VAR})`, owner: 'registry.openApi' },
    );
    if (o.auth?._username && o.auth._password) {
      env.push(
        { name: 'SPRING_CLOUD_NACOS_DISCOVERY_USERNAME', value: '', valueFrom: { secret: o.auth._username }, owner: 'registry.openApi.auth' },
        { name: 'SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD', value: '', valueFrom: { secret: o.auth._password }, owner: 'registry.openApi.auth' },
      );
    }
    notes.push({
      label: 'remembered enabled=false',
      text: 'Nacos keeps enabled=false for about 60 s per ip:port after the instance is gone (nacos#14606); a pod that comes back on the same '
        + 'address (StatefulSet, hostNetwork) starts disabled — see docs/registries.md#nacos for re-enabling at start',
    });
  }

  return {
    name: `nacos ${version === NacosVersion.V1 ? '1.x' : '2.x'}`,
    paths: [consumerPath('nacos-consumers', registryPart(version), cache)],
    takeOut,
    env,
    actuatorEndpoints: openApi === undefined ? ['serviceregistry'] : [],
    callTimeoutSeconds,
    consumerCacheSeconds,
    findings: [],
    notes,
  };
}

/** Whether the instance is ephemeral (Spring Cloud Alibaba). */
const EPHEMERAL_PROPERTY = 'spring.cloud.nacos.discovery.ephemeral';
/** The Nacos open API's instance endpoint (v1 and v2). */
const INSTANCE_API = /\/nacos\/v[12]\/ns\/instance/;

/**
 * Nacos: the constructs' `Registry.nacos()` and everything the audit knows about Nacos clients.
 * @internal
 */
export const NACOS: RegistryModule = {
  id: 'nacos',
  label: 'Nacos',
  facts: [factRef('NACOS_2_PUSH'), factRef('NACOS_1_PUSH_OR_POLL')],
  construct: {
    kind: 'nacos',
    factory: 'Registry.nacos()',
    bind: bindNacos,
    docRows: [
      { call: 'Registry.nacos()' },
      { call: 'Registry.nacos({ version: NacosVersion.V1 })', props: { version: NacosVersion.V1 } },
    ],
  },
  audit: {
    recognition: {
      scan: ['spring.cloud.nacos.'],
      includeKeys: ['spring.cloud.nacos.server-addr'],
      includePrefixes: ['spring.cloud.nacos.discovery'],
      ignorePrefixes: ['spring.cloud.nacos.config'],
      weakKeys: /METADATA/,
      hint: 'nacos',
      disabledBy: ['spring.cloud.nacos.discovery.enabled'],
      preStopApis: [{ pattern: INSTANCE_API, evidence: 'its preStop calls the Nacos instance API' }],
    },
    clientNamespace: 'spring.cloud.nacos.',
    serverImages: [/(^|\/)nacos-server([:@/]|$)/i, /(^|\/)nacos\/nacos-server|(^|\/)nacos([:@]|$)/i],
    takeOut: { calls: [/\/instance(\b|\?|\/)/i, /[?&]enabled=false/i], notCalls: [/\/auth\/login/] },
    // The audit cannot tell 1.x from 2.x: it uses 2.x's push and names 1.x's poll.
    propagation: () => ({
      seconds: RegistryFacts.NACOS_2_PUSH.toSeconds(),
      parts: [`Nacos 2.x push ${RegistryFacts.NACOS_2_PUSH.toSeconds()} s (1.x polls: up to ${RegistryFacts.NACOS_1_PUSH_OR_POLL.toSeconds()} s)`],
    }),
    credentialKeys: [
      ...['', 'DISCOVERY_', 'CONFIG_'].flatMap(scope => ['PASSWORD', 'ACCESSKEY', 'SECRETKEY', 'ACCESSTOKEN', 'TOKEN'].map(k => `SPRING_CLOUD_NACOS_${scope}${k}`)),
      'NACOS_PASSWORD', 'NACOS_AUTH_TOKEN',
    ],
    persistentInstance: (c) => {
      const e = c.props.get(EPHEMERAL_PROPERTY);
      if (e && e.value.trim().toLowerCase() === 'false') return { kind: 'property', where: e.where, path: e.path };
      const text = c.preStopText ?? '';
      if (INSTANCE_API.test(text) && /[?&]ephemeral=false/.test(text)) return { kind: 'preStop' };
      return undefined;
    },
  },
};
