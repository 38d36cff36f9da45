import { Finding, FindingSeverity } from '../finding';
import { AppContainer, appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { ObservedHttpCheck } from '../registry/module';

/** How many colliding services a message names. */
const SHOWN = 3;

/**
 * Services registered in one Consul whose HTTP health checks another service could answer.
 */
export class ConsulCheckCollisionRule extends Rule {
  public constructor() {
    super({
      id: 'consul-check-collision',
      severity: FindingSeverity.WARNING,
      title: 'Consul health checks of different services use the same port and path',
      description: 'Consul checks an instance by calling http://<pod IP>:<port><path>. When the pod is gone without deregistering (SIGKILL, '
        + 'node loss) and its IP is reused by a pod of another service with the same port and path (Spring Cloud Consul\'s default '
        + '/actuator/health on the same port), the dead instance\'s check passes and consumers are sent to the wrong service '
        + '(docs/registries.md). Reported for Consul-registered services in the input with the same check port and path, without TTL heartbeats '
        + '(spring.cloud.consul.discovery.heartbeat.enabled) and in the same Consul (spring.cloud.consul.host, when given).',
      remediation: 'use TTL heartbeats (SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED=true) or a service-specific check path '
        + '(spring.cloud.consul.discovery.health-check-path), and set health-check-critical-timeout so dead instances are removed',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    // the registry module reads the check its registry makes of the instance (Consul's HTTP check)
    const checks: (ObservedHttpCheck & { a: AppContainer; label: string })[] = [];
    for (const a of appContainers(ctx)) {
      const c = a.registry?.module.audit.httpCheck?.(a.c.props, a.c.ports, a.w.name);
      if (c) checks.push({ ...c, a, label: a.registry!.module.label });
    }
    const byCheck = new Map<string, typeof checks>();
    for (const x of checks) {
      const key = `${x.port}\0${x.path}`;
      const same = byCheck.get(key);
      if (same) same.push(x);
      else byCheck.set(key, [x]);
    }
    const out: Finding[] = [];
    for (const x of checks) {
      const others = byCheck.get(`${x.port}\0${x.path}`)!.filter(y => y !== x && y.service !== x.service
        && (x.registryAddress === '' || y.registryAddress === '' || x.registryAddress === y.registryAddress));
      if (others.length === 0) continue;
      out.push(finding(this, x.a.w, `${x.a.c.path}.env`,
        `${cname(x.a.c)} (service ${x.service}) registers with ${x.label} with an HTTP check on port ${x.port} path ${x.path}, the same as `
        + `${others.slice(0, SHOWN).map(o => `${o.a.w.kind} ${o.a.w.name} (service ${o.service})`).join(', ')}`
        + `${others.length > SHOWN ? ` and ${others.length - SHOWN} more` : ''}: when one of them dies without deregistering and `
        + 'the other gets its pod IP, the dead instance\'s check passes and consumers are sent to the wrong service'));
    }
    return out;
  }
}
