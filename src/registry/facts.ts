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
   * Nacos 2.x pushes instance changes to subscribed clients over gRPC, well under a second; rounded up to
   * one second (polling is off by default in the 2.x client).
   *
   * @see https://github.com/alibaba/nacos/blob/develop/client/src/main/java/com/alibaba/nacos/client/naming/core/ServiceInfoUpdateService.java
   */
  public static readonly NACOS_2_PUSH = Duration.seconds(1);

  /**
   * Nacos 1.x notifies clients by UDP push and otherwise they poll every `cacheMillis` (3–10 s, the server's
   * `SwitchDomain`): the upper end, 10 s.
   *
   * @see https://github.com/alibaba/nacos/blob/1.4.1/naming/src/main/java/com/alibaba/nacos/naming/misc/SwitchDomain.java
   */
  public static readonly NACOS_1_PUSH_OR_POLL = Duration.seconds(10);

  /**
   * Spring Cloud Consul's catalog watch: `catalog-services-watch-delay` 1 s + `catalog-services-watch-timeout`
   * 2 s — how long a consumer's view of Consul may lag a change (`spring.cloud.consul.discovery.catalog-services-watch-*`).
   *
   * @see https://docs.spring.io/spring-cloud-consul/reference/appendix.html
   */
  public static readonly CONSUL_CATALOG_WATCH = Duration.seconds(3);

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
   * Istio sidecar's default `terminationDrainDuration`: the proxy drains for 5 s after SIGTERM and exits,
   * while the application may still be in its preStop wait.
   *
   * @see https://github.com/istio/istio/issues/34855
   */
  public static readonly ISTIO_TERMINATION_DRAIN = Duration.seconds(5);

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
    setting: 'Nacos 2.x gRPC push to subscribers (sub-second, rounded up)',
    source: 'https://github.com/alibaba/nacos/blob/develop/client/src/main/java/com/alibaba/nacos/client/naming/core/ServiceInfoUpdateService.java',
  },
  NACOS_1_PUSH_OR_POLL: {
    setting: 'Nacos 1.x UDP push, else client poll every cacheMillis (upper end)',
    source: 'https://github.com/alibaba/nacos/blob/1.4.1/naming/src/main/java/com/alibaba/nacos/naming/misc/SwitchDomain.java',
  },
  CONSUL_CATALOG_WATCH: {
    setting: 'spring.cloud.consul.discovery.catalog-services-watch-delay 1 s + catalog-services-watch-timeout 2 s',
    source: 'https://docs.spring.io/spring-cloud-consul/reference/appendix.html',
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
    source: 'https://github.com/istio/istio/issues/34855',
  },
};

/** One `RegistryFacts` member with its setting and source. @internal */
export function factRef(name: FactName): FactRef {
  return { name: `RegistryFacts.${name}`, seconds: RegistryFacts[name].toSeconds(), ...FACT_SOURCES[name] };
}
