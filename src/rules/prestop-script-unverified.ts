import { Finding, FindingSeverity } from '../finding';
import { cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps } from './serving';
import { PRESTOP_SHARE_DEN, PRESTOP_SHARE_NUM } from '../shutdown/budget';

/** Field report 004: the preStop hook may use at most 80 % of the grace period (the budget's ratio, src/shutdown/budget.ts). */
const SHARE_NUM = PRESTOP_SHARE_NUM;
const SHARE_DEN = PRESTOP_SHARE_DEN;

/**
 * The preStop hook runs a script file whose text the input does not show.
 */
export class PreStopScriptUnverifiedRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-script-unverified',
      severity: FindingSeverity.INFO,
      title: 'The preStop hook runs a script file the audit cannot see',
      description: 'The preStop rules read what a hook waits and calls from its command. A hook that runs a script file of the image '
        + '(`sh /prestop.sh`, `/opt/app/stop.sh`) cannot be checked: whether it takes the instance out, waits for the endpoints (and the '
        + 'registry) to propagate, bounds its calls and finishes within 80 % of the grace period is in the script. The finding names the '
        + 'script and the time it has to fit. The library\'s own script (/etc/graceful/prestop.sh, configured by env) is read and not reported.',
      remediation: 'check the script against the grace period, or write its waits and calls into the hook\'s command so the audit can read them',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const p = a.preStop;
      if (p === undefined || p.kind !== 'exec' || p.opaque === undefined) continue;
      const script = /it runs (?:the script file )?(\S+), whose text the manifest does not show/.exec(p.opaque)?.[1];
      if (script === undefined || script === '(none)') continue;
      const budget = Math.floor((a.w.grace * SHARE_NUM) / SHARE_DEN);
      const grace = `terminationGracePeriodSeconds ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'}`;
      out.push(finding(this, a.w, p.detailPath,
        `the preStop hook of ${cname(a.c)} runs ${script}, whose text the input does not show: the audit cannot verify that it takes the `
        + `instance out, waits for propagation and finishes within 80 % of ${grace} (${budget} s, leaving ${a.w.grace - budget} s for the drain)`,
        `check that ${script} finishes within ${budget} s (80 % of ${a.w.grace} s) and bounds each call (curl -m / timeout N); or raise `
        + 'terminationGracePeriodSeconds to ceil(its longest run / 0.8)'));
    }
    return out;
  }
}
