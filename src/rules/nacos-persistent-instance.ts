import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { REGISTRY_MODULES } from '../registry/all';

/**
 * Nacos instances registered as persistent.
 */
export class NacosPersistentInstanceRule extends Rule {
  public constructor() {
    super({
      id: 'nacos-persistent-instance',
      severity: FindingSeverity.WARNING,
      title: 'The service registers persistent Nacos instances (ephemeral=false)',
      description: 'Nacos removes ephemeral instances when their client stops heartbeating (1.x) or its gRPC connection closes (2.x). Persistent '
        + 'instances stay registered until someone deletes them: every pod that dies without deregistering (SIGKILL, node loss, force delete) '
        + 'stays in the list as unhealthy, and a new pod on the same IP inherits its state. Pods are ephemeral; their instances should be too.',
      remediation: 'remove spring.cloud.nacos.discovery.ephemeral=false (ephemeral is the default)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      // the registry modules that know persistent registrations (Nacos) read them from the settings and the preStop hook
      for (const m of REGISTRY_MODULES) {
        const found = m.audit.persistentInstance?.({ props: a.c.props, preStopText: a.preStop?.fullText });
        if (found?.kind === 'property') {
          out.push(finding(this, a.w, found.path, `${cname(a.c)} registers persistent ${m.label} instances (${found.where}): an instance whose pod died without `
            + 'deregistering is never removed'));
        } else if (found?.kind === 'preStop') {
          out.push(finding(this, a.w, a.preStop!.detailPath, `the preStop hook of ${cname(a.c)} addresses a persistent ${m.label} instance (ephemeral=false): `
            + 'persistent instances are never removed automatically'));
        }
      }
    }
    return out;
  }
}
