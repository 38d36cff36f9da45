import { Duration } from 'cdk8s';
import { invalidProp } from './errors';
import { ExplainLine } from './explain';
import { ceilSeconds, formatMillis, readMillis } from './shutdown/seconds';

/**
 * Probe period used for every probe the library renders: Kubernetes' default `periodSeconds`.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
 */
export const PROBE_PERIOD_SECONDS = 10;
/**
 * Consecutive failures before a probe counts as failed: Kubernetes' default `failureThreshold`.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
 */
export const PROBE_FAILURE_THRESHOLD = 3;
/**
 * Kubernetes' default `progressDeadlineSeconds` for Deployments.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds
 */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/**
 * Time a new pod may spend being scheduled and pulling its image before its startup budget even begins;
 * added on top of startup + minReady when those alone approach the progress deadline. This margin is the
 * library's own choice, not a measured value, and says so in every explanation; `progressDeadline`
 * overrides it.
 */
export const SCHEDULING_ALLOWANCE_SECONDS = 60;

/**
 * Inputs of the rollout plan.
 * @internal
 */
export interface RolloutInputs {
  readonly startupBudget: Duration;
  readonly startupBudgetSource: string;
  readonly minReady?: Duration;
  readonly progressDeadline?: Duration;
}

/**
 * Startup probe sizing, minReadySeconds and progressDeadlineSeconds, in whole seconds, with their
 * arithmetic (same rounding rule as the shutdown budget).
 * @internal
 */
export class RolloutPlan {
  public readonly startupSeconds: number;
  public readonly startupFailureThreshold: number;
  public readonly minReadySeconds: number;
  public readonly progressDeadlineSeconds: number;
  public readonly lines: ExplainLine[];
  public readonly sources: string[];

  constructor(inputs: RolloutInputs) {
    const startupMs = readMillis('startupBudget', inputs.startupBudget,
      { positive: true, fix: 'give the longest time the application may take to start, e.g. Duration.minutes(3)' });
    this.startupSeconds = ceilSeconds(startupMs);
    // The startup probe fails after failureThreshold × period: size the threshold so that covers the budget.
    this.startupFailureThreshold = Math.max(1, Math.ceil(this.startupSeconds / PROBE_PERIOD_SECONDS));
    const startupCovered = this.startupFailureThreshold * PROBE_PERIOD_SECONDS;

    // A new pod must stay ready for one full readiness failure window before it counts as available,
    // so a pod that fails readiness right after starting never lets the rollout remove an old one.
    const readinessWindow = PROBE_PERIOD_SECONDS * PROBE_FAILURE_THRESHOLD;
    let minReadyText: string;
    if (inputs.minReady !== undefined) {
      this.minReadySeconds = ceilSeconds(readMillis('minReady', inputs.minReady, { fix: 'give a duration such as Duration.seconds(30), or leave it out' }));
      minReadyText = `${this.minReadySeconds}s (given)`;
    } else {
      this.minReadySeconds = readinessWindow;
      minReadyText = `readiness period ${PROBE_PERIOD_SECONDS}s × failureThreshold ${PROBE_FAILURE_THRESHOLD} = ${readinessWindow}s`;
    }

    const floor = startupCovered + this.minReadySeconds;
    let deadlineText: string;
    if (inputs.progressDeadline !== undefined) {
      const ms = readMillis('progressDeadline', inputs.progressDeadline, { positive: true, fix: `give more than ${floor}s, or leave it out` });
      const s = ceilSeconds(ms);
      if (s <= floor) {
        throw invalidProp('progressDeadline', formatMillis(ms),
          `must be greater than startup probe window ${startupCovered}s + minReady ${this.minReadySeconds}s = ${floor}s, or Kubernetes marks every rollout as failed before a new pod can become available`,
          `leave it out (derived), or give at least Duration.seconds(${floor + 1})`);
      }
      this.progressDeadlineSeconds = s;
      deadlineText = `${s}s (given; must exceed startup ${startupCovered}s + minReady ${this.minReadySeconds}s = ${floor}s)`;
    } else {
      const needed = floor + SCHEDULING_ALLOWANCE_SECONDS;
      this.progressDeadlineSeconds = Math.max(DEFAULT_PROGRESS_DEADLINE_SECONDS, needed);
      deadlineText = `max(Kubernetes default ${DEFAULT_PROGRESS_DEADLINE_SECONDS}s, startup ${startupCovered}s + minReady ${this.minReadySeconds}s + scheduling ${SCHEDULING_ALLOWANCE_SECONDS}s = ${needed}s) = ${this.progressDeadlineSeconds}s`;
    }

    this.sources = [
      `probe period ${PROBE_PERIOD_SECONDS}s, failureThreshold ${PROBE_FAILURE_THRESHOLD}: Kubernetes Probe defaults`,
      ...(inputs.startupBudgetSource !== 'given' ? [`startup budget ${formatMillis(startupMs)}: ${inputs.startupBudgetSource}`] : []),
      ...(inputs.progressDeadline === undefined ? [`progress deadline floor ${DEFAULT_PROGRESS_DEADLINE_SECONDS}s: Kubernetes Deployment default; scheduling margin ${SCHEDULING_ALLOWANCE_SECONDS}s: this library's choice`] : []),
    ];

    this.lines = [
      {
        key: 'startup-probe',
        label: 'startup probe',
        text: `budget ${formatMillis(startupMs)} (${inputs.startupBudgetSource}) → failureThreshold ceil(${this.startupSeconds}s / period ${PROBE_PERIOD_SECONDS}s) = ${this.startupFailureThreshold} (${startupCovered}s)`,
      },
      { key: 'min-ready', label: 'minReadySeconds', text: minReadyText },
      { key: 'progress-deadline', label: 'progressDeadlineSeconds', text: deadlineText },
    ];
  }
}
