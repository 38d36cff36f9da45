import { Finding, FindingSeverity } from '../finding';
import { cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps } from './serving';

/**
 * Kubernetes' probe defaults.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes
 */
const DEFAULT_PERIOD_SECONDS = 10;
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_TIMEOUT_SECONDS = 1;

/**
 * A liveness initialDelaySeconds longer than the probe's own restart window stands in for a startup probe.
 */
export class LivenessDelayWithoutStartupProbeRule extends Rule {
  public constructor() {
    super({
      id: 'liveness-delay-without-startup-probe',
      severity: FindingSeverity.INFO,
      title: 'A liveness initialDelaySeconds longer than the probe\'s restart window, and no startup probe',
      description: 'A liveness probe restarts the container after failureThreshold failed checks, periodSeconds apart (defaults 3 × 10 s). '
        + 'An initialDelaySeconds longer than that window is a guess of the worst-case start: too short and a slow start (cold node, big heap, '
        + 'migrations) is killed in a restart loop; too long and a hung container is detected late after every restart. A startupProbe holds '
        + 'the liveness probe back exactly as long as the start takes (up to its failureThreshold × periodSeconds). Applies to every container '
        + 'that serves traffic.',
      remediation: 'add a startupProbe with the liveness probe\'s check whose failureThreshold × periodSeconds covers the slowest start, and drop '
        + 'the liveness initialDelaySeconds',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const probe = a.c.c.livenessProbe;
      const delay = probe?.initialDelaySeconds;
      if (typeof delay !== 'number' || a.c.c.startupProbe) continue;
      const period = num(probe.periodSeconds, DEFAULT_PERIOD_SECONDS);
      const threshold = num(probe.failureThreshold, DEFAULT_FAILURE_THRESHOLD);
      const timeout = num(probe.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
      if (period === undefined || threshold === undefined || timeout === undefined) continue; // templated
      const window = threshold * period;
      if (delay <= window) continue;
      // the last failing check starts at delay + (threshold - 1) × period and fails after its timeout at the latest
      const killAt = delay + (threshold - 1) * period + timeout;
      const startupThreshold = Math.ceil(killAt / period);
      const { initialDelaySeconds: _d, successThreshold: _s, ...check } = probe;
      const secret = JSON.stringify(probe.httpGet?.httpHeaders ?? []) !== '[]';
      out.push({
        ...finding(this, a.w, `${a.c.path}.livenessProbe.initialDelaySeconds`,
          `${cname(a.c)}: the liveness probe waits initialDelaySeconds ${delay} s, more than its own restart window (failureThreshold ${threshold} × `
        + `periodSeconds ${period} s = ${window} s), and there is no startupProbe: a start slower than ${delay} s + ${threshold - 1} × ${period} s + `
        + `timeoutSeconds ${timeout} s = ${killAt} s ends in a restart loop, and after every restart a hung process goes unnoticed for ${delay} s`,
          `add a startupProbe with the liveness probe's check, periodSeconds ${period} and failureThreshold ${startupThreshold} (${startupThreshold} × `
        + `${period} s = ${startupThreshold * period} s ≥ the ${killAt} s allowed today; raise it if starts take longer), and set the liveness `
        + 'initialDelaySeconds to 0'),
        // a probe with headers may carry a credential: it is not copied into the fix
        ...(secret ? {} : {
          fix: [
            { path: `${a.c.path}.startupProbe`, value: { ...check, periodSeconds: period, failureThreshold: startupThreshold } },
            { path: `${a.c.path}.livenessProbe.initialDelaySeconds`, value: 0 },
          ],
        }),
      });
    }
    return out;
  }
}

function num(v: unknown, fallback: number): number | undefined {
  if (v === undefined || v === null) return fallback;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
