import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, fmt, shutdownPhase } from './model';
import { Rule, RuleContext } from './rule';

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
        + '(SERVER_SHUTDOWN=graceful or the timeout, in env, SPRING_APPLICATION_JSON or -D/-- arguments).',
      remediation: 'set terminationGracePeriodSeconds ≥ preStop + timeout-per-shutdown-phase + a safety buffer (field report 004 suggests 10 s), '
        + 'or shorten the phase so that Spring gives up before the kubelet does',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      if (a.jvm === undefined) continue;
      const phase = shutdownPhase(a.c);
      if (phase === undefined) continue;
      const p = a.preStop;
      const preStop = p === undefined ? 0 : p.wait + p.callBound;
      if (p !== undefined && p.wait >= a.w.grace) continue; // prestop-wait-exceeds-grace
      const need = preStop + phase.seconds;
      if (a.w.grace >= need) continue;
      const preStopText = p === undefined ? 'no preStop (0 s)'
        : `preStop ${fmt(preStop)}${p.callBound > 0 ? ` (waits ${fmt(p.wait)} + calls bounded by ${fmt(p.callBound)})` : ''}${p.waitExact ? '' : ' or more'}`;
      out.push(finding(this, a.w, a.w.gracePath,
        `terminationGracePeriodSeconds ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'} < ${preStopText} + shutdown phase ${fmt(phase.seconds)} `
        + `(${phase.text}) = ${fmt(need)} for ${cname(a.c)}: the kubelet SIGKILLs the JVM ${fmt(need - a.w.grace)} before Spring gives up draining`,
        `set terminationGracePeriodSeconds to at least ${Math.ceil(need)} s + a safety buffer (e.g. ${Math.ceil(need) + 10} s), `
        + 'or lower spring.lifecycle.timeout-per-shutdown-phase to what the drain really needs'));
    }
    return out;
  }
}
