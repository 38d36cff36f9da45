import { Finding, FindingSeverity } from '../finding';
import { finding, model, ObjectRef, pdbsSelecting, replicas, Workload } from './model';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/**
 * A PodDisruptionBudget that allows no voluntary disruption of the pods it selects.
 */
export class PdbBlocksDisruptionRule extends Rule {
  public constructor() {
    super({
      id: 'pdb-blocks-disruption',
      severity: FindingSeverity.WARNING,
      title: 'A PodDisruptionBudget allows no disruption: node drains and autoscaler scale-down block',
      description: 'A PodDisruptionBudget with maxUnavailable 0 (or 0 %), or with minAvailable at or above the replica count (or 100 %), '
        + 'allows 0 disruptions: `kubectl drain` retries the eviction until its --timeout (none by default), node upgrades stall, and the cluster autoscaler never removes the '
        + 'node. The pods are not protected better than with one allowed disruption; they are only moved by force later. Judged for budgets '
        + 'that select a workload of the input that serves traffic, with its replica count (HorizontalPodAutoscaler minReplicas when one '
        + 'targets it).',
      remediation: 'allow at least one disruption: maxUnavailable: 1 (with 2 or more replicas)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    // the serving workloads each PDB selects, in input order (looked up per workload: linear)
    const selecting = new Map<ObjectRef, Workload[]>();
    for (const w of servingWorkloads(ctx)) {
      for (const p of pdbsSelecting(m, w)) {
        const list = selecting.get(p);
        if (list) list.push(w);
        else selecting.set(p, [w]);
      }
    }
    for (const pdb of m.ofKind('PodDisruptionBudget')) {
      const spec = pdb.object?.spec ?? {};
      for (const w of selecting.get(pdb) ?? []) {
        const r = replicas(w, m);
        if (r === undefined) continue;
        const why = blocks(spec, r.count);
        if (why === undefined) continue;
        out.push({
          ...finding(this, pdb, `${pdb.prefix}spec.${why.field}`,
            `PodDisruptionBudget ${pdb.name} (${why.field} ${JSON.stringify(why.value)}) selects ${w.kind} ${w.name} with ${r.count} replica${r.count > 1 ? 's' : ''} `
          + `(${r.source}): it allows ${why.allowed} disruptions, so 'kubectl drain' retries their eviction until its --timeout (none by default) and the cluster autoscaler never `
          + 'scales their nodes down',
            fix(pdb, w, r.count, why.field)),
          // with one replica the fix is on the workload too: no structured fix on this object alone
          ...(r.count < 2 ? {} : { fix: [{ path: `${pdb.prefix}spec.minAvailable`, value: null }, { path: `${pdb.prefix}spec.maxUnavailable`, value: 1 }] }),
        });
      }
    }
    return out;
  }
}

function blocks(spec: any, count: number): { field: string; value: unknown; allowed: number } | undefined {
  const max = spec.maxUnavailable;
  if (max !== undefined && max !== null) {
    if (max === 0 || max === '0' || (typeof max === 'string' && /^0+%$/.test(max))) return { field: 'maxUnavailable', value: max, allowed: 0 };
    return undefined;
  }
  const min = spec.minAvailable;
  if (typeof min === 'number' && min >= count) return { field: 'minAvailable', value: min, allowed: 0 };
  if (typeof min === 'string' && /^[0-9]+%$/.test(min) && Math.ceil((Number(min.slice(0, -1)) * count) / 100) >= count) {
    return { field: 'minAvailable', value: min, allowed: 0 };
  }
  return undefined;
}

function fix(pdb: ObjectRef, w: Workload, count: number, field: string): string {
  if (count < 2) {
    return `run at least 2 replicas of ${w.kind} ${w.name}, then set PodDisruptionBudget ${pdb.name} to maxUnavailable: 1`;
  }
  return `${field === 'minAvailable' ? 'replace minAvailable with' : 'set'} maxUnavailable: 1 in PodDisruptionBudget ${pdb.name} `
    + `(${count - 1} of ${count} pods stay during a drain)`;
}
