import { Duration } from 'cdk8s';
import { ceilSeconds, formatMillis, MAX_DURATION_MS, readMillis } from './seconds';
import { invalidProp, show } from '../errors';
import { Finding, FindingSeverity } from '../finding';

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

  /**
   * The longest request the service promises to finish once it has started: e.g. its consumers' read
   * timeout, or the server's own request timeout. A request started just before SIGTERM may take this long,
   * so the shutdown phase is never shorter: `max(longest request, p99, ceil(C95 / T) × average)`.
   *
   * p99 is not a bound: with 60 requests in flight the chance that at least one of them is slower than p99
   * is 1 − 0.99^60 ≈ 45 % (see docs/shutdown-budget.md).
   *
   * @default - the construct's default longest request: `GracefulJavaService` uses Spring Boot's own
   * `spring.lifecycle.timeout-per-shutdown-phase` default of 30 s (a shorter value here shortens the phase);
   * `GracefulService` and `ShutdownBudget` use none, the drain is `max(p99, ceil(C95 / T) × average)`
   */
  readonly longestRequest?: Duration;
}

/**
 * A longest request assumed when the traffic profile gives none, and where that number comes from.
 * @internal
 */
export interface DefaultLongestRequest {
  readonly ms: number;
  /** Where it comes from, for the explanation (e.g. "Spring Boot's timeout-per-shutdown-phase default"). */
  readonly source: string;
}

/**
 * The drain term of the shutdown budget, with its inputs kept so it can explain itself.
 * @internal
 */
export interface Drain {
  /** The longest request (given, or the construct's default), if any. */
  readonly longestMs?: number;
  /** Whether the longest request was given in the traffic profile. */
  readonly longestGiven: boolean;
  readonly averageMs: number;
  readonly p99Ms: number;
  readonly concurrency: number;
  readonly workers: number;
  /** ceil(C95 / T) */
  readonly rounds: number;
  /** rounds × average */
  readonly queueMs: number;
  /** max(longest request, p99, queue), exact */
  readonly exactMs: number;
  /** rounded up to whole seconds */
  readonly seconds: number;
  /** one-line arithmetic */
  readonly arithmetic: string;
  /** Measurements that look wrong (units, swapped fields): warnings, not errors. */
  readonly findings: Finding[];
}

/** A bound on in-flight requests and worker threads per pod, far above any real pod's. */
const MAX_CONCURRENCY = 1_000_000;

const FIX_LATENCY = 'give the measured server-side latency, e.g. Duration.millis(120)';

/**
 * Above this an average server-side latency is more likely a unit mistake (seconds for milliseconds) than a
 * measurement: it gets a warning. Interactive services answer in well under a second.
 */
const SUSPICIOUS_AVERAGE_MS = 10_000;

/** The finding id of a traffic profile that looks mis-measured. @internal */
export const TRAFFIC_PROFILE_FINDING = 'traffic-profile-suspicious';

/**
 * drain = max(longest request, p99, ceil(C95 / T) × average), rounded up to whole seconds. The last term is
 * the queue drain; with T = 1 it is exactly field report 004's `average × p95 concurrency` (for a whole-number
 * C95). The longest request is the profile's, else `fallback` (the construct's default), else left out.
 * @internal
 */
export function computeDrain(traffic: TrafficProfile, prefix = 'traffic', fallback?: DefaultLongestRequest): Drain {
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
  const longestGiven = traffic.longestRequest !== undefined;
  let longestMs: number | undefined;
  if (longestGiven) {
    longestMs = readMillis(`${prefix}.longestRequest`, traffic.longestRequest!, {
      positive: true,
      fix: 'give the longest request the service promises to finish, e.g. the consumers\' read timeout Duration.seconds(60)',
    });
    if (longestMs < p99Ms) {
      throw invalidProp(`${prefix}.longestRequest`, formatMillis(longestMs), `is shorter than p99Latency (${formatMillis(p99Ms)})`,
        `give at least ${formatMillis(p99Ms)}: one request in a hundred already takes longer (e.g. the consumers' read timeout), or check p99Latency`);
    }
  } else if (fallback !== undefined) {
    longestMs = fallback.ms;
  }
  const rounds = Math.ceil(concurrency / workers);
  const queueMs = rounds * averageMs;
  const exactMs = Math.max(longestMs ?? 0, p99Ms, queueMs);
  const seconds = ceilSeconds(exactMs);
  if (exactMs > MAX_DURATION_MS) {
    throw invalidProp(`${prefix}.p95Concurrency`, show(concurrency, 'requests'),
      `drains for ${formatMillis(exactMs)} (ceil(${concurrency} / ${workers} threads) × ${formatMillis(averageMs)}), more than one day`,
      'check the measurements: p95Concurrency is in-flight requests per pod, averageLatency the server-side mean');
  }
  const longestText = longestMs === undefined ? ''
    : `longest request ${formatMillis(longestMs)} (${longestGiven ? 'given' : fallback!.source}), `;
  const arithmetic =
    `max(${longestText}p99 ${formatMillis(p99Ms)}, queue ceil(C95 ${concurrency} / T ${workers}) = ${rounds} × avg ${formatMillis(averageMs)} = ${formatMillis(queueMs)})`
    + ` = ${formatMillis(exactMs)} → ${seconds}s`;
  return {
    longestMs,
    longestGiven,
    averageMs,
    p99Ms,
    concurrency,
    workers,
    rounds,
    queueMs,
    exactMs,
    seconds,
    arithmetic,
    findings: trafficFindings(prefix, averageMs, p99Ms),
  };
}

/** Measurements that are valid numbers but unlikely: a unit mistake or swapped fields. */
function trafficFindings(prefix: string, averageMs: number, p99Ms: number): Finding[] {
  const out: Finding[] = [];
  if (averageMs > SUSPICIOUS_AVERAGE_MS) {
    out.push({
      id: TRAFFIC_PROFILE_FINDING,
      severity: FindingSeverity.WARNING,
      message: `${prefix}.averageLatency is ${formatMillis(averageMs)}, above ${formatMillis(SUSPICIOUS_AVERAGE_MS)}: `
        + 'an average server-side request that long is more often a unit mistake (seconds given for milliseconds)',
      remediation: `if the mean is ${+(averageMs / 1000).toFixed(3)} ms, give Duration.millis(${+(averageMs / 1000).toFixed(3)}); `
        + 'if it really is that long, keep it (the drain is sized from it)',
    });
  }
  if (averageMs > p99Ms) {
    out.push({
      id: TRAFFIC_PROFILE_FINDING,
      severity: FindingSeverity.WARNING,
      message: `${prefix}.averageLatency ${formatMillis(averageMs)} is above ${prefix}.p99Latency ${formatMillis(p99Ms)}: `
        + 'a mean above the 99th percentile needs a few enormous requests; the fields may be swapped',
      remediation: `check the measurements: averageLatency is the mean (e.g. ${formatMillis(Math.min(averageMs, p99Ms))}), `
        + `p99Latency the 99th percentile (e.g. ${formatMillis(Math.max(averageMs, p99Ms))})`,
    });
  }
  return out;
}
