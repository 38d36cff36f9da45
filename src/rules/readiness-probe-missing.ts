import { Finding, FindingSeverity } from '../finding';
import { cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { portsOf, servingApps, springEvidence } from './serving';

/**
 * A container that takes traffic has no readiness probe (or no probe at all).
 */
export class ReadinessProbeMissingRule extends Rule {
  public constructor() {
    super({
      id: 'readiness-probe-missing',
      severity: FindingSeverity.WARNING,
      title: 'A container that takes traffic has no readiness probe',
      description: 'Without a readiness probe a pod counts as ready as soon as its containers have started: Services and ingresses send it '
        + 'requests before the application listens, and a rolling update stops old pods as soon as new ones have merely started, so every '
        + 'rollout loses requests for the length of the start (tens of seconds for a JVM). Without any probe a hung process is never taken '
        + 'out of rotation or restarted either. Applies to every container that serves traffic; infrastructure images are not judged.',
      remediation: 'add a readinessProbe on the container\'s own port (the application\'s readiness endpoint, e.g. /actuator/health/readiness for '
        + 'Spring Boot), periodSeconds 5, failureThreshold 3',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const c = a.c.c;
      if (c.readinessProbe) continue;
      const others = ['livenessProbe', 'startupProbe'].filter(p => c[p]);
      const port = a.c.props.get('management.server.port')?.value ?? portsOf(a)[0];
      const spring = springEvidence(a);
      const probe = port === undefined ? undefined
        : spring !== undefined ? `httpGet {path: /actuator/health/readiness, port: ${port}} (management.endpoint.health.probes.enabled=true)`
          : `httpGet on the application's health endpoint at port ${port} (or tcpSocket {port: ${port}} when it has none)`;
      const value = port === undefined ? undefined : spring !== undefined
        ? { httpGet: { path: '/actuator/health/readiness', port: Number(port) }, periodSeconds: 5, failureThreshold: 3 }
        : { tcpSocket: { port: Number(port) }, periodSeconds: 5, failureThreshold: 3 };
      out.push({
        ...finding(this, a.w, `${a.c.path}.readinessProbe`,
          `${cname(a.c)} takes traffic${portsOf(a).length > 0 ? ` on port ${portsOf(a).join(', ')}` : ''} and has ${others.length === 0 ? 'no probe at all' : `no readiness probe (only ${others.join(' and ')})`}: `
        + 'it receives requests as soon as it has started, before it listens, and a rollout stops old pods without waiting for it to be ready'
        + (others.length === 0 ? '; a hung process is never taken out of rotation or restarted' : ''),
          probe === undefined ? undefined
            : `add readinessProbe: ${probe}, periodSeconds 5, failureThreshold 3${others.includes('livenessProbe') ? ', a different check than the liveness probe' : ''}`),
        ...(value === undefined ? {} : { fix: [{ path: `${a.c.path}.readinessProbe`, value }] }),
      });
    }
    return out;
  }
}
