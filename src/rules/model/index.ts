import { jvmEvidence, registryOf, RegistryUse } from './app';
import { classificationOf } from './classify';
import { PreStop, preStopOf } from './prestop';
import { ContainerRef, hpaFor, model, objectOf, ObjectRef, servicesSelecting, Workload } from './workload';
import { Finding } from '../../finding';
import { WorkloadJudgement } from '../classification';
import { Rule, RuleContext } from '../rule';

export * from './app';
export * from './classify';
export * from './duration';
export * from './prestop';
export * from './workload';

/**
 * One application container of a long-running workload, with everything the rules ask about it.
 * @internal
 */
export interface AppContainer {
  readonly w: Workload;
  readonly c: ContainerRef;
  /** Why we think it is a JVM / Spring application (undefined: it is not, or we cannot tell). */
  readonly jvm?: string;
  readonly registry?: RegistryUse;
  readonly preStop?: PreStop;
  /** It takes traffic: it declares container ports or registers with a registry. */
  readonly serves: boolean;
}

const appCache = new WeakMap<RuleContext, AppContainer[]>();
const byWorkload = new WeakMap<RuleContext, Map<Workload, AppContainer[]>>();

/**
 * The application containers of one workload.
 * @internal
 */
export function appsOf(ctx: RuleContext, w: Workload): AppContainer[] {
  let m = byWorkload.get(ctx);
  if (m === undefined) {
    m = new Map();
    for (const a of appContainers(ctx)) {
      const list = m.get(a.w) ?? [];
      list.push(a);
      m.set(a.w, list);
    }
    byWorkload.set(ctx, m);
  }
  return m.get(w) ?? [];
}

/**
 * Whether a workload is judged as an application (tier 2): it serves traffic, is not infrastructure, and runs a
 * JVM / Spring Boot container or one that registers with a service registry (see `classify`).
 * @internal
 */
export function servesJava(ctx: RuleContext, w: Workload): boolean {
  return classificationOf(ctx, w)?.judgement === WorkloadJudgement.APPLICATION;
}

/** Kinds that keep pods running and replace them on rollout or scale-down (not Jobs, not bare Pods). @internal */
export const SERVING_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout', 'DaemonSet'];

const servingCache = new WeakMap<RuleContext, Map<Workload, string | undefined>>();

/**
 * Why a long-running workload serves traffic, or undefined: a container declares a port, a Service of the
 * input selects its pods, a HorizontalPodAutoscaler targets it, or it registers with a service registry.
 * Tier-1 rules (probes, preStop, grace, rollout, replicas, PDB, PID 1) apply to every such workload,
 * whatever it runs, except infrastructure (databases, brokers, proxies, registry servers: see `classify`);
 * tier-2 rules also need the application to be known (`servesJava`).
 * @internal
 */
export function servesTraffic(ctx: RuleContext, w: Workload): string | undefined {
  let cache = servingCache.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    servingCache.set(ctx, cache);
  }
  if (cache.has(w)) return cache.get(w);
  const c = classificationOf(ctx, w);
  const why = c === undefined || c.judgement === WorkloadJudgement.NOT_JUDGED ? undefined : c.serving;
  cache.set(w, why);
  return why;
}

/**
 * Why a long-running workload serves traffic, before infrastructure is set aside (`servesTraffic` is what the
 * rules ask).
 * @internal
 */
export function servingEvidence(ctx: RuleContext, w: Workload): string | undefined {
  if (!w.longRunning || !SERVING_KINDS.includes(w.kind)) return undefined;
  const m = model(ctx);
  const withPort = w.containers.find(c => c.ports.length > 0);
  if (withPort) return `container '${withPort.name}' declares a port`;
  const svc = servicesSelecting(m, w)[0];
  if (svc) return `Service ${svc.name} selects its pods`;
  const hpa = hpaFor(m, w);
  if (hpa) return `HorizontalPodAutoscaler ${hpa.name} scales it`;
  const reg = appsOf(ctx, w).find(a => a.registry !== undefined);
  if (reg) return `container '${reg.c.name}' registers with ${reg.registry!.name}`;
  return undefined;
}

/**
 * The application containers (not init containers) of the long-running workloads of an audit.
 * @internal
 */
export function appContainers(ctx: RuleContext): AppContainer[] {
  let list = appCache.get(ctx);
  if (list === undefined) {
    list = [];
    for (const w of model(ctx).workloads) {
      if (!w.longRunning) continue;
      for (const c of w.containers) {
        const preStop = preStopOf(c);
        const registry = registryOf(w, c, preStop?.fullText);
        const jvm = jvmEvidence(c) ?? (registry ? `it registers with ${registry.name}` : undefined);
        list.push({ w, c, jvm, registry, preStop, serves: c.ports.length > 0 || registry !== undefined });
      }
    }
    appCache.set(ctx, list);
  }
  return list;
}

/**
 * A finding of `rule` about an object.
 * @internal
 */
export function finding(rule: Rule, o: ObjectRef, path: string | undefined, message: string, remediation?: string): Finding {
  return { id: rule.id, severity: rule.severity, message, remediation: remediation ?? rule.remediation, object: objectOf(o), path };
}

/** `container "app"` for messages. @internal */
export function cname(c: ContainerRef): string {
  return `container '${c.name}'`;
}
