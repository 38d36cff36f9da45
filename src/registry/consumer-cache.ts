import { Duration } from 'cdk8s';
import { FactRef, factRef, RegistryFacts } from './facts';
import { ObservedProperties } from './module';
import { invalidProp, show } from '../errors';
import { formatMillis, readMillis } from '../shutdown/seconds';
import { springDurationSeconds } from '../spring/duration';

/**
 * How long a consumer keeps calling an instance after its registry view no longer lists it: the consumer
 * side of client-side load balancing. Declared by you, because it is configured in your consumers, not in
 * this service.
 */
export class ConsumerCache {
  /**
   * Spring Cloud LoadBalancer with its instance cache (the default since Spring Cloud 2020).
   *
   * @param ttl `spring.cloud.loadbalancer.cache.ttl` of your consumers
   * @default ttl 35 seconds (spring-cloud-commons default)
   * @see https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/loadbalancer.html#loadbalancer-caching
   */
  public static springCloudLoadBalancer(ttl?: Duration): ConsumerCache {
    return ConsumerCache.make('spring-cloud-loadbalancer', 'consumerCache.springCloudLoadBalancer(ttl)', ttl,
      RegistryFacts.SPRING_CLOUD_LOADBALANCER_CACHE_TTL, 'spring.cloud.loadbalancer.cache.ttl default (spring-cloud-commons)');
  }

  /**
   * Netflix Ribbon (older Spring Cloud consumers): the server list is refreshed periodically.
   *
   * @param refreshInterval `ServerListRefreshInterval` of your consumers
   * @default refreshInterval 30 seconds (Ribbon's PollingServerListUpdater default)
   */
  public static ribbon(refreshInterval?: Duration): ConsumerCache {
    return ConsumerCache.make('ribbon', 'consumerCache.ribbon(refreshInterval)', refreshInterval,
      RegistryFacts.RIBBON_SERVER_LIST_REFRESH, 'Ribbon ServerListRefreshInterval default (PollingServerListUpdater)');
  }

  /**
   * Spring Cloud Alibaba's Nacos load balancer (`spring.cloud.loadbalancer.nacos.enabled=true` in your
   * consumers): its instance supplier is built `withBlockingDiscoveryClient()` / `withDiscoveryClient()`
   * without `withCaching()`, so consumers read the Nacos client's push-updated view directly — no 35 s cache.
   *
   * @see https://github.com/alibaba/spring-cloud-alibaba/blob/41b1fd4fd7df3867e2c7b08ac2e8da56eeeec9dc/spring-cloud-alibaba-starters/spring-cloud-starter-alibaba-nacos-discovery/src/main/java/com/alibaba/cloud/nacos/loadbalancer/NacosLoadBalancerClientConfiguration.java#L99-L107
   */
  public static nacosLoadBalancer(): ConsumerCache {
    return new ConsumerCache('nacos-loadbalancer', 0,
      'spring.cloud.loadbalancer.nacos.enabled=true: Spring Cloud Alibaba\'s NacosLoadBalancerClientConfiguration supplies instances without withCaching()');
  }

  /**
   * Consumers use the registry's own client without a further cache (e.g. the Nacos client's
   * push-updated view, or Spring Cloud LoadBalancer with `spring.cloud.loadbalancer.cache.enabled=false`).
   */
  public static none(): ConsumerCache {
    return new ConsumerCache('none', 0, 'declared by the user: no consumer-side cache');
  }

  /**
   * A consumer cache the library does not know.
   *
   * @param delay how long your consumers keep a stale instance list
   * @param source where that number comes from (shown in the explanation)
   */
  public static of(delay: Duration, source: string): ConsumerCache {
    const ms = readMillis('consumerCache.of(delay)', delay, { fix: 'give how long your consumers cache the instance list, e.g. Duration.seconds(35)' });
    if (typeof source !== 'string' || source.trim().length === 0) {
      throw invalidProp('consumerCache.of(source)', show(source), 'must say where the delay comes from',
        'give e.g. "our gateway refreshes its routes every 20 s"');
    }
    return new ConsumerCache('consumer-cache', ms, source.trim());
  }

  private static make(name: string, prop: string, given: Duration | undefined, fallback: Duration, source: string): ConsumerCache {
    if (given === undefined) {
      return new ConsumerCache(name, fallback.toMilliseconds(), source);
    }
    const ms = readMillis(prop, given, { fix: 'give your consumers\' setting, or leave it out for the default' });
    return new ConsumerCache(name, ms, 'declared by the user');
  }

  /**
   * @param name short name shown in explanations
   * @param delayMillis how long consumers may keep the instance, in milliseconds
   * @param source where the number comes from
   */
  private constructor(public readonly name: string, public readonly delayMillis: number, public readonly source: string) {}

  /** The delay as text, e.g. `35s`. */
  public get delayText(): string {
    return formatMillis(this.delayMillis);
  }
}

/** The published numbers of the consumer caches (the consumer side every registry shares). @internal */
export const CONSUMER_CACHE_FACTS: readonly FactRef[] = [factRef('SPRING_CLOUD_LOADBALANCER_CACHE_TTL'), factRef('RIBBON_SERVER_LIST_REFRESH')];

/** Spring Cloud LoadBalancer's cache switch and TTL, as consumers set them. @internal */
export const LOADBALANCER_CACHE_ENABLED = 'spring.cloud.loadbalancer.cache.enabled';
/** @internal */
export const LOADBALANCER_CACHE_TTL = 'spring.cloud.loadbalancer.cache.ttl';
/** Spring Cloud Alibaba's Nacos load balancer switch (no instance cache). @internal */
export const NACOS_LOADBALANCER_ENABLED = 'spring.cloud.loadbalancer.nacos.enabled';

/**
 * The consumer cache a foreign manifest implies (the audit's reading of `ConsumerCache`): a declared number
 * (the audit's annotation) wins, then Ribbon settings, then Spring Cloud Alibaba's Nacos load balancer (no
 * cache), then Spring Cloud LoadBalancer's cache switch and TTL,
 * else LoadBalancer's default TTL. The application's own settings stand for its consumers' (they usually share
 * them); the annotation declares the consumers' when they differ.
 *
 * @param props the container's Spring properties
 * @param declared the annotation's value and name, when the manifest has it
 * @internal
 */
export function observedConsumerCache(props: ObservedProperties, declared?: { value: unknown; annotation: string }):
{ seconds: number; text: string } {
  const s = (d: Duration) => d.toSeconds();
  const v = declared?.value;
  const declaredSeconds = typeof v === 'string' || typeof v === 'number' ? springDurationSeconds(String(v), 1) : undefined;
  if (declared !== undefined && declaredSeconds !== undefined) {
    return { seconds: declaredSeconds, text: `consumer cache ${declaredSeconds} s (annotation ${declared.annotation})` };
  }
  const ribbon = props.keys().find(k => /(^|_)RIBBON_/.test(k) || k.startsWith('RIBBON'));
  if (ribbon) {
    return { seconds: s(RegistryFacts.RIBBON_SERVER_LIST_REFRESH), text: `Ribbon server-list refresh ${s(RegistryFacts.RIBBON_SERVER_LIST_REFRESH)} s` };
  }
  const nacosLb = props.get(NACOS_LOADBALANCER_ENABLED);
  if (nacosLb && nacosLb.value.trim().toLowerCase() === 'true') {
    return { seconds: 0, text: `no load-balancer cache (Spring Cloud Alibaba's Nacos load balancer, ${nacosLb.where})` };
  }
  const enabled = props.get(LOADBALANCER_CACHE_ENABLED);
  if (enabled && enabled.value.trim().toLowerCase() === 'false') {
    return { seconds: 0, text: `no load-balancer cache (${enabled.where})` };
  }
  const ttl = props.get(LOADBALANCER_CACHE_TTL);
  const ttlSeconds = ttl ? springDurationSeconds(ttl.value) : undefined;
  if (ttl && ttlSeconds !== undefined) {
    return { seconds: ttlSeconds, text: `load-balancer cache TTL ${ttlSeconds} s (${ttl.where})` };
  }
  return {
    seconds: s(RegistryFacts.SPRING_CLOUD_LOADBALANCER_CACHE_TTL),
    text: `Spring Cloud LoadBalancer cache TTL ${s(RegistryFacts.SPRING_CLOUD_LOADBALANCER_CACHE_TTL)} s (default)`,
  };
}
