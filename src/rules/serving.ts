import { AppContainer, appContainers, isInfraImage, model, propagationOf, servesTraffic, shutdownPhase, Workload } from './model';
import { RuleContext } from './rule';
import { FindingFix } from '../finding';
import { DEFAULT_CALL_TIMEOUT } from '../registry/adapter';
import { ShutdownBudget } from '../shutdown/budget';
import { Duration } from '../shutdown/lazy-duration';
import { Propagation } from '../shutdown/propagation';

/*
 * Which workloads and containers the tier-1 rules judge (every long-running workload that serves traffic,
 * whatever it runs; infrastructure images never), and the numbers their fixes use: the same shutdown budget
 * the constructs derive (src/shutdown), so a fix never sets off another rule.
 */

/**
 * The tier-1 workloads: long-running, serving traffic (`servesTraffic`), with at least one container that is
 * not infrastructure (databases, caches, proxies, registry servers).
 * @internal
 */
export function servingWorkloads(ctx: RuleContext): Workload[] {
  let list = servingWorkloadsCache.get(ctx);
  if (list === undefined) {
    list = model(ctx).workloads.filter(w => servesTraffic(ctx, w) !== undefined && w.containers.some(c => !isInfraImage(c.image)));
    servingWorkloadsCache.set(ctx, list);
  }
  return list;
}

/* Both lists are computed once per audit (many rules ask); callers only read them. */
const servingWorkloadsCache = new WeakMap<RuleContext, Workload[]>();
const servingAppsCache = new WeakMap<RuleContext, AppContainer[]>();

/**
 * The containers the tier-1 container rules judge: in a tier-1 workload, not infrastructure, and serving
 * itself (it declares a port or registers with a registry), or the only non-infrastructure container of its pod
 * (a pod selected by a Service through an undeclared port), or the only one of them that runs a JVM (the
 * application next to a sidecar the audit does not know, which would otherwise hide it).
 * @internal
 */
export function servingApps(ctx: RuleContext): AppContainer[] {
  let list = servingAppsCache.get(ctx);
  if (list === undefined) {
    const all = appContainers(ctx);
    // per workload, how many of its (non-init, non-infrastructure) containers show a JVM
    const jvms = new Map<Workload, number>();
    for (const a of all) {
      if (!a.c.init && a.jvm !== undefined && !isInfraImage(a.c.image)) jvms.set(a.w, (jvms.get(a.w) ?? 0) + 1);
    }
    list = all.filter(a => {
      if (a.c.init || isInfraImage(a.c.image) || servesTraffic(ctx, a.w) === undefined) return false;
      if (a.c.ports.length > 0 || a.registry !== undefined) return true;
      if (a.jvm !== undefined && jvms.get(a.w) === 1) return true;
      return a.w.containers.filter(c => !c.init && !isInfraImage(c.image)).length === 1;
    });
    servingAppsCache.set(ctx, list);
  }
  return list;
}

/** The numeric container ports of a container. @internal */
export function portsOf(a: AppContainer): number[] {
  return a.c.ports.map((p: any) => p?.containerPort).filter((p: unknown): p is number => typeof p === 'number');
}

/**
 * Why we think a container runs Spring Boot (not only a JVM), or undefined: Spring or management properties,
 * a registry client, or a probe on the actuator.
 * @internal
 */
export function springEvidence(a: AppContainer): string | undefined {
  const key = a.c.props.keys().find(k => /^(SPRING_|MANAGEMENT_|SERVER_SHUTDOWN)/.test(k));
  if (key !== undefined) return a.c.props.withPrefix(key)[0]?.source?.where ?? `Spring property ${key}`;
  if (a.registry !== undefined && a.registry.module.audit.clientNamespace !== undefined) return `it registers with ${a.registry.name} (${a.registry.evidence})`;
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = a.c.c[probe]?.httpGet?.path;
    if (typeof p === 'string' && /\/actuator(\/|$)/.test(p)) return `${probe} on Spring Boot's actuator (${p})`;
  }
  return undefined;
}

/**
 * Spring Boot's default `spring.lifecycle.timeout-per-shutdown-phase`; graceful shutdown is the default from
 * Spring Boot 3.4 (`server.shutdown`).
 * @see https://docs.spring.io/spring-boot/appendix/application-properties/index.html#application-properties.core.spring.lifecycle.timeout-per-shutdown-phase
 * @see https://github.com/spring-projects/spring-boot/wiki/Spring-Boot-3.4-Release-Notes
 */
export const SPRING_SHUTDOWN_PHASE_SECONDS = 30;

/**
 * Spring's shutdown phase for a container: the one the manifest shows (`shutdownPhase`), else Spring Boot ≥ 3.4's
 * default graceful shutdown (30 s) when the container is known to run Spring Boot and does not set server.shutdown,
 * else undefined. `shown` says which.
 * @internal
 */
export function springShutdownPhase(a: AppContainer): { seconds: number; text: string; shown: boolean } | undefined {
  const shown = shutdownPhase(a.c);
  if (shown !== undefined) return { seconds: shown.seconds, text: shown.text, shown: true };
  const spring = springEvidence(a);
  if (spring === undefined || a.c.props.get('server.shutdown') !== undefined) return undefined;
  return {
    seconds: SPRING_SHUTDOWN_PHASE_SECONDS,
    text: `Spring Boot ≥ 3.4's default graceful shutdown, ${SPRING_SHUTDOWN_PHASE_SECONDS} s per phase; Spring: ${spring}`,
    shown: false,
  };
}

/** A preStop hook the audit suggests, with the grace period it needs. @internal */
export interface SuggestedPreStop {
  /** What it waits for, with sources. */
  readonly waitText: string;
  /** Seconds the hook waits (the propagation wait). */
  readonly wait: number;
  /** Bound of its take-out call, seconds (0 without one). */
  readonly callBound: number;
  /** The hook, as a manifest fragment. */
  readonly hook: string;
  /** The hook, as the value of `lifecycle.preStop`. */
  readonly hookValue: any;
  /** The grace period it needs: max(preStop + shutdown phase + buffer, ceil(preStop / 0.8)), seconds. */
  readonly minimumGrace: number;
  /** The arithmetic of `minimumGrace`. */
  readonly graceText: string;
}

/**
 * The preStop hook the audit suggests for a container without one, sized by the construct's shutdown budget:
 * wait the slowest propagation path (Kubernetes endpoints, 10 s; the registry's chain when it registers with
 * one, taken out first on its own management port), and a grace period that keeps the hook within 80 % of it
 * and covers Spring's shutdown phase when the manifest shows it.
 * @internal
 */
export function suggestPreStop(a: AppContainer): SuggestedPreStop {
  const endpoints = Propagation.kubernetesEndpoints();
  const paths = [endpoints];
  const prop = a.registry ? propagationOf(a.registry, a.c, a.w) : undefined;
  if (prop !== undefined) paths.push(Propagation.custom('registry', Duration.seconds(prop.seconds), prop.text));
  const inProcess = a.registry !== undefined && !a.registry.module.audit.agentTakesOut;
  const phase = springShutdownPhase(a);
  const budget = new ShutdownBudget({
    // the drain is the shutdown phase the manifest shows; the smallest one the budget takes otherwise (the buffer covers it)
    traffic: {
      averageLatency: Duration.millis(1),
      p99Latency: phase ? Duration.seconds(Math.max(phase.seconds, 1)) : Duration.millis(1),
      p95Concurrency: 1,
    },
    propagation: paths,
    deregistrationTimeout: inProcess ? DEFAULT_CALL_TIMEOUT : Duration.seconds(0),
  });
  const wait = budget.propagationSeconds;
  const callBound = budget.deregistrationSeconds;
  const drain = phase ? budget.drainSeconds : 0;
  const sum = budget.preStopSeconds + drain + budget.safetyBufferSeconds;
  const minimumGrace = Math.max(sum, budget.preStopShareSeconds);
  const { port, base } = actuatorOf(a);
  const hook = inProcess
    ? `exec: {command: ["sh", "-c", "curl -sS -m ${callBound} -X POST localhost:${port}${base}/serviceregistry -H 'Content-Type: application/json' `
      + `-d '{\\"status\\":\\"DOWN\\"}'; sleep ${wait}"]}`
    : `sleep: {seconds: ${wait}} (Kubernetes ≥ 1.30; or exec: {command: ["sleep", "${wait}"]} where the image has sleep)`;
  const hookValue = inProcess
    ? {
      exec: {
        command: ['sh', '-c', `curl -sS -m ${callBound} -X POST localhost:${port}${base}/serviceregistry -H 'Content-Type: application/json' `
      + `-d '{"status":"DOWN"}'; sleep ${wait}`],
      },
    }
    : { sleep: { seconds: wait } };
  const waitText = prop !== undefined && prop.seconds > endpoints.delay.toSeconds()
    ? `the ${registryName(a)} consumers to drop the instance (${prop.text})` : `Kubernetes endpoint propagation ${endpoints.delay.toSeconds()} s (${endpoints.source})`;
  const graceText = `max(preStop ${budget.preStopSeconds} s${drain ? ` + shutdown phase ${drain} s` : ''} + buffer ${budget.safetyBufferSeconds} s = ${sum} s, `
    + `ceil(${budget.preStopSeconds} s / 0.8) = ${budget.preStopShareSeconds} s) = ${minimumGrace} s`;
  return { waitText, wait, callBound, hook, hookValue, minimumGrace, graceText };
}

function registryName(a: AppContainer): string {
  return a.registry?.module.label ?? 'registry';
}

/** Spring Boot's default server.port, for a registry-backed container that declares no port. */
const SPRING_DEFAULT_PORT = 8080;

/**
 * Where the actuator answers: management.endpoints.web.base-path and a probe on its health endpoint (e.g.
 * JHipster's /management/health on its own port) when the manifest shows them, else /actuator on `managementPort`.
 */
function actuatorOf(a: AppContainer): { port: number | string; base: string } {
  const configured = a.c.props.get('management.endpoints.web.base-path')?.value;
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const h = a.c.c[probe]?.httpGet;
    const m = typeof h?.path === 'string' ? /^(.*)\/health(\/|$)/.exec(h.path) : null;
    if (m) return { port: typeof h.port === 'number' ? h.port : managementPort(a), base: configured ?? m[1] };
  }
  return { port: managementPort(a), base: configured ?? '/actuator' };
}

/** The port the actuator answers on: management.server.port when the manifest sets it, else the first container port. */
function managementPort(a: AppContainer): number | string {
  for (const key of ['management.server.port', 'server.port']) {
    const m = Number(a.c.props.get(key)?.value);
    if (Number.isInteger(m) && m > 0) return m;
  }
  return portsOf(a)[0] ?? SPRING_DEFAULT_PORT;
}

/**
 * Applies structured fixes to a copy of an object (JSON paths as in `Finding.path`; a null value removes the
 * field). Throws on a path it cannot follow.
 * @internal
 */
export function applyFixes(object: any, fixes: readonly FindingFix[]): any {
  const copy = JSON.parse(JSON.stringify(object));
  for (const f of fixes) {
    const keys = f.path.split(/\.|(?=\[)/).filter(k => k !== '').map(k => (/^\[[0-9]+\]$/.test(k) ? Number(k.slice(1, -1)) : k));
    let at: any = copy;
    keys.slice(0, -1).forEach((k, i) => {
      if (at[k] === undefined || at[k] === null) at[k] = typeof keys[i + 1] === 'number' ? [] : {};
      at = at[k];
      if (typeof at !== 'object') throw new Error(`fix path ${f.path}: ${String(k)} is not an object`);
    });
    const last = keys[keys.length - 1];
    if (f.value === null) delete at[last];
    else at[last] = JSON.parse(JSON.stringify(f.value));
  }
  return copy;
}
