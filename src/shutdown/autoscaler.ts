/*
 * The cluster autoscaler's limit on graceful termination, and the one finding about it: built here for the
 * standalone ShutdownBudget and for the audit rule `grace-period-above-autoscaler-limit` alike.
 */
import { Finding, FindingSeverity } from '../finding';

/**
 * The cluster autoscaler waits at most this long for a pod to terminate gracefully when it scales a node
 * down (`--max-graceful-termination-sec`, default 600 s).
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md
 * @internal
 */
export const AUTOSCALER_MAX_GRACE_SECONDS = 600;

/** The finding's id (and the rule's). @internal */
export const AUTOSCALER_LIMIT_ID = 'grace-period-above-autoscaler-limit';

/**
 * The finding for a grace period the cluster autoscaler does not honour, or undefined when it does.
 * @internal
 */
export function autoscalerLimitFinding(graceSeconds: number): Finding | undefined {
  if (graceSeconds <= AUTOSCALER_MAX_GRACE_SECONDS) {
    return undefined;
  }
  return {
    id: AUTOSCALER_LIMIT_ID,
    severity: FindingSeverity.WARNING,
    message: `terminationGracePeriodSeconds ${graceSeconds}s is above the cluster autoscaler's default --max-graceful-termination-sec of `
      + `${AUTOSCALER_MAX_GRACE_SECONDS} s: on scale-down the pod is killed after ${AUTOSCALER_MAX_GRACE_SECONDS} s, not after ${graceSeconds} s`,
    remediation: 'shorten the drain (more workers, lower latency) or the propagation wait, or raise --max-graceful-termination-sec on the cluster autoscaler',
  };
}
