import { Finding, FindingSeverity } from '../finding';
import { cname, finding, fmt } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps } from './serving';
import { PRESTOP_SHARE_DEN, PRESTOP_SHARE_NUM } from '../shutdown/budget';

/** Field report 004: the preStop hook may use at most 80 % of the grace period (the budget's ratio, src/shutdown/budget.ts). */
const SHARE_NUM = PRESTOP_SHARE_NUM;
const SHARE_DEN = PRESTOP_SHARE_DEN;

/**
 * The preStop hook takes more than 80 % of the grace period.
 */
export class PreStopOver80PercentOfGraceRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-over-80-percent-of-grace',
      severity: FindingSeverity.WARNING,
      title: 'The preStop hook takes more than 80 % of the grace period',
      description: 'preStop must finish well inside the grace period, at most 80 % of it (docs/shutdown-budget.md), so the application keeps time to '
        + 'drain and exit after SIGTERM. Counts the certain waits plus the bounds of the hook\'s calls (curl --max-time, timeout N, '
        + 'GRACEFUL_CALL_TIMEOUT_SECONDS). Applies to every container that serves traffic (not infrastructure images).',
      remediation: 'raise terminationGracePeriodSeconds to at least preStop / 0.8 (and to preStop + shutdown phase + buffer), or shorten the hook',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const p = a.preStop;
      if (p === undefined) continue;
      if (p.wait >= a.w.grace) continue; // prestop-wait-exceeds-grace
      const preStop = p.wait + p.callBound;
      if (preStop * SHARE_DEN <= a.w.grace * SHARE_NUM) continue;
      const minimum = Math.ceil((preStop * SHARE_DEN) / SHARE_NUM);
      out.push({
        ...finding(this, a.w, p.detailPath,
          `the preStop hook of ${cname(a.c)} takes up to ${fmt(preStop)}${p.callBound > 0 ? ` (waits ${fmt(p.wait)} + calls bounded by ${fmt(p.callBound)})` : ''}, `
        + `${Math.round((preStop / a.w.grace) * 100)} % of terminationGracePeriodSeconds ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'}: `
        + `more than 80 % of it (docs/shutdown-budget.md), leaving ${fmt(Math.max(0, a.w.grace - preStop))} for the drain and exit`,
          `set terminationGracePeriodSeconds to at least ceil(${fmt(preStop)} / 0.8) = ${minimum} s (and to preStop + shutdown phase + buffer), or shorten the hook`),
        fix: [{ path: a.w.gracePath, value: minimum }],
      });
    }
    return out;
  }
}
