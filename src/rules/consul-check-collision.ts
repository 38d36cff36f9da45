import { Finding, FindingSeverity } from '../finding';
import { AppContainer, appContainers, cname, comparisons, finding } from './model';
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
    const byCheck = new Map<string, CheckGroup<(typeof checks)[number]>>();
    for (const x of checks) {
      const key = `${x.port}\0${x.path}`;
      let group = byCheck.get(key);
      if (group === undefined) byCheck.set(key, group = new CheckGroup());
      group.add(x);
    }
    const out: Finding[] = [];
    for (const x of checks) {
      const others = byCheck.get(`${x.port}\0${x.path}`)!.others(x, SHOWN);
      if (others.count === 0) continue;
      out.push(finding(this, x.a.w, `${x.a.c.path}.env`,
        `${cname(x.a.c)} (service ${x.service}) registers with ${x.label} with an HTTP check on port ${x.port} path ${x.path}, the same as `
        + `${others.first.map(o => `${o.a.w.kind} ${o.a.w.name} (service ${o.service})`).join(', ')}`
        + `${others.count > SHOWN ? ` and ${others.count - SHOWN} more` : ''}: when one of them dies without deregistering and `
        + 'the other gets its pod IP, the dead instance\'s check passes and consumers are sent to the wrong service'));
    }
    return out;
  }
}

interface GroupedCheck {
  readonly service: string;
  readonly registryAddress: string;
}

/**
 * The checks with one port and path. The others a check collides with — another service, in the same Consul
 * (an empty address matches any) — are counted from per-service tallies and the first few are found by skipping
 * runs of the check's own service, so a group of n checks costs O(n), not O(n²).
 */
class CheckGroup<T extends GroupedCheck> {
  private readonly all = new Run<T>();
  private readonly byAddress = new Map<string, Run<T>>();
  private readonly perService = new Map<string, number>();
  private readonly perServiceAddress = new Map<string, number>();

  public add(x: T): void {
    const position = this.all.items.length;
    this.all.add(x, position);
    let run = this.byAddress.get(x.registryAddress);
    if (run === undefined) this.byAddress.set(x.registryAddress, run = new Run());
    run.add(x, position);
    this.perService.set(x.service, (this.perService.get(x.service) ?? 0) + 1);
    const k = `${x.service}\0${x.registryAddress}`;
    this.perServiceAddress.set(k, (this.perServiceAddress.get(k) ?? 0) + 1);
  }

  /** How many checks of other services in the same Consul collide with x, and the first `shown` of them in input order. */
  public others(x: T, shown: number): { count: number; first: T[] } {
    if (x.registryAddress === '') {
      return { count: this.all.items.length - (this.perService.get(x.service) ?? 0), first: this.all.firstNotOf(x.service, shown).map(p => p.x) };
    }
    const runs = [this.byAddress.get(''), this.byAddress.get(x.registryAddress)].filter((r): r is Run<T> => r !== undefined);
    const count = runs.reduce((n, r) => n + r.items.length, 0)
      - (this.perServiceAddress.get(`${x.service}\0`) ?? 0) - (this.perServiceAddress.get(`${x.service}\0${x.registryAddress}`) ?? 0);
    const first = runs.flatMap(r => r.firstNotOf(x.service, shown)).sort((p, q) => p.at - q.at).slice(0, shown).map(p => p.x);
    return { count, first };
  }
}

/** Checks in input order; once all are added, each knows where the run of its own service ends. */
class Run<T extends GroupedCheck> {
  public readonly items: T[] = [];
  private readonly positions: number[] = [];
  private runEnd?: number[];

  public add(x: T, position: number): void {
    this.items.push(x);
    this.positions.push(position);
    this.runEnd = undefined;
  }

  /** The first `n` items whose service is not `service`, with their positions in the group. */
  public firstNotOf(service: string, n: number): { x: T; at: number }[] {
    const end = this.runEnds();
    const out: { x: T; at: number }[] = [];
    let i = 0;
    while (out.length < n && i < this.items.length) {
      comparisons.count++;
      if (this.items[i].service === service) {
        i = end[i];
      } else {
        out.push({ x: this.items[i], at: this.positions[i] });
        i++;
      }
    }
    return out;
  }

  /** For each index, the index after the last item of the run of its service that it is part of. */
  private runEnds(): number[] {
    if (this.runEnd === undefined) {
      const end = new Array<number>(this.items.length);
      for (let i = this.items.length - 1; i >= 0; i--) {
        end[i] = i + 1 < this.items.length && this.items[i + 1].service === this.items[i].service ? end[i + 1] : i + 1;
      }
      this.runEnd = end;
    }
    return this.runEnd;
  }
}
