import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';

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
      const e = a.c.props.get('spring.cloud.nacos.discovery.ephemeral');
      if (e && e.value.trim().toLowerCase() === 'false') {
        out.push(finding(this, a.w, e.path, `${cname(a.c)} registers persistent Nacos instances (${e.where}): an instance whose pod died without `
          + 'deregistering is never removed'));
        continue;
      }
      const p = a.preStop;
      if (p && /\/nacos\/v[12]\/ns\/instance/.test(p.fullText) && /[?&]ephemeral=false/.test(p.fullText)) {
        out.push(finding(this, a.w, p.detailPath, `the preStop hook of ${cname(a.c)} addresses a persistent Nacos instance (ephemeral=false): `
          + 'persistent instances are never removed automatically'));
      }
    }
    return out;
  }
}
