import { Finding, FindingSeverity } from '../finding';
import { finding, model } from './model';
import { Rule, RuleContext } from './rule';
import { AUTOSCALER_MAX_GRACE_SECONDS, autoscalerLimitFinding } from '../shutdown/autoscaler';

const LIMIT = AUTOSCALER_MAX_GRACE_SECONDS;

/**
 * A grace period the cluster autoscaler does not honour.
 */
export class GracePeriodAboveAutoscalerLimitRule extends Rule {
  public constructor() {
    super({
      id: 'grace-period-above-autoscaler-limit',
      severity: FindingSeverity.WARNING,
      title: `terminationGracePeriodSeconds is above the cluster autoscaler's ${LIMIT} s`,
      description: `When the cluster autoscaler scales a node down it waits at most --max-graceful-termination-sec (${LIMIT} s by default) for `
        + 'each pod; a longer grace period is cut short there, so whatever the preStop and drain were sized for does not happen on scale-down.',
      remediation: `keep terminationGracePeriodSeconds ≤ ${LIMIT} s (shorten the wait or the drain), or raise --max-graceful-termination-sec`,
    });
  }

  public check(ctx: RuleContext): Finding[] {
    // The message is the one ShutdownBudget.findings carries: one text for the same fact.
    return model(ctx).workloads
      .filter(w => w.longRunning && w.graceGiven)
      .flatMap(w => {
        const found = autoscalerLimitFinding(w.grace);
        return found ? [finding(this, w, w.gracePath, found.message)] : [];
      });
  }
}
