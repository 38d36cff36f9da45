import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, fmt } from './model';
import { Rule, RuleContext } from './rule';

/**
 * The preStop hook waits at least as long as the grace period.
 */
export class PreStopWaitExceedsGraceRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-wait-exceeds-grace',
      severity: FindingSeverity.ERROR,
      title: 'The preStop hook waits as long as the grace period, or longer',
      description: 'The grace period counts from the deletion, before preStop starts. When the hook\'s waiting reaches it, the kubelet kills the '
        + 'hook (after a one-off 2 s extension that is not usable time) and the container with SIGKILL: the application never receives SIGTERM, '
        + 'never drains and never deregisters. Counts only the sleeps that certainly run (`sleep N`, `30s`, `1m`, inside `sh -c` scripts, the '
        + 'native sleep action, GRACEFUL_WAIT_SECONDS of the library\'s script); terminationGracePeriodSeconds defaults to 30 s.',
      remediation: 'raise terminationGracePeriodSeconds to at least the preStop time + the application\'s shutdown phase + a safety buffer, '
        + 'or shorten the wait',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (p === undefined || p.wait <= 0 || p.wait < a.w.grace) continue;
      const grace = `terminationGracePeriodSeconds is ${a.w.grace} s${a.w.graceGiven ? '' : ' (not set: Kubernetes\' default)'}`;
      out.push(finding(this, a.w, p.detailPath,
        `the preStop hook of ${cname(a.c)} waits ${fmt(p.wait)}${p.waitExact ? '' : ' or more'} (${p.sleeps.filter(x => x.certain).map(x => x.text).join('; ')}) `
        + `and ${grace}: the kubelet SIGKILLs the container at ${a.w.grace} s (+2 s for the hook, not usable), before the application `
        + 'ever receives SIGTERM, so it never drains or deregisters',
        p.wait === Infinity
          ? 'replace the endless sleep with a bounded wait and give terminationGracePeriodSeconds room for it plus the shutdown phase'
          : `set terminationGracePeriodSeconds to at least ${Math.ceil(p.wait) + p.callBound} s + the application's shutdown phase `
            + '+ a safety buffer (and keep preStop within 80 % of it), or shorten the wait'));
    }
    return out;
  }
}
