import { Duration } from 'cdk8s';
import { RegistryFacts } from './facts';
import { invalidProp } from '../errors';
import { formatMillis, readMillis } from '../shutdown/seconds';

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
      throw invalidProp('consumerCache.of(source)', JSON.stringify(source), 'must say where the delay comes from',
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
