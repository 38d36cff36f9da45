import { Finding, FindingSeverity } from '../finding';
import { finding, model, replicas } from './model';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/**
 * A service runs a single replica.
 */
export class SingleReplicaRule extends Rule {
  public constructor() {
    super({
      id: 'single-replica',
      severity: FindingSeverity.WARNING,
      title: 'A service runs a single replica',
      description: 'With one replica every voluntary disruption (node drain, cluster-autoscaler scale-down, eviction) takes the service away '
        + 'completely until a new pod has started, which for a JVM takes tens of seconds; a lossless preStop cannot help when nobody else can '
        + 'take the traffic. `replicas` unset means 1; a HorizontalPodAutoscaler\'s minReplicas counts when one targets the workload (minReplicas 1 '
        + 'is a single replica whenever the load is low). Deployments, StatefulSets, ReplicaSets that serve traffic; infrastructure images are '
        + 'not judged.',
      remediation: 'run at least 2 replicas (and a PodDisruptionBudget with maxUnavailable: 1)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of servingWorkloads(ctx)) {
      if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'DeploymentConfig', 'Rollout'].includes(w.kind)) continue;
      const r = replicas(w, m);
      if (r === undefined || r.count !== 1) continue;
      const hpa = r.source.startsWith('HorizontalPodAutoscaler');
      out.push({
        ...finding(this, w, r.path,
          `${w.kind} ${w.name} runs a single replica (${r.source}): a node drain or scale-down takes the service away until a new pod is ready`,
          hpa ? `set minReplicas of ${r.source.split(' ')[1]} to 2 (and a PodDisruptionBudget with maxUnavailable: 1)`
            : `set spec.replicas to 2 (and a PodDisruptionBudget with maxUnavailable: 1)${w.kind === 'StatefulSet' ? ', if the application tolerates a second member' : ''}`),
        // no structured fix: 2 replicas also need a PodDisruptionBudget (pdb-missing), another object
      });
    }
    return out;
  }
}
