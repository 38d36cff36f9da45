/**
 * Annotations the audit reads besides the suppressions: facts a manifest cannot otherwise show.
 */
export class AuditAnnotations {
  /**
   * How long this service's consumers keep calling an instance after their registry view dropped it, in
   * seconds (or a Spring duration such as `30s`), on the workload or its pod template. Consumer-side
   * settings (Ribbon's refresh, a load-balancer cache) live in the consumers, not in this manifest; this
   * annotation declares them, and `wait-below-registry-propagation` uses it instead of Spring Cloud
   * LoadBalancer's default 35 s. The library's constructs write it from their `consumerCache`.
   */
  public static readonly CONSUMER_CACHE_SECONDS = 'graceful.cdk8s.io/consumer-cache-seconds';

  private constructor() {}
}
