import { Finding, FindingSeverity } from '../finding';
import { AppContainer, appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';

/** Spring Cloud Consul's default `spring.cloud.consul.discovery.health-check-path`. */
const DEFAULT_HEALTH_CHECK_PATH = '/actuator/health';
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
        + '/actuator/health on the same port), the dead instance\'s check passes and consumers are sent to the wrong service (field report '
        + '001). Reported for Consul-registered services in the input with the same check port and path, without TTL heartbeats '
        + '(spring.cloud.consul.discovery.heartbeat.enabled) and in the same Consul (spring.cloud.consul.host, when given).',
      remediation: 'use TTL heartbeats (SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED=true) or a service-specific check path '
        + '(spring.cloud.consul.discovery.health-check-path), and set health-check-critical-timeout so dead instances are removed',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const checks: { a: AppContainer; port: number; path: string; consul: string; service: string }[] = [];
    for (const a of appContainers(ctx)) {
      if (a.registry?.name !== 'consul') continue;
      const c = check(a);
      if (c) checks.push({ a, ...c });
    }
    const byCheck = new Map<string, typeof checks>();
    for (const x of checks) {
      const key = `${x.port}\0${x.path}`;
      byCheck.set(key, [...(byCheck.get(key) ?? []), x]);
    }
    const out: Finding[] = [];
    for (const x of checks) {
      const others = byCheck.get(`${x.port}\0${x.path}`)!.filter(y => y !== x && y.service !== x.service
        && (x.consul === '' || y.consul === '' || x.consul === y.consul));
      if (others.length === 0) continue;
      out.push(finding(this, x.a.w, `${x.a.c.path}.env`,
        `${cname(x.a.c)} (service ${x.service}) registers with Consul with an HTTP check on port ${x.port} path ${x.path}, the same as `
        + `${others.slice(0, SHOWN).map(o => `${o.a.w.kind} ${o.a.w.name} (service ${o.service})`).join(', ')}`
        + `${others.length > SHOWN ? ` and ${others.length - SHOWN} more` : ''}: when one of them dies without deregistering and `
        + 'the other gets its pod IP, the dead instance\'s check passes and consumers are sent to the wrong service'));
    }
    return out;
  }
}

function check(a: AppContainer): { port: number; path: string; consul: string; service: string } | undefined {
  const p = a.c.props;
  const on = (key: string) => p.get(key)?.value.trim().toLowerCase() === 'true';
  const off = (key: string) => p.get(key)?.value.trim().toLowerCase() === 'false';
  if (on('spring.cloud.consul.discovery.heartbeat.enabled') || off('spring.cloud.consul.discovery.register-health-check')) return undefined;
  if (p.get('spring.cloud.consul.discovery.health-check-url') || p.get('server.servlet.context-path')) return undefined;
  const path = p.get('spring.cloud.consul.discovery.health-check-path')?.value ?? DEFAULT_HEALTH_CHECK_PATH;
  const numeric = (v?: string) => (v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v.trim()) : undefined);
  let port = numeric(p.get('spring.cloud.consul.discovery.management-port')?.value) ?? numeric(p.get('management.server.port')?.value)
    ?? numeric(p.get('server.port')?.value);
  if (port === undefined) {
    const ports = a.c.ports.map((x: any) => x?.containerPort).filter((x: unknown) => typeof x === 'number');
    const http = a.c.ports.find((x: any) => x?.name === 'http')?.containerPort;
    port = ports.length === 1 ? ports[0] : typeof http === 'number' ? http : undefined;
  }
  if (port === undefined) return undefined;
  const service = p.get('spring.cloud.consul.discovery.service-name')?.value ?? p.get('spring.application.name')?.value ?? a.w.name;
  return { port, path, consul: p.get('spring.cloud.consul.host')?.value ?? '', service };
}
