import { Finding, FindingSeverity } from '../finding';
import { cname, finding, fmt } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps, springShutdownPhase } from './serving';

/** Field report 004: the safety buffer on top of preStop + shutdown (the constructs' default, src/shutdown/budget.ts). */
const SAFETY_BUFFER_SECONDS = 10;

/**
 * The grace period does not cover the preStop hook plus Spring's shutdown phase.
 */
export class GraceBelowPreStopAndShutdownRule extends Rule {
  public constructor() {
    super({
      id: 'grace-below-prestop-and-shutdown',
      severity: FindingSeverity.WARNING,
      title: 'The grace period is shorter than preStop + the application\'s shutdown phase',
      description: 'After preStop returns, Spring Boot with `server.shutdown=graceful` waits up to `spring.lifecycle.timeout-per-shutdown-phase` '
        + '(30 s by default) for in-flight requests. The grace period counts from the deletion, so it must cover the preStop hook (its waits and the '
        + 'bounds of its calls) plus that phase, or the kubelet SIGKILLs the JVM mid-drain. Reported when the manifest shows the shutdown phase '
        + '(SERVER_SHUTDOWN=graceful or the timeout, in env, SPRING_APPLICATION_JSON or -D/-- arguments), and for a container known to run '
        + 'Spring Boot (Spring or management settings, a registry client, actuator probes) that does not show it: graceful shutdown is the '
        + 'default from Spring Boot 3.4, so the 30 s phase applies unless the application runs an older version or sets server.shutdown=immediate.',
      remediation: 'set terminationGracePeriodSeconds ≥ preStop + timeout-per-shutdown-phase + a safety buffer (10 s, docs/shutdown-budget.md), '
        + 'or shorten the phase so that Spring gives up before the kubelet does',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const phase = springShutdownPhase(a);
      if (phase === undefined) continue;
      const p = a.preStop;
      const preStop = p === undefined ? 0 : p.wait + p.callBound;
      if (p !== undefined && p.wait >= a.w.grace) continue; // prestop-wait-exceeds-grace
      const need = preStop + phase.seconds;
      if (a.w.grace >= need) continue;
      const preStopText = p === undefined ? 'no preStop (0 s)'
        : `preStop ${fmt(preStop)}${p.callBound > 0 ? ` (waits ${fmt(p.wait)} + calls bounded by ${fmt(p.callBound)})` : ''}${p.waitExact ? '' : ' or more'}`;
      const fixed = Math.max(Math.ceil(need) + SAFETY_BUFFER_SECONDS, Math.ceil((preStop * 5) / 4));
      out.push({
        ...finding(this, a.w, a.w.gracePath,
          `terminationGracePeriodSeconds ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'} < ${preStopText} + shutdown phase ${fmt(phase.seconds)} `
        + `(${phase.text}) = ${fmt(need)} for ${cname(a.c)}: the kubelet SIGKILLs the JVM ${fmt(need - a.w.grace)} before Spring gives up draining`
        + (phase.shown ? '' : ' (on Spring Boot < 3.4 without server.shutdown=graceful the application stops at once and this does not apply)'),
          `set terminationGracePeriodSeconds to at least ${fixed} s (${fmt(need)} + a ${SAFETY_BUFFER_SECONDS} s safety buffer), `
        + 'or lower spring.lifecycle.timeout-per-shutdown-phase to what the drain really needs'),
        fix: [{ path: a.w.gracePath, value: fixed }],
      });
    }
    return out;
  }
}
