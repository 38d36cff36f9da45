import { Finding, FindingSeverity } from '../finding';
import { finding, model, pdbsIn, pdbsSelecting, replicas, servesJava, servicesSelecting } from './model';
import { Rule, RuleContext } from './rule';

/**
 * A replicated service without a PodDisruptionBudget.
 */
export class PdbMissingRule extends Rule {
  public constructor() {
    super({
      id: 'pdb-missing',
      severity: FindingSeverity.WARNING,
      title: 'A replicated Java or registry-backed service has no PodDisruptionBudget',
      description: 'Without a PodDisruptionBudget a node drain or cluster-autoscaler scale-down may evict all replicas at once, and the '
        + 'registry\'s consumers lose every instance at the same time. Judged only when the input holds the workload\'s companions, so a file '
        + 'with only a Deployment is not reported: the workload runs 2 or more replicas AND the input contains a PodDisruptionBudget or a '
        + 'Service selecting the workload in its namespace. (A single replica is `single-replica`\'s finding; a PDB cannot help it.)',
      remediation: 'add a PodDisruptionBudget selecting the pods, e.g. maxUnavailable: 1',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of m.workloads) {
      if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'DeploymentConfig', 'Rollout'].includes(w.kind) || !servesJava(ctx, w)) continue;
      const r = replicas(w, m);
      if (r === undefined || r.count < 2) continue;
      const pdbs = pdbsIn(m, w.namespace);
      const services = servicesSelecting(m, w);
      if (pdbs.length === 0 && services.length === 0) continue; // the input does not hold this workload's companions
      if (pdbsSelecting(m, w).length > 0) continue;
      const context = pdbs.length > 0 ? `the input has ${pdbs.length} PodDisruptionBudget${pdbs.length > 1 ? 's' : ''} in its namespace`
        : `the input has its Service ${services[0].name}`;
      out.push(finding(this, w, `${w.prefix}spec.selector`,
        `${w.kind} ${w.name} runs ${r.count} replicas (${r.source}) and no PodDisruptionBudget selects its pods (${context}): `
        + 'a node drain may evict all of them at once'));
    }
    return out;
  }
}
