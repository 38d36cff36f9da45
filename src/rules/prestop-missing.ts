import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, registryLabel } from './model';
import { Rule, RuleContext } from './rule';

/**
 * A JVM or registry-backed container that takes traffic has no preStop hook.
 */
export class PreStopMissingRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-missing',
      severity: FindingSeverity.ERROR,
      title: 'A Java or registry-backed container that takes traffic has no preStop hook',
      description: 'Without a preStop hook the kubelet sends SIGTERM at the same moment the pod is removed from the endpoints, so kube-proxy, '
        + 'ingresses and, for registry-backed services, every consumer with a cached instance list keep sending requests to a process that is '
        + 'already shutting down: each rollout and each scale-down loses requests. Applies to containers that run a JVM / Spring application '
        + '(image, command, JAVA_*/SPRING_* env, actuator probes) and declare ports or register with Nacos, Consul, Eureka or MSE.',
      remediation: 'add a preStop hook that takes the instance out of its registry (if any) and then waits for the news to propagate, '
        + 'e.g. exec ["sh", "-c", "curl -sS -m 3 -X POST localhost:8080/actuator/serviceregistry -H \'Content-Type: application/json\' '
        + '-d \'{\\"status\\":\\"DOWN\\"}\'; sleep 40"], and a terminationGracePeriodSeconds that covers it plus the drain',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      if (a.preStop !== undefined || !a.serves || (a.jvm === undefined && a.registry === undefined)) continue;
      const ports = a.c.ports.map((p: any) => p?.containerPort).filter((p: unknown) => typeof p === 'number');
      const takes = [
        ports.length > 0 ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : undefined,
        a.registry ? `registered with ${registryLabel(a.registry.name)} (${a.registry.evidence})` : undefined,
      ].filter(Boolean).join(', ');
      out.push(finding(this, a.w, `${a.c.path}.lifecycle.preStop`,
        `${cname(a.c)} runs a ${a.registry ? 'registry-backed' : 'JVM / Spring'} application (${a.jvm ?? 'registry client'}), takes traffic (${takes}) `
        + 'and has no preStop hook: SIGTERM arrives while '
        + (a.registry ? 'consumers still hold the instance in their registry view and ' : '')
        + 'the endpoints are still being removed, so requests sent meanwhile fail'));
    }
    return out;
  }
}
