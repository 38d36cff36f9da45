import { Duration } from 'cdk8s';
import { ceilSeconds, formatMillis, MAX_DURATION_MS, readMillis } from './seconds';
import { invalidProp, show } from '../errors';

/**
 * What one pod of the service serves, as measured in production. It sizes the drain: the time in-flight
 * requests need to finish after the application stops accepting new ones.
 *
 * Source: [field report 004](docs/field-reports.md#report-004--the-termination-sequence-and-a-grace-period-formula)
 * (minimum grace = average request time × p95 concurrency + 10 s buffer).
 */
export interface TrafficProfile {
  /**
   * Mean server-side request latency.
   */
  readonly averageLatency: Duration;

  /**
   * 99th-percentile server-side request latency: the drain is never shorter than the slowest common
   * request.
   */
  readonly p99Latency: Duration;

  /**
   * 95th percentile of the number of requests in flight on one pod at the same time (e.g. Tomcat's
   * `tomcat_threads_busy_threads`, or `http_server_requests_active` in Spring Boot 3).
   * Fractions are allowed (a percentile of a metric).
   */
  readonly p95Concurrency: number;

  /**
   * Worker threads that serve requests in parallel on one pod (Tomcat: `server.tomcat.threads.max`).
   *
   * Left out, the drain is field report 004's serial worst case `average × p95 concurrency`, as if one
   * worker had to finish every in-flight request in turn. Give the real worker count to get the parallel
   * bound `max(p99, ceil(C95 / T) × average)`.
   *
   * @default 1 (field report 004's formula, the serial worst case)
   */
  readonly workerThreads?: number;
}

/**
 * The drain term of the shutdown budget, with its inputs kept so it can explain itself.
 * @internal
 */
export interface Drain {
  readonly averageMs: number;
  readonly p99Ms: number;
  readonly concurrency: number;
  readonly workers: number;
  /** ceil(C95 / T) */
  readonly rounds: number;
  /** rounds × average */
  readonly queueMs: number;
  /** max(p99, queue), exact */
  readonly exactMs: number;
  /** rounded up to whole seconds */
  readonly seconds: number;
  /** one-line arithmetic */
  readonly arithmetic: string;
}

/** A bound on in-flight requests and worker threads per pod, far above any real pod's. */
const MAX_CONCURRENCY = 1_000_000;

const FIX_LATENCY = 'give the measured server-side latency, e.g. Duration.millis(120)';

/**
 * drain = max(p99, ceil(C95 / T) × average), rounded up to whole seconds.
 * With T = 1 this is exactly field report 004's `average × p95 concurrency` (for a whole-number C95).
 * @internal
 */
export function computeDrain(traffic: TrafficProfile, prefix = 'traffic'): Drain {
  if (traffic === undefined || traffic === null || typeof traffic !== 'object') {
    throw invalidProp(prefix, show(traffic), 'is required', 'give { averageLatency, p99Latency, p95Concurrency } measured in production');
  }
  const averageMs = readMillis(`${prefix}.averageLatency`, traffic.averageLatency, { positive: true, fix: FIX_LATENCY });
  const p99Ms = readMillis(`${prefix}.p99Latency`, traffic.p99Latency, { positive: true, fix: FIX_LATENCY });
  const concurrency = traffic.p95Concurrency;
  if (typeof concurrency !== 'number' || !Number.isFinite(concurrency) || concurrency <= 0 || concurrency > MAX_CONCURRENCY) {
    throw invalidProp(`${prefix}.p95Concurrency`, show(concurrency, 'requests'),
      `must be a finite number greater than zero${typeof concurrency === 'number' && concurrency > MAX_CONCURRENCY ? ` and at most ${MAX_CONCURRENCY}` : ''}`,
      'give the 95th percentile of in-flight requests per pod (at least one request is in flight when a pod serves traffic), e.g. 40');
  }
  const workers = traffic.workerThreads ?? 1;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > MAX_CONCURRENCY) {
    throw invalidProp(`${prefix}.workerThreads`, show(workers, 'threads'), 'must be a whole number of at least 1',
      'give the size of the request worker pool (Tomcat: server.tomcat.threads.max, 200 by default), or leave it out for the serial worst case');
  }
  const rounds = Math.ceil(concurrency / workers);
  const queueMs = rounds * averageMs;
  const exactMs = Math.max(p99Ms, queueMs);
  const seconds = ceilSeconds(exactMs);
  if (exactMs > MAX_DURATION_MS) {
    throw invalidProp(`${prefix}.p95Concurrency`, show(concurrency, 'requests'),
      `drains for ${formatMillis(exactMs)} (ceil(${concurrency} / ${workers} threads) × ${formatMillis(averageMs)}), more than one day`,
      'check the measurements: p95Concurrency is in-flight requests per pod, averageLatency the server-side mean');
  }
  const arithmetic =
    `max(p99 ${formatMillis(p99Ms)}, ceil(C95 ${concurrency} / T ${workers}) = ${rounds} × avg ${formatMillis(averageMs)} = ${formatMillis(queueMs)})`
    + ` = ${formatMillis(exactMs)} → ${seconds}s`;
  return { averageMs, p99Ms, concurrency, workers, rounds, queueMs, exactMs, seconds, arithmetic };
}
