import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';

/** A liveness delay at least this long is a startup budget in disguise. */
const LONG_DELAY_SECONDS = 60;

/**
 * A long liveness initialDelaySeconds stands in for a startup probe.
 */
export class LivenessDelayWithoutStartupProbeRule extends Rule {
  public constructor() {
    super({
      id: 'liveness-delay-without-startup-probe',
      severity: FindingSeverity.INFO,
      title: `A liveness initialDelaySeconds of ${LONG_DELAY_SECONDS} s or more and no startup probe`,
      description: 'A long initialDelaySeconds guesses the worst-case JVM start: too short and a slow start (cold node, big heap, migrations) '
        + 'is killed in a restart loop; too long and a hung container is detected late after every restart. A startupProbe holds the liveness '
        + 'probe back exactly as long as the start takes (up to failureThreshold × periodSeconds).',
      remediation: 'add a startupProbe (e.g. the readiness endpoint, periodSeconds 5, failureThreshold 60) and drop the liveness initialDelaySeconds',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      if (a.jvm === undefined) continue;
      const delay = a.c.c.livenessProbe?.initialDelaySeconds;
      if (typeof delay !== 'number' || delay < LONG_DELAY_SECONDS || a.c.c.startupProbe) continue;
      out.push(finding(this, a.w, `${a.c.path}.livenessProbe.initialDelaySeconds`,
        `${cname(a.c)}: the liveness probe waits initialDelaySeconds ${delay} s and there is no startupProbe: a start slower than ${delay} s ends in a `
        + `restart loop, and after every restart a hung JVM goes unnoticed for ${delay} s`));
    }
    return out;
  }
}
