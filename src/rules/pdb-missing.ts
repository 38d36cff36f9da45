import { Finding, FindingSeverity } from '../finding';
import { finding, model, pdbsIn, pdbsSelecting, replicas } from './model';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/**
 * A replicated service without a PodDisruptionBudget.
 */
export class PdbMissingRule extends Rule {
  public constructor() {
    super({
      id: 'pdb-missing',
      severity: FindingSeverity.WARNING,
      title: 'A replicated service has no PodDisruptionBudget',
      description: 'Without a PodDisruptionBudget a node drain or cluster-autoscaler scale-down may evict all replicas at once, and every '
        + 'caller loses every instance at the same time. Judged for workloads that serve traffic and run 2 or more replicas (a single replica '
        + 'is `single-replica`\'s finding; a PDB cannot help it). When the input holds no PodDisruptionBudget in the workload\'s namespace at '
        + 'all, the finding says that one may live in another file or chart the audit was not given.',
      remediation: 'add a PodDisruptionBudget selecting the pods, e.g. maxUnavailable: 1',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of servingWorkloads(ctx)) {
      if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'DeploymentConfig', 'Rollout'].includes(w.kind)) continue;
      const r = replicas(w, m);
      if (r === undefined || r.count < 2) continue;
      const pdbs = pdbsIn(m, w.namespace);
      if (pdbsSelecting(m, w).length > 0) continue;
      const context = pdbs.length > 0
        ? `the input has ${pdbs.length} PodDisruptionBudget${pdbs.length > 1 ? 's' : ''} in its namespace, none selecting it`
        : 'the input holds no PodDisruptionBudget; one may live in a file or chart the audit was not given';
      const labels = Object.entries(w.labels).map(([k, v]) => `${k}: ${v}`).join(', ');
      out.push(finding(this, w, `${w.prefix}spec.selector`,
        `${w.kind} ${w.name} runs ${r.count} replicas (${r.source}) and no PodDisruptionBudget selects its pods (${context}): `
        + 'a node drain may evict all of them at once',
        `add a PodDisruptionBudget${w.namespace ? ` in namespace ${w.namespace}` : ''} with selector.matchLabels {${labels}} and maxUnavailable: 1 `
        + `(${r.count - 1} of ${r.count} pods stay during a drain)`));
    }
    return out;
  }
}
