import { Duration } from './lazy-duration';
import { ceilSeconds, formatMillis, readMillis } from './seconds';
import { invalidProp, show } from '../errors';

/**
 * One path by which the news "this pod is going away" reaches the callers of the service, and how long it
 * takes at most. The preStop wait must cover the slowest path.
 *
 * The foundation knows one path (Kubernetes endpoints → kube-proxy / ingress). Registry adapters add
 * their own paths (registry → consumer → consumer load-balancer cache) through the same input.
 */
export interface PropagationPath {
  /**
   * Short kebab-case name shown in explanations, e.g. `kubernetes-endpoints`.
   */
  readonly name: string;

  /**
   * Longest time from the start of pod termination until every caller on this path has stopped
   * sending new requests to the pod.
   */
  readonly delay: Duration;

  /**
   * Where the delay comes from (a document, a default of a named component, or "declared by the user").
   */
  readonly source: string;
}

/**
 * Factories for the propagation paths the library knows.
 */
export class Propagation {
  /**
   * Default time for Kubernetes endpoint propagation (EndpointSlice update → kube-proxy / ingress
   * controllers reprogrammed): 10 seconds, the preStop sleep of the Spring Boot reference's example
   * ("Kubernetes Container Lifecycle").
   *
   * @see https://docs.spring.io/spring-boot/reference/deployment/cloud.html#deployment.cloud.kubernetes.container-lifecycle
   */
  public static readonly DEFAULT_ENDPOINT_DELAY = Duration.seconds(10);

  /**
   * Kubernetes endpoint propagation: the EndpointSlice controller removes the terminating pod and
   * kube-proxy / ingress controllers stop routing to it. Callers that go through a Kubernetes Service
   * or an Ingress stop within this time.
   *
   * @param delay how long that takes in your cluster
   * @default delay 10 seconds (Spring Boot reference, Kubernetes Container Lifecycle)
   */
  public static kubernetesEndpoints(delay?: Duration): PropagationPath {
    return {
      name: 'kubernetes-endpoints',
      delay: delay ?? Propagation.DEFAULT_ENDPOINT_DELAY,
      source: delay
        ? 'declared by the user'
        : 'Spring Boot reference, "Kubernetes Container Lifecycle" (10 s preStop sleep)',
    };
  }

  /**
   * A path the library does not know, with its delay and where that number comes from.
   */
  public static custom(name: string, delay: Duration, source: string): PropagationPath {
    return { name, delay, source };
  }

  private constructor() {}
}

/**
 * The propagation wait: the slowest path, in whole seconds.
 * @internal
 */
export interface PropagationWait {
  readonly seconds: number;
  readonly slowest: string;
  readonly paths: { name: string; ms: number; seconds: number; source: string }[];
  readonly arithmetic: string;
}

/** @internal */
export function computePropagation(paths: PropagationPath[], prop = 'propagation'): PropagationWait {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw invalidProp(prop, show(paths), 'must list at least one propagation path',
      'leave it out for Kubernetes endpoint propagation, or give [Propagation.kubernetesEndpoints(), …]');
  }
  const seen = new Set<string>();
  const read = paths.map((p, i) => {
    const at = `${prop}[${i}]`;
    if (!p || typeof p.name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p.name)) {
      throw invalidProp(`${at}.name`, show(p?.name), 'must be a kebab-case name', 'use lower-case letters, digits and dashes, e.g. "spring-cloud-loadbalancer"');
    }
    if (seen.has(p.name)) {
      throw invalidProp(`${at}.name`, show(p.name), 'is listed twice', 'give each propagation path once');
    }
    seen.add(p.name);
    const ms = readMillis(`${at}.delay`, p.delay, { fix: 'give how long this path takes, e.g. Duration.seconds(35)' });
    return { name: p.name, ms, seconds: ceilSeconds(ms), source: p.source };
  });
  // Slowest path; ties keep the first listed, so the result does not depend on anything but the input order.
  const slowest = read.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const terms = read.map(p => `${p.name} ${formatMillis(p.ms)}${p.ms % 1000 === 0 ? '' : ` → ${p.seconds}s`}`).join(', ');
  return {
    seconds: slowest.seconds,
    slowest: slowest.name,
    paths: read,
    arithmetic: `max(${terms}) = ${slowest.seconds}s${read.length > 1 ? ` (${slowest.name})` : ''}`,
  };
}
