import { Finding, FindingSeverity } from '../finding';
import { cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps, springEvidence } from './serving';

/**
 * Liveness and readiness probes ask the same question.
 */
export class LivenessEqualsReadinessRule extends Rule {
  public constructor() {
    super({
      id: 'liveness-equals-readiness',
      severity: FindingSeverity.WARNING,
      title: 'The liveness probe is the same check as the readiness probe',
      description: 'Readiness says "send me traffic", liveness says "restart me". When both call the same endpoint, a slow or overloaded '
        + 'application (or one whose dependency is down, when the endpoint aggregates health) is restarted instead of just taken out of '
        + 'rotation, turning a load peak into an outage (docs/field-reports.md). Spring Boot exposes separate groups: /actuator/health/liveness and '
        + '/actuator/health/readiness. Compared: the handler (httpGet path, port, scheme; exec command; grpc), not the timings; two tcpSocket '
        + 'probes are not reported (an open port does not change with load). Applies to every container that serves traffic.',
      remediation: 'point liveness at /actuator/health/liveness and readiness at /actuator/health/readiness (management.endpoint.health.probes.enabled=true)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const l = handler(a.c.c.livenessProbe);
      const r = handler(a.c.c.readinessProbe);
      if (l === undefined || r === undefined || l !== r) continue;
      out.push(finding(this, a.w, `${a.c.path}.livenessProbe`,
        `${cname(a.c)}: the liveness probe is the same check as the readiness probe (${l}): when the application is slow or a dependency fails, `
        + 'Kubernetes restarts it instead of only taking it out of rotation',
        springEvidence(a) !== undefined
          ? 'point liveness at /actuator/health/liveness and readiness at /actuator/health/readiness (management.endpoint.health.probes.enabled=true)'
          : `keep readiness on ${l} and give liveness a check that only fails when the process is stuck (an endpoint that does not call dependencies, or tcpSocket on the same port)`));
    }
    return out;
  }
}

function handler(probe: any): string | undefined {
  if (!probe || typeof probe !== 'object') return undefined;
  if (probe.httpGet) {
    const h = probe.httpGet;
    return `httpGet ${String(h.scheme ?? 'HTTP').toUpperCase()} :${h.port}${h.path ?? '/'}${h.host ? ` host ${h.host}` : ''}`;
  }
  // tcpSocket: an open port says nothing about load or dependencies, so the same TCP check in both is not the trap
  if (probe.exec) return `exec ${JSON.stringify(probe.exec.command)}`;
  if (probe.grpc) return `grpc :${probe.grpc.port}${probe.grpc.service ? ` ${probe.grpc.service}` : ''}`;
  return undefined;
}
