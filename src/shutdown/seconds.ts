import { Duration } from 'cdk8s';
import { invalidProp, show } from '../errors';

/*
 * The one rounding rule of the library, written down once:
 *
 *   Every term of the shutdown budget is computed exactly in milliseconds and then rounded UP to the next
 *   whole second, once, before it is added to anything. Sums, maxima and the 80 % rule then work on whole
 *   seconds only, so every number in the synthesized YAML can be redone by hand from the annotations.
 *
 * Rounding up (never to nearest) means a term can only be over-estimated by less than a second: the pod
 * is never given less time than a phase needs.
 */

/** Milliseconds in a second. */
const MS_PER_SECOND = 1000;

/**
 * The longest duration any prop takes: one day. Every term of the budget is at most this, so their sums
 * stay far inside the int32 `…Seconds` fields of Kubernetes, and every number the preStop script receives
 * stays a plain whole number of seconds (its `whole_seconds` reads digits only: `1e+300` would not be one).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#lifecycle
 * @internal
 */
export const MAX_DURATION_MS = 24 * 60 * 60 * MS_PER_SECOND;

/**
 * Rounds a duration in milliseconds up to whole seconds (the library's only rounding rule).
 * @internal
 */
export function ceilSeconds(ms: number): number {
  return Math.ceil(ms / MS_PER_SECOND);
}

/**
 * Reads a cdk8s Duration as a finite, non-negative number of milliseconds, or throws a clear error that
 * names the prop. cdk8s itself accepts `Duration.millis(NaN)` and fractional amounts.
 * @internal
 */
export function readMillis(prop: string, d: Duration, opts: { positive?: boolean; fix: string }): number {
  if (d === undefined || d === null || typeof (d as any).toMilliseconds !== 'function') {
    throw invalidProp(prop, show(d), 'is not a Duration', opts.fix);
  }
  const ms = d.toMilliseconds({ integral: false });
  if (typeof ms !== 'number') {
    throw invalidProp(prop, show(ms), 'must be a finite duration', opts.fix);
  }
  if (!Number.isFinite(ms)) {
    throw invalidProp(prop, `${ms}ms`, 'must be a finite duration', opts.fix);
  }
  if (ms < 0) {
    throw invalidProp(prop, `${ms}ms`, 'must not be negative', opts.fix);
  }
  if (ms > MAX_DURATION_MS) {
    throw invalidProp(prop, `${ms}ms`, `must be at most one day (${MAX_DURATION_MS}ms)`, opts.fix);
  }
  if (opts.positive && ms === 0) {
    throw invalidProp(prop, '0ms', 'must be greater than zero', opts.fix);
  }
  return ms;
}

/**
 * Formats milliseconds for explanations: whole seconds as `12s`, anything else as `850ms`.
 * @internal
 */
export function formatMillis(ms: number): string {
  if (ms % MS_PER_SECOND === 0) {
    return `${ms / MS_PER_SECOND}s`;
  }
  return `${Number.isInteger(ms) ? ms : +ms.toFixed(3)}ms`;
}
