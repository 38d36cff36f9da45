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
 * Nacos server generation: decides how changes reach consumers and which API takes an instance out.
 */
export enum NacosVersion {
  /** Nacos 1.x: UDP push, else clients poll every `cacheMillis` (up to 10 s). */
  V1 = 'v1',
  /** Nacos 2.x: gRPC push (0.5 s typical, 6.5 s after a failed push). */
  V2 = 'v2',
  /**
   * Nacos 3.x: gRPC push as 2.x. The v1/v2 `PUT …/ns/instance` are admin APIs, rejected (HTTP 410) unless the
   * server sets `nacos.core.api.compatibility.admin.enabled=true` (default false); the open-API take-out uses
   * `PUT /nacos/v3/admin/ns/instance/partial` instead.
   *
   * @see https://github.com/alibaba/nacos/blob/486e19848605bbea24902b26e741a433d912e0a8/core/src/main/java/com/alibaba/nacos/core/controller/compatibility/ApiCompatibilityConfig.java#L60
   */
  V3 = 'v3',
}

/**
 * What Spring Cloud Alibaba's in-process `DOWN` (`POST /actuator/serviceregistry {"status":"DOWN"}`) does, by
 * release line.
 */
export enum SpringCloudAlibabaDown {
  /**
   * Spring Cloud Alibaba ≤ 2023.x: `DOWN` sets `enabled=false` through the client's v1 open API
   * (`NacosServiceRegistry.setStatus` → `NamingMaintainService.updateInstance`). Rejected by a Nacos 3.x server
   * unless its admin-API compatibility is on; the server remembers `enabled=false` for the ip:port.
   *
   * @see https://github.com/alibaba/spring-cloud-alibaba/blob/41b1fd4fd7df3867e2c7b08ac2e8da56eeeec9dc/spring-cloud-alibaba-starters/spring-cloud-starter-alibaba-nacos-discovery/src/main/java/com/alibaba/cloud/nacos/registry/NacosServiceRegistry.java#L141-L150
   */
  SETS_DISABLED = 'sets-disabled',
  /**
   * Spring Cloud Alibaba 2025.0.0: `DOWN` re-registers the instance with `enabled=false`, and it stays online
   * (alibaba/spring-cloud-alibaba#4208): no in-process take-out.
   */
  LEAVES_ONLINE = 'leaves-online',
  /**
   * Spring Cloud Alibaba 2025.1.x (#4219) and 2025.0.x with the backport (#4383): `DOWN` deregisters the
   * instance (over the client's gRPC connection; works on Nacos 3.x, remembers nothing).
   */
  DEREGISTERS = 'deregisters',
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
   * What your Spring Cloud Alibaba release does on the in-process `DOWN` (only read without `openApi`).
   *
   * @default SpringCloudAlibabaDown.SETS_DISABLED (Spring Cloud Alibaba ≤ 2023.x)
   */
  readonly springCloudAlibabaDown?: SpringCloudAlibabaDown;

  /**
   * Your Nacos 3.x server sets `nacos.core.api.compatibility.admin.enabled=true`, so the v1/v2 instance
   * APIs (which Spring Cloud Alibaba ≤ 2023's `DOWN` uses) are accepted. Only read with `NacosVersion.V3`.
   *
   * @default false (Nacos 3.x default)
   */
  readonly adminApiCompatibility?: boolean;

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

/** Nacos 3.x / 2.x / 1.x → consumer. @internal */
function registryPart(version: NacosVersion) {
  return version === NacosVersion.V1
    ? { ms: RegistryFacts.NACOS_1_PUSH_OR_POLL.toMilliseconds(), what: 'nacos 1.x UDP push or client poll', source: 'nacos SwitchDomain cacheMillis, upper end' }
    : {
      ms: RegistryFacts.NACOS_2_PUSH.toMilliseconds(),
      what: `nacos ${version === NacosVersion.V3 ? '3' : '2'}.x gRPC push`,
      source: 'pushTaskDelay 0.5 s + one failed push: pushTaskTimeout 5 s + pushTaskRetryDelay 1 s',
    };
}

/** Where the Nacos client writes its failover snapshot and logs (default under user.home, read-only in the pod). */
const NACOS_CLIENT_DIR = '/tmp/nacos';

/**
 * The re-enable recipe for a remembered `enabled=false` (the take-out wrote it; the server keeps it for the ip:port).
 */
function rememberedNote(path: string) {
  const keep = RegistryFacts.NACOS_EXPIRED_METADATA.toSeconds();
  return {
    label: 'remembered enabled=false',
    text: `${path} writes enabled=false; Nacos keeps it for about ${keep} s per ip:port after the instance is gone `
      + '(nacos.naming.clean.expired-metadata.expired-time, nacos#14606) and re-applies it when the same ip:port registers again — pod IPs are reused. '
      + 'Re-enable at start: POST /actuator/serviceregistry {"status":"UP"} once the application is ready, or PUT the instance with enabled=true '
      + '(see docs/registries.md#nacos)',
  };
}

/** @internal */
export function bindNacos(props: NacosRegistryProps | undefined, ctx: RegistryContext): RegistryBinding {
  const p = readProps('registry', props, 'give e.g. Registry.nacos({ openApi: { … } }) or Registry.nacos()') ?? {};
  const openApi = readProps('registry.openApi', p.openApi, 'give { serverAddr, serviceName } or leave openApi out (in-process take-out)');
  const { cache, callTimeoutSeconds, consumerCacheSeconds } = readOptions('registry', p);
  const version = p.version ?? NacosVersion.V2;
  if (!Object.values(NacosVersion).includes(version)) {
    throw invalidProp('registry.version', show(version), 'is not a Nacos version', 'give NacosVersion.V2 (Nacos 2.x), NacosVersion.V3 or NacosVersion.V1');
  }
  const down = p.springCloudAlibabaDown ?? SpringCloudAlibabaDown.SETS_DISABLED;
  if (!Object.values(SpringCloudAlibabaDown).includes(down)) {
    throw invalidProp('registry.springCloudAlibabaDown', show(down), 'is not a SpringCloudAlibabaDown',
      'give SpringCloudAlibabaDown.SETS_DISABLED (≤ 2023.x), LEAVES_ONLINE (2025.0.0) or DEREGISTERS (2025.1.x, 2025.0.x with #4383)');
  }
  const adminCompat = p.adminApiCompatibility ?? false;
  if (typeof adminCompat !== 'boolean') {
    throw invalidProp('registry.adminApiCompatibility', show(adminCompat), 'must be true or false', 'leave it out (false, the Nacos 3.x default)');
  }
  const ephemeral = p.ephemeral ?? true;
  if (typeof ephemeral !== 'boolean') {
    throw invalidProp('registry.ephemeral', show(ephemeral), 'must be true or false', 'leave it out (ephemeral instances)');
  }
  // The Nacos client (≥ 2.1.1 reads JM.* from the environment with "_" for ".") writes its failover snapshot
  // and logs under user.home by default, which the read-only root filesystem refuses: point both into /tmp.
  const env: ManagedVariable[] = [
    { name: 'JM_SNAPSHOT_PATH', value: NACOS_CLIENT_DIR },
    { name: 'JM_LOG_PATH', value: `${NACOS_CLIENT_DIR}/logs` },
    // Spring Cloud Alibaba's own sleep after SIGTERM: off, since the preStop already waited (kept if the user sets it).
    SCA_GRACEFUL_SHUTDOWN_WAIT_OFF,
  ];
  if (!ephemeral) {
    // The rule nacos-persistent-instance reports it from this variable (the construct audits what it emits).
    env.push({ name: springEnvName(EPHEMERAL_PROPERTY), value: 'false', owner: 'registry.ephemeral' });
  }

  let takeOut: TakeOutPlan;
  const notes: { label: string; text: string }[] = [];
  if (openApi === undefined) {
    if (down === SpringCloudAlibabaDown.LEAVES_ONLINE) {
      throw invalidProp('registry.springCloudAlibabaDown', 'LEAVES_ONLINE',
        'means Spring Cloud Alibaba\'s in-process DOWN leaves the instance online (alibaba/spring-cloud-alibaba#4208): the take-out would do nothing',
        'upgrade to a release whose DOWN deregisters (2025.1.x, or 2025.0.x with #4383) and give SpringCloudAlibabaDown.DEREGISTERS, or take out '
        + 'through the open API (openApi: { serverAddr, serviceName })');
    }
    if (version === NacosVersion.V3 && down === SpringCloudAlibabaDown.SETS_DISABLED && !adminCompat) {
      throw invalidProp('registry.springCloudAlibabaDown', 'SETS_DISABLED on NacosVersion.V3',
        'calls the v1 PUT /nacos/v1/ns/instance, an admin API a Nacos 3.x server rejects (HTTP 410) unless '
        + 'nacos.core.api.compatibility.admin.enabled=true (default false): the take-out would fail',
        'set nacos.core.api.compatibility.admin.enabled=true on the server and give adminApiCompatibility: true, or use a Spring Cloud Alibaba '
        + 'whose DOWN deregisters (SpringCloudAlibabaDown.DEREGISTERS), or take out through the open API (openApi: { … }, v3 admin API)');
    }
    takeOut = actuatorTakeOut('registry', ctx, 'DOWN');
    if (down === SpringCloudAlibabaDown.SETS_DISABLED) {
      notes.push(rememberedNote('the in-process DOWN (Spring Cloud Alibaba ≤ 2023.x, v1 open API)'));
    } else {
      notes.push({ label: 'in-process DOWN', text: 'Spring Cloud Alibaba deregisters the instance on DOWN (#4219/#4383): nothing is remembered for the ip:port' });
    }
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
    const api = version === NacosVersion.V3 ? '/nacos/v3/admin/ns/instance/partial' : `/nacos/${version}/ns/instance`;
    const query = queryString([
      ['serviceName', serviceName], ['groupName', group], ['namespaceId', namespace], ['clusterName', cluster],
      ['ip', ref(POD_IP_VAR)], ['port', String(ctx.appPort)], ['ephemeral', String(ephemeral)], ['enabled', 'false'],
    ]);
    takeOut = {
      description: `PUT ${api} enabled=false for ${serviceName} at the pod IP:${ctx.appPort} (open API)`,
      call: { method: 'PUT', url: `http://${serverAddr}${api}?${query}` },
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
    notes.push(rememberedNote(`the open-API take-out (PUT ${api})`));
  }
  notes.push({
    label: 'nacos client files',
    text: `JM_SNAPSHOT_PATH=${NACOS_CLIENT_DIR}, JM_LOG_PATH=${NACOS_CLIENT_DIR}/logs: the Nacos client's failover snapshot and logs go to the writable /tmp `
      + '(default under user.home; clients before 2.1.1 read only -DJM.SNAPSHOT.PATH / -DJM.LOG.PATH)',
  });

  return {
    name: `nacos ${version.slice(1)}.x`,
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

/**
 * Spring Cloud Alibaba (≥ 2023.0.3.x) deregisters on `ContextClosedEvent` and then sleeps
 * `graceful-shutdown-wait-time` ms (default 10 s) before the web server drains. The preStop hook has already
 * taken the instance out and waited for the consumers, so the library switches the sleep off; a value the
 * user sets in `envVariables` is kept and added to the shutdown budget. Older versions ignore the property.
 * @internal
 */
export const SCA_GRACEFUL_SHUTDOWN_WAIT_OFF: ManagedVariable = {
  name: springEnvName('spring.cloud.nacos.discovery.graceful-shutdown-wait-time'),
  value: '0',
  inProcessWait: {
    unitMs: 1,
    what: `Spring Cloud Alibaba's graceful-shutdown wait (default ${RegistryFacts.SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT.toSeconds()} s)`,
    source: `${factRef('SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT').name}: ${factRef('SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT').source}`,
  },
};

/** Whether the instance is ephemeral (Spring Cloud Alibaba). */
const EPHEMERAL_PROPERTY = 'spring.cloud.nacos.discovery.ephemeral';
/** The Nacos open API's instance endpoint (v1, v2 and the v3 admin API). */
const INSTANCE_API = /\/nacos\/(v[12]\/ns|v3\/admin\/ns)\/instance/;

/**
 * Nacos: the constructs' `Registry.nacos()` and everything the audit knows about Nacos clients.
 * @internal
 */
export const NACOS: RegistryModule = {
  id: 'nacos',
  label: 'Nacos',
  facts: [factRef('NACOS_2_PUSH'), factRef('NACOS_1_PUSH_OR_POLL'), factRef('NACOS_EXPIRED_METADATA'), factRef('SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT')],
  consumerRequirements: [
    'Spring Cloud Alibaba consumers select healthy, enabled instances only (NacosServiceDiscovery: selectInstances(…, healthy=true)); '
      + 'other Nacos clients must do the same (selectInstances/subscribe with healthy=true, which also drops enabled=false)',
    'with spring.cloud.loadbalancer.nacos.enabled=true the consumers have no load-balancer cache (ConsumerCache.nacosLoadBalancer())',
  ],
  construct: {
    kind: 'nacos',
    factory: 'Registry.nacos()',
    bind: bindNacos,
    docRows: [
      { call: 'Registry.nacos()' },
      { call: 'Registry.nacos({ version: NacosVersion.V1 })', props: { version: NacosVersion.V1 } },
      {
        call: 'Registry.nacos({ version: NacosVersion.V3, springCloudAlibabaDown: SpringCloudAlibabaDown.DEREGISTERS })',
        props: { version: NacosVersion.V3, springCloudAlibabaDown: SpringCloudAlibabaDown.DEREGISTERS },
      },
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
      seconds: RegistryFacts.NACOS_2_PUSH.toMilliseconds() / 1000,
      parts: [`Nacos 2.x/3.x push ${RegistryFacts.NACOS_2_PUSH.toMilliseconds() / 1000} s (one failed push; 1.x polls: up to ${RegistryFacts.NACOS_1_PUSH_OR_POLL.toSeconds()} s)`],
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
