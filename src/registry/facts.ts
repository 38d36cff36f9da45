import { Duration } from '../shutdown/lazy-duration';

/**
 * The published defaults the registry adapters (and the audit rules) rest on, each with its source. One
 * place: the adapters derive their propagation paths from these, the rules derive what a foreign manifest's
 * registry settings imply from the same numbers. See [docs/registries.md](docs/registries.md).
 */
export class RegistryFacts {
  /**
   * Spring Cloud LoadBalancer's instance cache TTL (`spring.cloud.loadbalancer.cache.ttl`, cache enabled by
   * default): a consumer keeps calling a removed instance for up to this long.
   *
   * @see https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/loadbalancer.html#loadbalancer-caching
   */
  public static readonly SPRING_CLOUD_LOADBALANCER_CACHE_TTL = Duration.seconds(35);

  /**
   * Netflix Ribbon's server-list refresh (`ServerListRefreshInterval`, `PollingServerListUpdater`): 30 s.
   *
   * @see https://github.com/Netflix/ribbon/blob/master/ribbon-loadbalancer/src/main/java/com/netflix/loadbalancer/PollingServerListUpdater.java
   */
  public static readonly RIBBON_SERVER_LIST_REFRESH = Duration.seconds(30);

  /**
   * Nacos 2.x/3.x pushes instance changes to subscribed clients over gRPC: the push task runs after
   * `nacos.naming.push.pushTaskDelay` (500 ms, the typical case); a push that fails is retried after
   * `pushTaskTimeout` (5 s) + `pushTaskRetryDelay` (1 s). The bound is one failed push: 0.5 + 5 + 1 = 6.5 s.
   *
   * @see https://github.com/alibaba/nacos/blob/486e19848605bbea24902b26e741a433d912e0a8/naming/src/main/java/com/alibaba/nacos/naming/constants/PushConstants.java#L29-L45
   */
  public static readonly NACOS_2_PUSH = Duration.millis(6500);

  /**
   * Nacos 1.x notifies clients by UDP push and otherwise they poll every `cacheMillis` (3–10 s, the server's
   * `SwitchDomain`): the upper end, 10 s.
   *
   * @see https://github.com/alibaba/nacos/blob/1.4.1/naming/src/main/java/com/alibaba/nacos/naming/misc/SwitchDomain.java
   */
  public static readonly NACOS_1_PUSH_OR_POLL = Duration.seconds(10);

  /**
   * Superseded by `CONSUL_AGENT_SYNC` (same value). The catalog watch only publishes heartbeat events; it is
   * not how a consumer finds instances: `ConsulDiscoveryClient` asks Consul live on every lookup.
   *
   * @deprecated use `RegistryFacts.CONSUL_AGENT_SYNC`
   * @see https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/ConsulDiscoveryClient.java#L79-L80
   */
  public static readonly CONSUL_CATALOG_WATCH = Duration.seconds(3);

  /**
   * Consul → consumer before the consumers' cache. `ConsulDiscoveryClient` queries `/v1/health/service/<name>`
   * live on every lookup (ConsulDiscoveryClient.java L79–80), so the lag is the agent's anti-entropy sync of the
   * changed check (maintenance mode, a critical TTL) to the servers, which Consul triggers on the change itself.
   * Consul publishes no number for that sync; the library allows 3 s for it. The rest of the lag is the
   * consumers' own cache (Spring Cloud LoadBalancer, 35 s), counted separately.
   *
   * @see https://developer.hashicorp.com/consul/docs/architecture/anti-entropy
   */
  public static readonly CONSUL_AGENT_SYNC = Duration.seconds(3);

  /**
   * Spring Cloud Consul's TTL heartbeat: `spring.cloud.consul.discovery.heartbeat.ttl` 30 s (sent every 2/3 of
   * it). An instance whose heartbeats stop (a killed pod) turns critical after this long.
   *
   * @see https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/HeartbeatProperties.java#L48
   */
  public static readonly CONSUL_HEARTBEAT_TTL = Duration.seconds(30);

  /**
   * Consul's lower bound for `DeregisterCriticalServiceAfter`: 1 minute (the reaper runs every 30 s on top).
   *
   * @see https://developer.hashicorp.com/consul/api-docs/agent/check#deregistercriticalserviceafter
   */
  public static readonly CONSUL_MIN_DEREGISTER_CRITICAL_AFTER = Duration.minutes(1);

  /**
   * Eureka server's read-only response cache refresh (`eureka.server.response-cache-update-interval-ms`): 30 s.
   *
   * @see https://github.com/Netflix/eureka/blob/master/eureka-core/src/main/java/com/netflix/eureka/DefaultEurekaServerConfig.java
   */
  public static readonly EUREKA_SERVER_RESPONSE_CACHE = Duration.seconds(30);

  /**
   * Eureka client's registry fetch interval (`eureka.client.registry-fetch-interval-seconds`): 30 s.
   *
   * @see https://github.com/spring-cloud/spring-cloud-netflix/blob/main/spring-cloud-netflix-eureka-client/src/main/java/org/springframework/cloud/netflix/eureka/EurekaClientConfigBean.java
   */
  public static readonly EUREKA_CLIENT_FETCH = Duration.seconds(30);

  /**
   * Istio sidecar's default `terminationDrainDuration` (mesh.go L45): the agent drains for 5 s after SIGTERM
   * and exits, while the application may still be in its preStop wait (istio/istio#34855).
   *
   * @see https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pkg/config/mesh/mesh.go#L44-L45
   */
  public static readonly ISTIO_TERMINATION_DRAIN = Duration.seconds(5);

  /**
   * Istio's default `drainDuration` (mesh.go L44), passed to Envoy as `--drain-time-s`: when it has passed
   * after the drain started, Envoy's listeners stop and new inbound connections are refused.
   *
   * @see https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pkg/envoy/proxy.go#L138
   */
  public static readonly ISTIO_DRAIN_DURATION = Duration.seconds(45);

  /**
   * Istio agent's `MINIMUM_DRAIN_DURATION` (5 s): with `EXIT_ON_ZERO_ACTIVE_CONNECTIONS` the agent sleeps this
   * long after SIGTERM and then exits as soon as no connection is active (agent.go L169–174), preStop or not.
   *
   * @see https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pilot/cmd/pilot-agent/options/options.go#L171-L172
   */
  public static readonly ISTIO_MINIMUM_DRAIN = Duration.seconds(5);

  /**
   * How long a Nacos 2.x/3.x server keeps an instance's metadata — including `enabled=false` set by a take-out —
   * after the instance is gone (`nacos.naming.clean.expired-metadata.expired-time`, 60 s). A pod that registers
   * again on the same ip:port within it starts disabled (nacos#14606).
   *
   * @see https://github.com/alibaba/nacos/blob/486e19848605bbea24902b26e741a433d912e0a8/naming/src/main/java/com/alibaba/nacos/naming/misc/GlobalConfig.java#L58-L59
   */
  public static readonly NACOS_EXPIRED_METADATA = Duration.seconds(60);

  /**
   * Spring Cloud Alibaba's in-process graceful-shutdown wait (`spring.cloud.nacos.discovery.graceful-shutdown-wait-time`,
   * milliseconds, default 10 s): on `ContextClosedEvent` — after SIGTERM, before the web server drains — it
   * deregisters the instance and sleeps this long (`NacosGracefulShutdownDelegate#doGracefulShutdown`, lines
   * 67–73; added by alibaba/spring-cloud-alibaba#3963, shipped in 2023.0.3.x and 2025.0.x, default 10 s per
   * #4054 and #4217; once per Feign child context before #4064/#4275).
   *
   * @see https://github.com/alibaba/spring-cloud-alibaba/blob/0289cfa2e9180709c654f31e0afb62027525fdba/spring-cloud-alibaba-starters/spring-cloud-starter-alibaba-nacos-discovery/src/main/java/com/alibaba/cloud/nacos/registry/NacosGracefulShutdownDelegate.java#L67-L73
   */
  public static readonly SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT = Duration.seconds(10);

  private constructor() {}
}

/** The name of a published number in `RegistryFacts`. @internal */
export type FactName = Exclude<keyof typeof RegistryFacts, 'prototype'>;

/**
 * A published number as the registry modules and the generated docs use it: its value, the setting it is the
 * default of, and its source (the same URL as the `@see` of its `RegistryFacts` member; a test keeps them equal).
 * @internal
 */
export interface FactRef {
  /** e.g. `RegistryFacts.EUREKA_CLIENT_FETCH`. */
  readonly name: string;
  readonly seconds: number;
  /** The setting (or mechanism) the number is the default of. */
  readonly setting: string;
  /** Where the number comes from (a URL). */
  readonly source: string;
}

/**
 * Setting and source of every `RegistryFacts` member, for the registry modules and docs/registries.md.
 * @internal
 */
export const FACT_SOURCES: { readonly [K in FactName]: { readonly setting: string; readonly source: string } } = {
  SPRING_CLOUD_LOADBALANCER_CACHE_TTL: {
    setting: 'spring.cloud.loadbalancer.cache.ttl',
    source: 'https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/loadbalancer.html#loadbalancer-caching',
  },
  RIBBON_SERVER_LIST_REFRESH: {
    setting: 'Ribbon ServerListRefreshInterval',
    source: 'https://github.com/Netflix/ribbon/blob/master/ribbon-loadbalancer/src/main/java/com/netflix/loadbalancer/PollingServerListUpdater.java',
  },
  NACOS_2_PUSH: {
    setting: 'Nacos 2.x/3.x gRPC push: pushTaskDelay 500 ms + one failed push (pushTaskTimeout 5 s) + pushTaskRetryDelay 1 s',
    source: 'https://github.com/alibaba/nacos/blob/486e19848605bbea24902b26e741a433d912e0a8/naming/src/main/java/com/alibaba/nacos/naming/constants/PushConstants.java#L29-L45',
  },
  NACOS_1_PUSH_OR_POLL: {
    setting: 'Nacos 1.x UDP push, else client poll every cacheMillis (upper end)',
    source: 'https://github.com/alibaba/nacos/blob/1.4.1/naming/src/main/java/com/alibaba/nacos/naming/misc/SwitchDomain.java',
  },
  CONSUL_CATALOG_WATCH: {
    setting: 'deprecated: see CONSUL_AGENT_SYNC (ConsulDiscoveryClient queries Consul live)',
    source: 'https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/ConsulDiscoveryClient.java#L79-L80',
  },
  CONSUL_AGENT_SYNC: {
    setting: 'Consul agent anti-entropy sync of a changed check (triggered on change; the library allows 3 s), read live by ConsulDiscoveryClient',
    source: 'https://developer.hashicorp.com/consul/docs/architecture/anti-entropy',
  },
  CONSUL_HEARTBEAT_TTL: {
    setting: 'spring.cloud.consul.discovery.heartbeat.ttl',
    source: 'https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/HeartbeatProperties.java#L48',
  },
  CONSUL_MIN_DEREGISTER_CRITICAL_AFTER: {
    setting: 'Consul DeregisterCriticalServiceAfter minimum (reaper every 30 s on top)',
    source: 'https://developer.hashicorp.com/consul/api-docs/agent/check#deregistercriticalserviceafter',
  },
  EUREKA_SERVER_RESPONSE_CACHE: {
    setting: 'eureka.server.response-cache-update-interval-ms',
    source: 'https://github.com/Netflix/eureka/blob/master/eureka-core/src/main/java/com/netflix/eureka/DefaultEurekaServerConfig.java',
  },
  EUREKA_CLIENT_FETCH: {
    setting: 'eureka.client.registry-fetch-interval-seconds',
    source: 'https://github.com/spring-cloud/spring-cloud-netflix/blob/main/spring-cloud-netflix-eureka-client/src/main/java/org/springframework/cloud/netflix/eureka/EurekaClientConfigBean.java',
  },
  ISTIO_TERMINATION_DRAIN: {
    setting: 'Istio proxy terminationDrainDuration',
    source: 'https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pkg/config/mesh/mesh.go#L44-L45',
  },
  ISTIO_DRAIN_DURATION: {
    setting: 'Istio proxy drainDuration (Envoy --drain-time-s)',
    source: 'https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pkg/envoy/proxy.go#L138',
  },
  ISTIO_MINIMUM_DRAIN: {
    setting: 'Istio agent MINIMUM_DRAIN_DURATION (with EXIT_ON_ZERO_ACTIVE_CONNECTIONS)',
    source: 'https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pilot/cmd/pilot-agent/options/options.go#L171-L172',
  },
  NACOS_EXPIRED_METADATA: {
    setting: 'nacos.naming.clean.expired-metadata.expired-time',
    source: 'https://github.com/alibaba/nacos/blob/486e19848605bbea24902b26e741a433d912e0a8/naming/src/main/java/com/alibaba/nacos/naming/misc/GlobalConfig.java#L58-L59',
  },
  SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT: {
    setting: 'spring.cloud.nacos.discovery.graceful-shutdown-wait-time (Spring Cloud Alibaba ≥ 2023.0.3.x, ms)',
    source: 'https://github.com/alibaba/spring-cloud-alibaba/blob/0289cfa2e9180709c654f31e0afb62027525fdba/spring-cloud-alibaba-starters/spring-cloud-starter-alibaba-nacos-discovery/src/main/java/com/alibaba/cloud/nacos/registry/NacosGracefulShutdownDelegate.java#L67-L73',
  },
};

/** One `RegistryFacts` member with its setting and source. @internal */
export function factRef(name: FactName): FactRef {
  return { name: `RegistryFacts.${name}`, seconds: RegistryFacts[name].toMilliseconds() / 1000, ...FACT_SOURCES[name] };
}
