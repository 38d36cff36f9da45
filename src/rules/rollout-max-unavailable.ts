import { Finding, FindingSeverity } from '../finding';
import { finding, model, replicas, servesJava } from './model';
import { Rule, RuleContext } from './rule';

/** Kubernetes' default `maxUnavailable` of a Deployment's rolling update. */
const DEFAULT_MAX_UNAVAILABLE = '25%';

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
        + 'remaining pods also absorb the traffic of the terminating ones (field report 004: maxSurge 25 %, maxUnavailable 0). The default is '
        + `${DEFAULT_MAX_UNAVAILABLE}, rounded down: it is 0 below 4 replicas, so it is reported only when it amounts to at least one pod at the `
        + 'declared replica count (HorizontalPodAutoscaler minReplicas when one targets the Deployment). Java and registry-backed Deployments only.',
      remediation: 'set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1 (or 25%)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of m.workloads) {
      if (w.kind !== 'Deployment' || !servesJava(ctx, w)) continue;
      const strategy = w.object.spec?.strategy;
      if (strategy?.type === 'Recreate') continue;
      const raw = strategy?.rollingUpdate?.maxUnavailable;
      const given = raw !== undefined && raw !== null;
      const value = given ? raw : DEFAULT_MAX_UNAVAILABLE;
      const r = replicas(w, m);
      if (r === undefined) continue;
      let pods: number;
      if (typeof value === 'number') pods = value;
      else if (typeof value === 'string' && /^[0-9]+%$/.test(value)) pods = Math.floor((Number(value.slice(0, -1)) * r.count) / 100);
      else if (typeof value === 'string' && /^[0-9]+$/.test(value)) pods = Number(value);
      else continue; // templated
      if (pods <= 0) continue;
      out.push(finding(this, w, `${w.prefix}spec.strategy.rollingUpdate.maxUnavailable`,
        `maxUnavailable is ${JSON.stringify(value)}${given ? '' : ' (not set: Kubernetes\' default)'}, ${pods} pod${pods > 1 ? 's' : ''} of ${r.count} `
        + `(${r.source}): a rollout terminates ${pods > 1 ? 'that many' : 'one'} ready pod${pods > 1 ? 's' : ''} before ${pods > 1 ? 'their replacements are' : 'its replacement is'} ready`));
    }
    return out;
  }
}
