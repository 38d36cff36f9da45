/*
 * The workload plan: everything a graceful construct derives from its props — checks, shutdown budget,
 * registry binding, preStop hook, env, rollout, process, probes, mesh sidecar, explanation lines,
 * annotations, sources and findings — as one typed value. Pure: no App, no Chart, no constructs; the
 * construct only renders it (src/graceful-service.ts).
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  checkEnvVariables, checkHealth, checkImage, checkInit, checkKubernetesVersion, checkMaxSurge, checkMesh, checkMetadata, checkPort, checkProps,
  checkRegistry, checkResources, checkSecurityContext, checkServiceAccount,
  DEFAULT_PORT,
} from './checks';
import { checkPodAnnotationConflicts, LabelPlan, planLabels } from './labels';
import { planAnnotations, registryLines } from './lines';
import { AfterCall, GENERIC_PROFILE, WorkloadProfile } from './profile';
import { invalidProp, show } from '../errors';
import { checkScaledResources, planReplicas, ReplicaPlan, scalingLines } from './scaling';
import { ExplainLine } from '../explain';
import { Finding } from '../finding';
import type { GracefulServiceProps, HttpHealthChecks } from '../graceful-service';
import { chooseHook, countCalls, downwardEnv, PreStopPlan, scriptEnv } from '../prestop';
import { renderProcess } from '../process/pid1';
import { RegistryBinding } from '../registry/adapter';
import { PROBE_FAILURE_THRESHOLD, PROBE_PERIOD_SECONDS, RolloutPlan } from '../rollout';
import { AUTOSCALER_LIMIT_ID } from '../shutdown/autoscaler';
import { ShutdownBudget } from '../shutdown/budget';
import { Propagation } from '../shutdown/propagation';
import { formatMillis, MAX_DURATION_MS } from '../shutdown/seconds';
import { EnvEntry, ManagedVariable, mergeEnv, springEnvName } from '../spring/env';

/**
 * The kubelet's probes: one period and failure threshold for all, the startup threshold sized by the
 * rollout plan.
 * @internal
 */
export interface ProbePlan {
  readonly port: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupPath: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly startupFailureThreshold: number;
  /** timeoutSeconds of readiness and liveness; undefined: Kubernetes' default (1 s). */
  readonly timeoutSeconds?: number;
}

/** The mesh sidecar's pod annotations and explanation line. @internal */
export interface SidecarPlan {
  readonly annotations: { [key: string]: string };
  readonly line?: ExplainLine;
}

/**
 * Everything the construct renders.
 * @internal
 */
export interface WorkloadPlan {
  readonly image: string;
  /** The application port (container port and the Service's only port). */
  readonly port: number;
  readonly replicas: ReplicaPlan;
  /** The pods' labels and annotations, and the selector. */
  readonly labels: LabelPlan;
  readonly probes: ProbePlan;
  readonly budget: ShutdownBudget;
  readonly binding: RegistryBinding;
  /** What the preStop hook does (hook, wait, calls); wired by the render. */
  readonly preStop: PreStopPlan;
  readonly rollout: RolloutPlan;
  /** Extra pods a rolling update may create (maxUnavailable is always 0). */
  readonly maxSurge: kplus.PercentOrAbsolute;
  /** The container's command and args, init included. */
  readonly process: { readonly command?: string[]; readonly args?: string[] };
  /** The variables the library sets, before the user's are merged in. */
  readonly managedEnv: ManagedVariable[];
  /** The container's env as emitted: downward-API variables first, then the merged env. */
  readonly env: EnvEntry[];
  readonly sidecar: SidecarPlan;
  /** The "Registry and preStop" explanation lines. */
  readonly registryLines: ExplainLine[];
  /** The replicas, autoscaling and PodDisruptionBudget explanation lines. */
  readonly scalingLines: ExplainLine[];
  /** Pod-template annotations: only what must roll the pods (the preStop script's hash is added by the render). */
  readonly podAnnotations: { [key: string]: string };
  /** The workload's own annotations: the explanation, its sources, the consumers' cache. */
  readonly workloadAnnotations: { [key: string]: string };
  /** Where each default number comes from. */
  readonly sources: string[];
  /**
   * What only the plan can see: facts about the registry side that are not in the manifests. Everything
   * the manifests show is reported by the audit rules over the emitted objects instead.
   */
  readonly findings: Finding[];
}

/**
 * Derives the plan.
 *
 * @param props the construct's props
 * @param name the workload's name for log lines (metadata.name, else the construct id)
 * @param profile what the kind of workload adds (GracefulJavaService: Spring Boot / JVM)
 * @internal
 */
export function planWorkload(props: GracefulServiceProps, name: string, profile: WorkloadProfile = GENERIC_PROFILE): WorkloadPlan {
  checkProps(props);
  checkMetadata(props.metadata);
  const image = checkImage(props.image);
  const port = checkPort('port', props.port ?? DEFAULT_PORT);
  const replicas = planReplicas(props);
  const labels = planLabels(props, name);
  const health = checkHealth(props.health, port);
  const kubernetesMinor = checkKubernetesVersion(props.kubernetesVersion);
  const registry = checkRegistry(props.registry);
  const mesh = checkMesh(props.mesh, props.kubernetesVersion, kubernetesMinor);
  const init = checkInit(props.init);
  const maxSurge = checkMaxSurge(props.maxSurge);
  checkEnvVariables(props.envVariables);
  checkResources(props.resources);
  checkScaledResources(replicas, props.resources);
  checkSecurityContext(props.securityContext);
  checkServiceAccount(props.serviceAccount);

  const binding = registry._bind({ appPort: port, actuatorPort: profile.actuatorPort });
  const { budget, preStop, calls, waitLines, waitSources } = planShutdown(props, profile, binding,
    { name, kubernetesMinor, defaultHttpPort: health.port });
  const rollout = new RolloutPlan({
    startupBudget: props.startupBudget ?? profile.defaultStartupBudget,
    startupBudgetSource: props.startupBudget ? 'given' : profile.defaultStartupBudgetSource,
    minReady: props.minReady,
    progressDeadline: props.progressDeadline,
  });
  const process = renderProcess(init, props.command, props.args, { command: 'command', args: 'args' });
  const managedEnv = planManagedEnv(profile, budget, binding, preStop);
  const merged = mergeEnv(managedEnv, props.envVariables, 'envVariables', { command: props.command, args: props.args });
  const waitText = budget.inProcessWaitSeconds > 0 ? ` + in-process wait ${budget.inProcessWaitSeconds}s` : '';
  const sidecar = mesh._configure(budget.preStopSeconds + budget.inProcessWaitSeconds + budget.drainSeconds + budget.shutdownAllowanceSeconds,
    `preStop ${budget.preStopSeconds}s${waitText} + drain ${budget.drainSeconds}s + allowance ${budget.shutdownAllowanceSeconds}s`);
  checkPodAnnotationConflicts(labels.podAnnotations, sidecar.annotations, 'mesh');
  const lines = registryLines({ binding, after: preStop.after, calls, hookKind: preStop.hook.kind, budget, sidecarLine: sidecar.line, waitLines });
  const scaling = scalingLines(replicas, budget.terminationGracePeriodSeconds);
  const sources = [...budget.sources, ...waitSources, ...profile.sources, ...rollout.sources, ...replicas.sources];
  const annotations = planAnnotations({
    budget,
    registryLines: lines,
    rollout,
    scalingLines: scaling,
    sidecarAnnotations: sidecar.annotations,
    consumerCacheSeconds: binding.consumerCacheSeconds,
    sources,
  });
  return {
    image,
    port,
    replicas,
    labels,
    probes: planProbes(health, rollout, profile.probeTimeoutSeconds),
    budget,
    binding,
    preStop,
    rollout,
    maxSurge,
    process: { command: process.command, args: process.args },
    managedEnv,
    env: [...mergeEnv(downwardEnv(merged), undefined), ...merged],
    sidecar,
    registryLines: lines,
    scalingLines: scaling,
    podAnnotations: annotations.pod,
    workloadAnnotations: annotations.workload,
    sources,
    // The autoscaler limit is reported by the audit rule over the emitted grace period; the traffic warnings only here.
    findings: [...binding.findings, ...budget.findings.filter(f => f.id !== AUTOSCALER_LIMIT_ID), ...(profile.findings ?? [])],
  };
}

/**
 * The shutdown side: the hook (the script when something must be called), the budget with the calls'
 * bound, and what the hook has to do.
 */
function planShutdown(props: GracefulServiceProps, profile: WorkloadProfile, binding: RegistryBinding,
  hookInputs: { name: string; kubernetesMinor: number; defaultHttpPort: number }):
  { budget: ShutdownBudget; preStop: PreStopPlan; calls: number; waitLines: ExplainLine[]; waitSources: string[] } {
  const after = profile.afterCall?.call;
  const calls = countCalls(binding.takeOut, after);
  const hook = chooseHook(props.preStop, calls > 0, binding.takeOut?.description, hookInputs.kubernetesMinor);
  const waits = profile.spring ? inProcessWaits(binding.env, props.envVariables) : undefined;
  const budget = new ShutdownBudget({
    traffic: props.traffic,
    propagation: [Propagation.kubernetesEndpoints(props.endpointPropagation), ...binding.paths],
    deregistrationTimeout: Duration.seconds(calls * binding.callTimeoutSeconds),
    safetyBuffer: props.safetyBuffer,
    shutdownAllowance: props.shutdownAllowance,
    terminationGracePeriod: props.terminationGracePeriod,
    defaultLongestRequest: props.traffic?.longestRequest === undefined ? profile.defaultLongestRequest : undefined,
    inProcessWait: waits ? Duration.millis(waits.ms) : undefined,
  });
  const preStop: PreStopPlan = {
    hook,
    waitSeconds: budget.propagationSeconds,
    callTimeoutSeconds: binding.callTimeoutSeconds,
    takeOut: binding.takeOut,
    after,
    ...hookInputs,
    preStopSeconds: budget.preStopSeconds,
  };
  const waitLines = (waits?.lines ?? []).map(l => ({
    ...l,
    text: l.text.replace('{preStop}', `${budget.preStopSeconds}s`),
  }));
  return { budget, preStop, calls, waitLines, waitSources: waits?.sources ?? [] };
}

/**
 * The waits a registry client makes inside the process after SIGTERM (variables marked `inProcessWait`): the
 * library's value switches each off, since the preStop already waited; a value the user sets in `envVariables`
 * is kept and the budget adds it. One explanation line per wait says which.
 */
function inProcessWaits(env: ManagedVariable[], user: { [key: string]: string } | undefined):
  { ms: number; lines: ExplainLine[]; sources: string[] } | undefined {
  const marked = env.filter(v => v.inProcessWait !== undefined);
  if (marked.length === 0) return undefined;
  const userByNorm = new Map(Object.entries(user ?? {}).map(([k, v]) => [springEnvName(k), { k, v }]));
  let ms = 0;
  const lines: ExplainLine[] = marked.map((v, i) => {
    const w = v.inProcessWait!;
    const given = userByNorm.get(springEnvName(v.name));
    const key = `in-process-wait-${i + 1}`;
    if (given === undefined || typeof given.v !== 'string') {
      return { key, label: 'in-process wait', text: `${w.what}: switched off, ${v.name}=${v.value} (the preStop already waited {preStop})` };
    }
    const n = /^\s*\d+\s*$/.test(given.v) ? Number(given.v) * w.unitMs : NaN;
    if (!Number.isFinite(n) || n > MAX_DURATION_MS) {
      throw invalidProp(`envVariables.${given.k}`, show(given.v), `is not a whole number of ${w.unitMs === 1 ? 'milliseconds' : `× ${w.unitMs} ms`} up to one day`,
        `give e.g. "3000" (the budget adds it), or remove it: the library sets ${v.name}=${v.value} because the preStop already waited`);
    }
    ms += n;
    return { key, label: 'in-process wait', text: `${w.what}: kept, ${given.k}=${given.v} → ${formatMillis(n)} added to the budget` };
  });
  return { ms, lines, sources: marked.map(v => `in-process wait ${v.name}: ${v.inProcessWait!.source}`) };
}

function planProbes(health: Required<HttpHealthChecks>, rollout: RolloutPlan, timeoutSeconds: number | undefined): ProbePlan {
  return {
    port: health.port,
    readinessPath: health.readinessPath,
    livenessPath: health.livenessPath,
    startupPath: health.startupPath,
    periodSeconds: PROBE_PERIOD_SECONDS,
    failureThreshold: PROBE_FAILURE_THRESHOLD,
    startupFailureThreshold: rollout.startupFailureThreshold,
    timeoutSeconds,
  };
}

/**
 * The variables the library sets, in their fixed order: the profile's (from the budget), the registry's
 * application env with actuator exposure (Spring Boot), then what the hook reads.
 */
function planManagedEnv(profile: WorkloadProfile, budget: ShutdownBudget, binding: RegistryBinding, preStop: PreStopPlan): ManagedVariable[] {
  return [
    ...profile.managedEnv(budget),
    ...(profile.spring ? springRegistryEnv(binding.env, binding.actuatorEndpoints, profile.afterCall, profile.exposeEndpoints ?? []) : []),
    // The script reads its configuration from env; an httpGet endpoint learns the wait from it.
    ...(preStop.hook.kind === 'script' ? scriptEnv(preStop)
      : preStop.hook.kind === 'http-get' ? [{ name: 'GRACEFUL_WAIT_SECONDS', value: String(budget.propagationSeconds), owner: 'traffic / registry' }] : []),
  ];
}

/**
 * The registry's application env, and actuator exposure for the endpoints the hook calls and those the
 * user asks for (health stays exposed for the probes). A user's own exposure list is merged with it
 * (src/spring/env.ts mergeEnv).
 */
function springRegistryEnv(env: ManagedVariable[], endpoints: string[], after: AfterCall | undefined, extra: string[]): ManagedVariable[] {
  const ids = [...new Set([...endpoints, ...(after ? [after.actuatorEndpoint] : []), ...extra])].filter(id => id !== 'health');
  // The registry's values carry the library's `$(GRACEFUL_POD_IP)`-style references; their user parts are
  // checked to hold no `$` (checkName, checkBaseUrl, checkHostPort in src/registry/adapter.ts), and any
  // other `$` is still written literally (kubeletValue).
  const out = [...env.map(v => ({ ...v, references: true })), ...(after?.env ?? [])];
  const items = ['health', ...ids];
  out.push({
    name: 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE',
    value: items.join(','),
    mustInclude: { items, why: 'the probes call health, the preStop hook calls the registry endpoints and actuatorEndpoints names the rest' },
    // Spring Boot exposes health over HTTP by default: with nothing else needed, nothing is set, and only a
    // list the user gives gets health added.
    // https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.exposing
    mergeOnly: ids.length === 0,
  });
  return out;
}
