import { Finding, FindingSeverity } from '../finding';
import { redact } from '../redact';
import { appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';

/**
 * An HTTP call in a preStop hook with nothing bounding it.
 */
export class PreStopCallWithoutTimeoutRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-call-without-timeout',
      severity: FindingSeverity.WARNING,
      title: 'An HTTP call in the preStop hook has no timeout',
      description: 'curl has no overall timeout by default and wget waits up to 900 s per read and retries 20 times. When the registry or the '
        + 'application does not answer, the hook hangs until the kubelet kills it at the end of the grace period: the wait after it never '
        + 'happens and the application never gets SIGTERM. Bounded: curl -m/--max-time, wget -T/--timeout, or a `timeout N` prefix.',
      remediation: 'bound every call: curl --max-time 3 …, or timeout 3 wget … (busybox wget -T crashes in some builds: prefer `timeout`)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (p === undefined) continue;
      for (const call of p.calls) {
        if (call.bound !== undefined) continue;
        const why = call.tool === 'curl' ? 'curl has no overall timeout by default' : 'wget waits up to 900 s per read and retries 20 times by default';
        // credentials in the command (user:password@, ?accessToken=, -d password=, X-Consul-Token:) are redacted before it is shortened
        const text = redact(call.text);
        out.push(finding(this, a.w, p.detailPath,
          `the preStop hook of ${cname(a.c)} calls ${JSON.stringify(text.length > 120 ? text.slice(0, 117) + '…' : text)} without a timeout (${why}): `
          + `if nobody answers, the hook hangs until the kubelet kills it at ${a.w.grace} s and the application never receives SIGTERM`,
          call.tool === 'curl' ? 'add --max-time 3 (or prefix timeout 3)' : 'prefix timeout 3 (timeout 3 wget …), or give GNU wget -T 3 --tries=1'));
      }
    }
    return out;
  }
}
