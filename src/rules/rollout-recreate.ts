import { Finding, FindingSeverity } from '../finding';
import { finding, model, replicas } from './model';
import { Rule, RuleContext } from './rule';
import { servingWorkloads } from './serving';

/**
 * A Deployment that serves traffic is updated with `strategy: Recreate`.
 */
export class RolloutRecreateRule extends Rule {
  public constructor() {
    super({
      id: 'rollout-recreate',
      severity: FindingSeverity.WARNING,
      title: 'The Deployment is updated with strategy Recreate: every pod stops before a replacement starts',
      description: 'With `strategy.type: Recreate` a rollout terminates all old pods and starts new ones only when they are gone, so the '
        + 'service is down for the old pods\' shutdown plus the new pods\' start on every update, whatever the preStop hook and the grace '
        + 'period do. It is needed only when two versions must never run together (e.g. a ReadWriteOnce volume); the finding says when the '
        + 'pod mounts a PersistentVolumeClaim. Deployments that serve traffic; infrastructure images are not judged.',
      remediation: 'use strategy.type: RollingUpdate with rollingUpdate.maxUnavailable: 0 and maxSurge: 1',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of servingWorkloads(ctx)) {
      if (w.kind !== 'Deployment' || w.object.spec?.strategy?.type !== 'Recreate') continue;
      const r = replicas(w, m);
      const claims = (Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : [])
        .map((v: any) => v?.persistentVolumeClaim?.claimName).filter((n: unknown) => typeof n === 'string');
      out.push({
        ...finding(this, w, `${w.prefix}spec.strategy.type`,
          `Deployment ${w.name} uses strategy Recreate: a rollout stops ${r ? `all ${r.count} pod${r.count > 1 ? 's' : ''} (${r.source})` : 'every pod'} `
        + 'before any replacement starts, so the service is unavailable for the shutdown plus the start of a new pod on every update'
        + (claims.length > 0 ? ` (it mounts PersistentVolumeClaim ${claims.join(', ')}: if that volume is ReadWriteOnce, Recreate may be deliberate)` : ''),
          'set spec.strategy to {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}'
        + (claims.length > 0 ? ' once the volume allows two pods (ReadWriteMany, or a StatefulSet with one claim per pod)' : '')),
        fix: [{ path: `${w.prefix}spec.strategy`, value: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }],
      });
    }
    return out;
  }
}
