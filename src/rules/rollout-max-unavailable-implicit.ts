import { Finding, FindingSeverity } from '../finding';
import { finding, hpaFor, model, replicas } from './model';
import { DEFAULT_MAX_UNAVAILABLE, maxUnavailableOf, rolloutPods } from './rollout-max-unavailable';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/** Replica counts at which Kubernetes' default 25 % maxUnavailable rounds down to 0 pods. */
const MAX_SAFE_BY_ROUNDING = 3;

/**
 * maxUnavailable is not explicitly 0 at 1–3 replicas: safe by rounding today, not after a scale-up.
 */
export class RolloutMaxUnavailableImplicitRule extends Rule {
  public constructor() {
    super({
      id: 'rollout-max-unavailable-implicit',
      severity: FindingSeverity.INFO,
      title: 'maxUnavailable is 0 pods only by rounding (not explicit) at 1 to 3 replicas',
      description: `Kubernetes' default maxUnavailable is ${DEFAULT_MAX_UNAVAILABLE}, rounded down: at 1 to 3 replicas it is 0 pods and a rollout `
        + 'loses no capacity, but one replica bump (or an HPA scale-up) to 4 makes it 1 pod, and the rollout then stops a ready pod before its '
        + 'replacement is ready. The same holds for an explicit percentage that rounds to 0 today. Nothing is lost at the declared count: the '
        + 'finding only says the 0 is not explicit. Deployments that serve traffic; at 4 replicas and more `rollout-max-unavailable` reports it.',
      remediation: 'set spec.strategy.rollingUpdate.maxUnavailable: 0 explicitly',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of servingWorkloads(ctx)) {
      const mu = maxUnavailableOf(w);
      if (mu === undefined) continue;
      const { value, given, strategy } = mu;
      if (typeof value === 'number' || /^[0-9]+$/.test(String(value))) continue; // a pod count: 0 is explicit, more is the other rule's
      const r = replicas(w, m);
      if (r === undefined || r.count < 1 || r.count > MAX_SAFE_BY_ROUNDING) continue;
      if (rolloutPods(value, r.count) !== 0) continue;
      const firstLoss = firstCountLosingAPod(value, r.count);
      if (firstLoss === undefined) continue; // "0%"
      const hpa = hpaFor(m, w);
      const max = hpa?.object?.spec?.maxReplicas;
      const surge = rolloutPods(strategy?.rollingUpdate?.maxSurge ?? DEFAULT_MAX_UNAVAILABLE, r.count, true);
      out.push({
        ...finding(this, w, `${w.prefix}spec.strategy.rollingUpdate.maxUnavailable`,
          `maxUnavailable is not explicit: ${JSON.stringify(value)}${given ? '' : ' (not set: Kubernetes\' default)'} rounds down to 0 pods at `
        + `${r.count} replica${r.count > 1 ? 's' : ''} (${r.source}), so no ready pod is lost today; from ${firstLoss} replicas it is `
        + `${rolloutPods(value, firstLoss)} pod and a rollout stops a ready pod before its replacement is ready`
        + (typeof max === 'number' && max >= firstLoss ? ` (HorizontalPodAutoscaler ${hpa!.name} scales it up to ${max})` : ''),
          `set spec.strategy.rollingUpdate.maxUnavailable: 0${surge === 0 ? ' and maxSurge: 1 (both 0 is rejected)' : ''}`),
        fix: [
          { path: `${w.prefix}spec.strategy.rollingUpdate.maxUnavailable`, value: 0 },
          ...(surge === 0 ? [{ path: `${w.prefix}spec.strategy.rollingUpdate.maxSurge`, value: 1 }] : []),
        ],
      });
    }
    return out;
  }
}

/** The first replica count above `count` (up to 100 more) at which the value is at least one pod. */
function firstCountLosingAPod(value: unknown, count: number): number | undefined {
  for (let n = count + 1; n <= count + 100; n++) {
    if ((rolloutPods(value, n) ?? 0) > 0) return n;
  }
  return undefined;
}
