import { Finding, FindingSeverity } from '../finding';
import { finding, model, replicas, Workload } from './model';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/**
 * Kubernetes' default `maxUnavailable` and `maxSurge` of a Deployment's rolling update.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable
 */
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/**
 * A serving Deployment's rolling-update `maxUnavailable` as given, or Kubernetes' default when not given;
 * undefined for a `Recreate` strategy (rollout-recreate judges that) or another kind.
 * @internal
 */
export function maxUnavailableOf(w: Workload): { value: unknown; given: boolean; strategy: any } | undefined {
  if (w.kind !== 'Deployment') return undefined;
  const strategy = w.object.spec?.strategy;
  if (strategy?.type === 'Recreate') return undefined;
  const raw = strategy?.rollingUpdate?.maxUnavailable;
  const given = raw !== undefined && raw !== null;
  return { value: given ? raw : DEFAULT_MAX_UNAVAILABLE, given, strategy };
}

/**
 * How many pods a rolling update parameter amounts to at `count` replicas (a percentage rounds down for
 * maxUnavailable, up for maxSurge), or undefined when it is templated.
 * @internal
 */
export function rolloutPods(value: unknown, count: number, roundUp = false): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) {
    const exact = (Number(value.slice(0, -1)) * count) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * A rolling update that may take ready pods away before their replacements are ready.
 */
export class RolloutMaxUnavailableRule extends Rule {
  public constructor() {
    super({
      id: 'rollout-max-unavailable',
      severity: FindingSeverity.WARNING,
      title: 'The rolling update may remove ready pods before their replacements are ready (maxUnavailable > 0)',
      description: 'With maxUnavailable above 0 a rollout terminates old pods before new ones are ready, so capacity drops while the '
        + 'remaining pods also absorb the traffic of the terminating ones (docs/field-reports.md: maxSurge 25 %, maxUnavailable 0). The default is '
        + `${DEFAULT_MAX_UNAVAILABLE}, rounded down: it is 0 below 4 replicas, so it is reported only when it amounts to at least one pod at the `
        + 'declared replica count (HorizontalPodAutoscaler minReplicas when one targets the Deployment); below that, '
        + '`rollout-max-unavailable-implicit` says it is not explicit. Deployments that serve traffic; infrastructure images are not judged.',
      remediation: 'set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1 (or 25%)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of servingWorkloads(ctx)) {
      const mu = maxUnavailableOf(w);
      if (mu === undefined) continue;
      const { value, given, strategy } = mu;
      const r = replicas(w, m);
      if (r === undefined) continue;
      const pods = rolloutPods(value, r.count);
      if (pods === undefined || pods <= 0) continue;
      const surge = rolloutPods(strategy?.rollingUpdate?.maxSurge ?? DEFAULT_MAX_UNAVAILABLE, r.count, true);
      out.push({
        ...finding(this, w, `${w.prefix}spec.strategy.rollingUpdate.maxUnavailable`,
          `maxUnavailable is ${JSON.stringify(value)}${given ? '' : ' (not set: Kubernetes\' default)'}, ${pods} pod${pods > 1 ? 's' : ''} of ${r.count} `
        + `(${r.source}): a rollout terminates ${pods > 1 ? 'that many' : 'one'} ready pod${pods > 1 ? 's' : ''} before ${pods > 1 ? 'their replacements are' : 'its replacement is'} ready`,
          `set spec.strategy.rollingUpdate.maxUnavailable: 0${surge === 0 ? ' and maxSurge: 1 (both 0 is rejected)' : ''}: new pods start `
        + `(maxSurge ${surge ?? JSON.stringify(strategy?.rollingUpdate?.maxSurge)}) before old ones stop`),
        fix: [
          { path: `${w.prefix}spec.strategy.rollingUpdate.maxUnavailable`, value: 0 },
          ...(surge === 0 ? [{ path: `${w.prefix}spec.strategy.rollingUpdate.maxSurge`, value: 1 }] : []),
        ],
      });
    }
    return out;
  }
}
