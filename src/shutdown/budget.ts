import { AUTOSCALER_MAX_GRACE_SECONDS, autoscalerLimitFinding } from './autoscaler';
import { Duration } from './lazy-duration';
import { computePropagation, Propagation, PropagationPath } from './propagation';
import { ceilSeconds, formatMillis, readMillis } from './seconds';
import { computeDrain, TrafficProfile } from './traffic';
import { invalidProp, show } from '../errors';
import { ANNOTATION_PREFIX, ExplainLine, linesToAnnotations, renderLines } from '../explain';
import { Finding } from '../finding';

/**
 * Inputs of the shutdown budget.
 */
export interface ShutdownBudgetProps {
  /**
   * What one pod serves: sizes the drain.
   */
  readonly traffic: TrafficProfile;

  /**
   * The paths by which callers learn that the pod is going away; the preStop waits for the slowest.
   *
   * @default [Propagation.kubernetesEndpoints()] (10 s, Spring Boot reference)
   */
  readonly propagation?: PropagationPath[];

  /**
   * Upper bound of the call that takes the instance out of its registry before the wait (the sum of its
   * timeouts). Zero when nothing is called.
   *
   * @default Duration.seconds(0) (the foundation makes no take-out call; registry adapters set it)
   */
  readonly deregistrationTimeout?: Duration;

  /**
   * Added on top of preStop + drain + shutdown allowance, for what nobody measured.
   *
   * @default Duration.seconds(10) (field report 004: "safety buffer (suggested 10 s)")
   */
  readonly safetyBuffer?: Duration;

  /**
   * Time the process needs after the drain to exit: remaining shutdown hooks, closing pools, GC pauses.
   *
   * @default Duration.seconds(0) (GracefulJavaService sets 5 s, see its `jvmAllowance`)
   */
  readonly shutdownAllowance?: Duration;

  /**
   * A termination grace period chosen by you. It must be at least the derived minimum; it may be more.
   *
   * @default the derived minimum
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * The longest request to assume when `traffic.longestRequest` is not given: the shutdown phase is never
   * shorter. A shorter `traffic.longestRequest` given explicitly wins.
   *
   * @default - none: the drain is `max(p99, ceil(C95 / T) × average)` (GracefulJavaService uses Spring Boot's
   * 30 s `timeout-per-shutdown-phase` default)
   */
  readonly defaultLongestRequest?: Duration;

  /**
   * A wait inside the process after SIGTERM and before the drain starts, that the preStop cannot replace
   * (e.g. Spring Cloud Alibaba's `graceful-shutdown-wait-time` sleep on `ContextClosedEvent` when kept).
   *
   * @default Duration.seconds(0)
   */
  readonly inProcessWait?: Duration;
}

/**
 * Fraction of the grace period the preStop hook may use at most (field report 004: "preStop must not take more
 * than 80 % of the grace period"). Kept as a ratio of integers so the rule stays in whole seconds:
 * grace ≥ ceil(preStop × 5 / 4). The rules prestop-over-80-percent-of-grace and prestop-script-unverified use the same ratio.
 * @internal
 */
export const PRESTOP_SHARE_NUM = 4;
/** @internal */
export const PRESTOP_SHARE_DEN = 5;

/** Field report 004: "safety buffer (suggested 10 s)". */
const DEFAULT_SAFETY_BUFFER = Duration.seconds(10);

/**
 * The termination timeline of one pod, derived from its traffic and from how long the news of its
 * shutdown takes to reach callers. Pure arithmetic, no constructs: every number is whole seconds, each
 * term rounded up once (see [docs/shutdown-budget.md](docs/shutdown-budget.md#one-rounding-rule)).
 *
 * ```
 * drain    = max(longest request, p99, ceil(C95 / T) × average)      (the last term: report 004's queue drain)
 * preStop  = deregistration bound + max(propagation paths)
 * grace    = max(preStop + in-process wait + drain + shutdown allowance + buffer, ceil(preStop / 0.8))   [or yours, if larger]
 * spring.lifecycle.timeout-per-shutdown-phase = drain
 * ```
 */
export class ShutdownBudget {
  /**
   * The cluster autoscaler waits at most this long for a pod to terminate gracefully when it scales a
   * node down (`--max-graceful-termination-sec`, default 600 s); a longer grace period gets a finding.
   *
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md
   */
  public static readonly AUTOSCALER_MAX_GRACE_SECONDS = AUTOSCALER_MAX_GRACE_SECONDS;

  /**
   * Time for in-flight requests to finish after SIGTERM, in seconds: max(longest request, p99, queue drain).
   */
  public readonly drainSeconds: number;
  /** The longest request the drain covers (given, or the default), in seconds; 0 when there is none. */
  public readonly longestRequestSeconds: number;
  /** The queue drain ceil(C95 / T) × average (field report 004's term), in seconds. */
  public readonly queueDrainSeconds: number;
  /** A wait inside the process after SIGTERM, before the drain, in seconds. */
  public readonly inProcessWaitSeconds: number;
  /** The propagation wait (slowest path), in seconds. */
  public readonly propagationSeconds: number;
  /** Bound of the take-out call before the wait, in seconds. */
  public readonly deregistrationSeconds: number;
  /** How long the preStop hook runs: deregistration bound + propagation wait, in seconds. */
  public readonly preStopSeconds: number;
  /** Time the process needs to exit after the drain, in seconds. */
  public readonly shutdownAllowanceSeconds: number;
  /** Safety buffer, in seconds. */
  public readonly safetyBufferSeconds: number;
  /** preStop + in-process wait + drain + allowance + buffer, in seconds. */
  public readonly sumSeconds: number;
  /** Smallest grace period that keeps preStop within 80 % of it: ceil(preStop × 5 / 4), in seconds. */
  public readonly preStopShareSeconds: number;
  /** The smallest correct grace period: max(sum, preStop share), in seconds. */
  public readonly minimumGracePeriodSeconds: number;
  /** The grace period to use: yours if given (and large enough), else the minimum, in seconds. */
  public readonly terminationGracePeriodSeconds: number;
  /** Spring's `spring.lifecycle.timeout-per-shutdown-phase` (= drain), in seconds. */
  public readonly shutdownPhaseTimeoutSeconds: number;
  /** The slowest propagation path. */
  public readonly slowestPath: string;
  /** Things that are allowed but worth a look (e.g. a grace period above the cluster autoscaler's limit). */
  public readonly findings: Finding[];
  /** Where each number the budget did not get from you comes from, one entry per term. */
  public readonly sources: string[];

  /** @internal */
  public readonly _lines: ExplainLine[];

  constructor(props: ShutdownBudgetProps) {
    if (props === undefined || props === null) {
      throw invalidProp('props', show(props), 'are required', 'give at least { traffic }');
    }
    const fallbackMs = props.defaultLongestRequest === undefined ? undefined
      : readMillis('defaultLongestRequest', props.defaultLongestRequest, { positive: true, fix: 'give e.g. Duration.seconds(30), or leave it out' });
    const drain = computeDrain(props.traffic, 'traffic', fallbackMs === undefined ? undefined : { ms: fallbackMs, source: 'default' });
    const propagation = computePropagation(props.propagation ?? [Propagation.kubernetesEndpoints()]);

    const deregMs = readMillis('deregistrationTimeout', props.deregistrationTimeout ?? Duration.seconds(0),
      { fix: 'give the sum of the take-out call\'s connect and read timeouts, e.g. Duration.seconds(3)' });
    const bufferMs = readMillis('safetyBuffer', props.safetyBuffer ?? DEFAULT_SAFETY_BUFFER,
      { fix: 'give a buffer such as Duration.seconds(10) (docs/shutdown-budget.md), or leave it out' });
    const allowanceMs = readMillis('shutdownAllowance', props.shutdownAllowance ?? Duration.seconds(0),
      { fix: 'give the time the process needs to exit after the drain, e.g. Duration.seconds(5)' });
    const waitMs = readMillis('inProcessWait', props.inProcessWait ?? Duration.seconds(0),
      { fix: 'give the wait the process makes after SIGTERM before it drains, e.g. Duration.seconds(10), or switch that wait off' });

    this.drainSeconds = drain.seconds;
    this.longestRequestSeconds = ceilSeconds(drain.longestMs ?? 0);
    this.queueDrainSeconds = ceilSeconds(drain.queueMs);
    this.inProcessWaitSeconds = ceilSeconds(waitMs);
    this.propagationSeconds = propagation.seconds;
    this.slowestPath = propagation.slowest;
    this.deregistrationSeconds = ceilSeconds(deregMs);
    this.safetyBufferSeconds = ceilSeconds(bufferMs);
    this.shutdownAllowanceSeconds = ceilSeconds(allowanceMs);

    this.preStopSeconds = this.deregistrationSeconds + this.propagationSeconds;
    this.sumSeconds = this.preStopSeconds + this.inProcessWaitSeconds + this.drainSeconds + this.shutdownAllowanceSeconds + this.safetyBufferSeconds;
    this.preStopShareSeconds = Math.ceil((this.preStopSeconds * PRESTOP_SHARE_DEN) / PRESTOP_SHARE_NUM);
    // Kubernetes treats 0 as "kill now" (skipping graceful termination), so the minimum is at least 1 s.
    this.minimumGracePeriodSeconds = Math.max(this.sumSeconds, this.preStopShareSeconds, 1);
    this.shutdownPhaseTimeoutSeconds = this.drainSeconds;

    const padded = this.preStopShareSeconds > this.sumSeconds;
    const waitText = props.inProcessWait !== undefined ? ` + in-process wait ${this.inProcessWaitSeconds}s` : '';
    const minimumText =
      `max(preStop ${this.preStopSeconds}s${waitText} + drain ${this.drainSeconds}s + allowance ${this.shutdownAllowanceSeconds}s + buffer ${this.safetyBufferSeconds}s = ${this.sumSeconds}s,`
      + ` ceil(preStop ${this.preStopSeconds}s / 0.8) = ${this.preStopShareSeconds}s) = ${this.minimumGracePeriodSeconds}s`
      + (padded ? ' (padded so preStop stays within 80 % of the grace period)' : '');

    let graceText: string;
    if (props.terminationGracePeriod !== undefined) {
      const userMs = readMillis('terminationGracePeriod', props.terminationGracePeriod,
        { positive: true, fix: `leave it out to use the derived ${this.minimumGracePeriodSeconds}s, or give at least that` });
      const userSeconds = ceilSeconds(userMs);
      if (userSeconds < this.minimumGracePeriodSeconds) {
        throw invalidProp('terminationGracePeriod', formatMillis(userMs),
          `is ${this.minimumGracePeriodSeconds - userSeconds}s shorter than the derived minimum of ${this.minimumGracePeriodSeconds}s = ${minimumText}; `
          + 'the kubelet would SIGKILL the pod before in-flight requests finish',
          `leave it out, or give at least Duration.seconds(${this.minimumGracePeriodSeconds}); to shorten it, shorten the terms (traffic, propagation, safetyBuffer)`);
      }
      this.terminationGracePeriodSeconds = userSeconds;
      graceText = `${userSeconds}s (given; derived minimum ${this.minimumGracePeriodSeconds}s)`;
    } else {
      this.terminationGracePeriodSeconds = this.minimumGracePeriodSeconds;
      graceText = `${this.minimumGracePeriodSeconds}s (derived minimum)`;
    }

    this.sources = [
      ...propagation.paths.map(p => `propagation ${p.name} ${formatMillis(p.ms)}: ${p.source}`),
      ...(props.safetyBuffer === undefined ? [`safety buffer ${formatMillis(bufferMs)}: field report 004 (docs/field-reports.md)`] : []),
    ];

    const autoscaler = autoscalerLimitFinding(this.terminationGracePeriodSeconds);
    this.findings = [...drain.findings, ...(autoscaler ? [autoscaler] : [])];

    this._lines = [
      { key: 'drain', label: 'drain', text: drain.arithmetic },
      { key: 'propagation', label: 'propagation wait', text: propagation.arithmetic },
      {
        key: 'pre-stop',
        label: 'preStop',
        text: `deregistration ${this.deregistrationSeconds}s + propagation ${this.propagationSeconds}s = ${this.preStopSeconds}s`,
      },
      ...(props.inProcessWait !== undefined
        ? [{ key: 'in-process-wait', label: 'in-process wait', text: `${this.inProcessWaitSeconds}s after SIGTERM, before the drain` }]
        : []),
      { key: 'minimum-grace-period', label: 'minimum grace', text: minimumText },
      { key: 'termination-grace-period', label: 'terminationGracePeriodSeconds', text: graceText },
      {
        key: 'shutdown-phase-timeout',
        label: 'spring.lifecycle.timeout-per-shutdown-phase',
        text: `drain = ${this.shutdownPhaseTimeoutSeconds}s (per lifecycle phase)`,
      },
    ];
  }

  /**
   * The arithmetic, one line per term, with every value, so a reader can redo it by hand.
   */
  public explain(): string {
    return [
      ...this._explainBody(),
      'Sources:',
      ...this.sources.map(x => `  ${x}`),
    ].join('\n');
  }

  /**
   * The explanation without its sources (constructs append their own).
   * @internal
   */
  public _explainBody(): string[] {
    return [
      'Shutdown budget (whole seconds; each term is rounded up once, then added):',
      ...renderLines(this._lines),
      ...this.findings.map(f => `  ${f.severity}: ${f.message}`),
    ];
  }

  /**
   * The same arithmetic as one annotation per term (`<prefix><term>`), for the pod template.
   *
   * @param prefix annotation key prefix
   * @default prefix 'graceful.cdk8s.io/'
   */
  public toAnnotations(prefix?: string): { [key: string]: string } {
    return linesToAnnotations(this._lines, prefix ?? ANNOTATION_PREFIX);
  }
}
