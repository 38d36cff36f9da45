import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, propagationOf } from './model';
import { Rule, RuleContext } from './rule';

/**
 * The preStop hook takes the instance out and returns at once.
 */
export class TakeoutWithoutWaitRule extends Rule {
  public constructor() {
    super({
      id: 'takeout-without-wait',
      severity: FindingSeverity.ERROR,
      title: 'The preStop hook takes the instance out of its registry but does not wait',
      description: 'A take-out call (deregister, offline, /actuator/serviceregistry, OUT_OF_SERVICE, maintenance, enabled=false …) only starts '
        + 'the news on its way: the registry must tell the consumers and their load-balancer caches must expire. A hook that returns right '
        + 'after the call lets SIGTERM arrive while consumers still send requests, which then fail.',
      remediation: 'wait after the take-out for the registry → consumer propagation plus the consumers\' cache, e.g. `…; sleep 40`',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (p === undefined || p.opaque !== undefined || p.takeouts.length === 0 || p.waitAfterTakeout !== 0) continue;
      const last = p.takeouts[p.takeouts.length - 1];
      if (p.sleeps.some(x => x.at > last.at && (x.seconds === undefined || !x.certain))) continue; // a conditional or unresolved wait
      const prop = a.registry ? propagationOf(a.registry, a.c, a.w) : undefined;
      out.push(finding(this, a.w, p.detailPath,
        `the preStop hook of ${cname(a.c)} takes the instance out (${JSON.stringify(last.text.length > 120 ? last.text.slice(0, 117) + '…' : last.text)}) `
        + 'and returns without waiting: SIGTERM follows at once, while consumers still call the instance'
        + (prop ? ` for up to ${prop.seconds} s (${prop.text})` : ''),
        prop ? `wait at least ${prop.seconds} s after the take-out (…; sleep ${prop.seconds}) and give the grace period room for it` : undefined));
    }
    return out;
  }
}
