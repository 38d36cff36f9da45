import { ApiObject, ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GracefulConfigError, invalidProp, withPath } from './errors';
import { ANNOTATION_PREFIX, ExplainLine, linesToAnnotations, renderLines } from './explain';
import { Finding, FindingSeverity } from './finding';
import { ServiceMesh } from './mesh';
import { chooseHook, countCalls, downwardEnv, PreStopHook, scriptEnv, SCRIPT_DIR, wirePreStop } from './prestop';
import { ProcessInit, renderProcess } from './process/pid1';
import { HttpCall } from './registry/adapter';
import { Registry } from './registry/registry';
import { PROBE_FAILURE_THRESHOLD, PROBE_PERIOD_SECONDS, RolloutPlan } from './rollout';
import { AuditAnnotations } from './rules/annotations';
import { audit, Rules } from './rules/engine';
import { Suppression } from './rules/suppression';
import { ShutdownBudget } from './shutdown/budget';
import { Propagation } from './shutdown/propagation';
import { TrafficProfile } from './shutdown/traffic';
import { EnvEntry, ManagedVariable, mergeEnv } from './spring/env';

/**
 * HTTP endpoints the kubelet probes. Readiness and liveness must be different endpoints: a failing
 * dependency should take the pod out of load balancing (readiness), not restart it (liveness).
 */
export interface HttpHealthChecks {
  /**
   * Path that answers 2xx while the pod should receive traffic.
   */
  readonly readinessPath: string;

  /**
   * Path that answers 2xx while the process is not stuck. Must differ from `readinessPath`.
   */
  readonly livenessPath: string;

  /**
   * Path probed during startup.
   *
   * @default the liveness path
   */
  readonly startupPath?: string;

  /**
   * Port the health endpoints listen on.
   *
   * @default the application port
   */
  readonly port?: number;
}

/**
 * Options shared by every graceful workload.
 */
export interface GracefulWorkloadOptions {
  /**
   * Container image.
   */
  readonly image: string;

  /**
   * What one pod serves, measured in production: sizes the drain and so the grace period.
   */
  readonly traffic: TrafficProfile;

  /**
   * The application's HTTP port: the container port and the only port of the Service.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * Number of pods.
   *
   * @default 2 (one pod cannot be replaced or evicted without an outage)
   */
  readonly replicas?: number;

  /**
   * Why one replica is acceptable. Required when `replicas` is 1; recorded in the pod template.
   *
   * @default - no reason; `replicas: 1` is rejected
   */
  readonly singleReplicaReason?: string;

  /**
   * Kubernetes endpoint propagation: how long kube-proxy and ingress controllers take to stop routing to
   * a terminating pod. The preStop hook waits at least this long.
   *
   * @default Duration.seconds(10)
   * @see https://docs.spring.io/spring-boot/reference/deployment/cloud.html#deployment.cloud.kubernetes.container-lifecycle
   */
  readonly endpointPropagation?: Duration;

  /**
   * Where callers find the service: decides how the preStop hook takes the instance out and how long it
   * waits for callers to notice (the slowest of registry → consumers and Kubernetes endpoints).
   * See [docs/registries.md](docs/registries.md).
   *
   * @default Registry.kubernetesService() (nothing to take out; endpoint propagation only)
   */
  readonly registry?: Registry;

  /**
   * How the preStop hook runs in the container.
   *
   * @default PreStopHook.script() when something must be called (a registry take-out, a shutdown
   *   trigger), else PreStopHook.sleepCommand()
   */
  readonly preStop?: PreStopHook;

  /**
   * The oldest Kubernetes version the manifests are applied to (`major.minor`). Decides which newer
   * fields may be emitted (e.g. the native preStop sleep action from 1.30).
   *
   * @default '1.28' (the API version cdk8s-plus-28 targets)
   */
  readonly kubernetesVersion?: string;

  /**
   * A service-mesh sidecar that must stay up until the application has drained.
   *
   * @default ServiceMesh.none()
   */
  readonly mesh?: ServiceMesh;

  /**
   * Added on top of preStop + drain + shutdown allowance.
   *
   * @default Duration.seconds(10) (field report 004)
   */
  readonly safetyBuffer?: Duration;

  /**
   * Your termination grace period. It must be at least the derived minimum; the error says by how much
   * it falls short.
   *
   * @default the derived minimum (see `explain()`)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Longest time the application may take to start. Sizes the startup probe (failureThreshold ×
   * 10 s period covers it) and the progress deadline.
   *
   * @default Duration.seconds(30) for GracefulService (cdk8s-plus-28's startup probe: 3 × 10 s);
   *   GracefulJavaService: Duration.minutes(5)
   */
  readonly startupBudget?: Duration;

  /**
   * Seconds a new pod must stay ready before it counts as available in a rollout.
   *
   * @default one readiness failure window: 10 s period × 3 failures = 30 s
   */
  readonly minReady?: Duration;

  /**
   * Time without progress after which Kubernetes marks a rollout as failed.
   *
   * @default max(600 s (Kubernetes' default), startup probe window + minReady + 60 s)
   */
  readonly progressDeadline?: Duration;

  /**
   * Extra pods a rolling update may create (maxUnavailable is always 0).
   *
   * @default 25 % (field report 004: maxSurge 25%, maxUnavailable 0)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;

  /**
   * Container entrypoint (replaces the image's ENTRYPOINT). A shell wrapper (`sh -c "…"`) must end with
   * `exec`, or the shell stays PID 1 and SIGTERM never reaches the application (field report 001); an init
   * (`init`) does not change that, as it exits when the shell exits.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];

  /**
   * Container arguments (replace the image's CMD).
   *
   * @default - the image's CMD
   */
  readonly args?: string[];

  /**
   * What runs as PID 1 in front of the command.
   *
   * @default ProcessInit.none() (the application itself is PID 1)
   */
  readonly init?: ProcessInit;

  /**
   * Environment variables. Variables whose values this construct derives are rejected with the prop to
   * set instead; all others are yours and replace any default of the same name.
   *
   * @default - none
   */
  readonly envVariables?: { [name: string]: string };

  /**
   * Container resources.
   *
   * @default - cdk8s-plus-28's defaults (1000m / 512Mi requests, 1500m / 2048Mi limits)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Security context of the application container.
   *
   * @default - cdk8s-plus-28's defaults: runAsNonRoot, read-only root filesystem (a writable /tmp is
   *   mounted), no privilege escalation. Images that run as root need `user` set here.
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Service account the pods run as (e.g. for Spring Cloud Kubernetes discovery).
   *
   * @default - the namespace's default service account, with its token not mounted (cdk8s-plus-28)
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Metadata of the Deployment; its name, namespace and labels are used for the Service and the
   * PodDisruptionBudget too.
   *
   * @default - generated names in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Props of {@link GracefulService}.
 */
export interface GracefulServiceProps extends GracefulWorkloadOptions {
  /**
   * Health endpoints for the readiness, liveness and startup probes.
   */
  readonly health: HttpHealthChecks;

  /**
   * Time the process needs after the drain to exit.
   *
   * @default Duration.seconds(0)
   */
  readonly shutdownAllowance?: Duration;
}

/**
 * What a subclass adds; not part of the public props.
 * @internal
 */
export interface GracefulServiceExtension {
  readonly managedEnv?: (budget: ShutdownBudget) => ManagedVariable[];
  readonly defaultStartupBudget?: Duration;
  readonly defaultStartupBudgetSource?: string;
  readonly sources?: string[];
  /** Spring Boot's management port: enables the in-process (actuator) take-out. */
  readonly actuatorPort?: number;
  /** Spring Boot: the registry's application env applies, actuator endpoints are exposed. */
  readonly spring?: boolean;
  /** A call after the wait (shutdown trigger) and the actuator endpoint it needs. */
  readonly afterCall?: { readonly call: HttpCall; readonly actuatorEndpoint: string; readonly env: ManagedVariable[] };
}

/**
 * Default application port (Spring Boot's `server.port` default).
 * @internal
 */
export const DEFAULT_PORT = 8080;
/** Default replica count. */
const DEFAULT_REPLICAS = 2;
/** cdk8s-plus-28 adds a TCP startup probe with failureThreshold 3 × 10 s; we keep that budget for generic services. */
const DEFAULT_STARTUP_BUDGET = Duration.seconds(PROBE_FAILURE_THRESHOLD * PROBE_PERIOD_SECONDS);
/** Name of the application container. */
const CONTAINER_NAME = 'app';

/**
 * An HTTP workload that loses no requests when its pods are replaced or evicted: a Deployment whose
 * termination grace period is derived from its traffic and from how long callers take to notice, with a
 * preStop wait, distinct probes, a surge-only rolling update, a Service (application port only) and a
 * PodDisruptionBudget. Every derived number is written into the pod template's annotations.
 */
export class GracefulService extends Construct {
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The Service, exposing the application port only. */
  public readonly service: kplus.Service;
  /** The PodDisruptionBudget allowing one disruption at a time. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The application container. */
  public readonly container: kplus.Container;
  /** The derived shutdown budget. */
  public readonly budget: ShutdownBudget;
  /** The application port. */
  public readonly port: number;
  /** The preStop script's ConfigMap, when the hook is the script. */
  public readonly preStopScript?: kplus.ConfigMap;
  /** Where each default number comes from (also in the pod template's `graceful.cdk8s.io/sources`). */
  public readonly sources: string[];

  private readonly rollout: RolloutPlan;
  private readonly registryLines: ExplainLine[];
  /** What the construct itself noticed while deriving (the rules add theirs at synth). */
  private readonly ownFindings: Finding[];

  constructor(scope: Construct, id: string, props: GracefulServiceProps) {
    super(scope, id);
    const ext: GracefulServiceExtension = (props as any)?.__extension ?? {};
    const path = this.node.path;

    const built = withPath(path, () => {
      if (props === undefined || props === null) {
        throw new GracefulConfigError('props are required: give at least { image, traffic, health }');
      }
      checkImage(props.image);
      const port = checkPort('port', props.port ?? DEFAULT_PORT);
      const replicas = checkReplicas(props.replicas, props.singleReplicaReason);
      const health = checkHealth(props.health, port);

      const kubernetesMinor = checkKubernetesVersion(props.kubernetesVersion);
      const registry = props.registry ?? Registry.kubernetesService();
      if (!(registry instanceof Registry)) {
        throw invalidProp('registry', String(registry), 'is not a Registry', 'give e.g. Registry.nacos(), Registry.consul(), Registry.eureka() or leave it out');
      }
      const mesh = props.mesh ?? ServiceMesh.none();
      if (!(mesh instanceof ServiceMesh)) {
        throw invalidProp('mesh', String(mesh), 'is not a ServiceMesh', 'give ServiceMesh.istio() or leave it out');
      }
      const binding = registry._bind({ appPort: port, actuatorPort: ext.actuatorPort });
      const after = ext.afterCall?.call;
      const calls = countCalls(binding.takeOut, after);
      const hook = chooseHook(props.preStop, calls > 0, binding.takeOut?.description, kubernetesMinor);

      const budget = new ShutdownBudget({
        traffic: props.traffic,
        propagation: [Propagation.kubernetesEndpoints(props.endpointPropagation), ...binding.paths],
        deregistrationTimeout: Duration.seconds(calls * binding.callTimeoutSeconds),
        safetyBuffer: props.safetyBuffer,
        shutdownAllowance: props.shutdownAllowance,
        terminationGracePeriod: props.terminationGracePeriod,
      });
      const rollout = new RolloutPlan({
        startupBudget: props.startupBudget ?? ext.defaultStartupBudget ?? DEFAULT_STARTUP_BUDGET,
        startupBudgetSource: props.startupBudget ? 'given'
          : (ext.defaultStartupBudgetSource ?? `cdk8s-plus-28 default startup probe, ${PROBE_FAILURE_THRESHOLD} × ${PROBE_PERIOD_SECONDS} s`),
        minReady: props.minReady,
        progressDeadline: props.progressDeadline,
      });
      const processSpec = renderProcess(props.init ?? ProcessInit.none(), props.command, props.args, { command: 'command', args: 'args' });

      const preStopPlan = {
        hook,
        waitSeconds: budget.propagationSeconds,
        callTimeoutSeconds: binding.callTimeoutSeconds,
        takeOut: binding.takeOut,
        after,
        name: props.metadata?.name ?? id,
        defaultHttpPort: health.port,
        kubernetesMinor,
        preStopSeconds: budget.preStopSeconds,
      };
      const managed: ManagedVariable[] = [
        ...(ext.managedEnv ? ext.managedEnv(budget) : []),
        ...(ext.spring ? springRegistryEnv(binding.env, binding.actuatorEndpoints, ext.afterCall) : []),
        // The script reads its configuration from env; an httpGet endpoint learns the wait from it.
        ...(hook.kind === 'script' ? scriptEnv(preStopPlan)
          : hook.kind === 'http-get' ? [{ name: 'GRACEFUL_WAIT_SECONDS', value: String(budget.propagationSeconds), owner: 'traffic / registry' }] : []),
      ];
      const merged = mergeEnv(managed, props.envVariables);
      const env = [...mergeEnv(downwardEnv(merged), undefined), ...merged];

      const sidecar = mesh._configure(budget.preStopSeconds + budget.drainSeconds + budget.shutdownAllowanceSeconds,
        `preStop ${budget.preStopSeconds}s + drain ${budget.drainSeconds}s + allowance ${budget.shutdownAllowanceSeconds}s`);
      const registryLines: ExplainLine[] = [
        { key: 'registry', label: 'registry', text: binding.name },
        {
          key: 'take-out',
          label: 'take-out',
          text: binding.takeOut
            ? `${binding.takeOut.description}${binding.takeOut.login ? ', after a login' : ''}`
            : 'none (callers only use the Kubernetes Service)',
        },
        ...(after ? [{ key: 'after-wait', label: 'after the wait', text: `${after.method} ${after.url}` }] : []),
        {
          key: 'pre-stop-calls',
          label: 'call bound',
          text: `${calls} call${calls === 1 ? '' : 's'} × ${binding.callTimeoutSeconds}s = ${calls * binding.callTimeoutSeconds}s (each call is killed at its timeout)`,
        },
        { key: 'pre-stop-hook', label: 'preStop hook', text: describeHook(hook.kind, budget.propagationSeconds, budget.preStopSeconds) },
        ...binding.notes.map((n, i) => ({ key: `registry-note-${i + 1}`, label: n.label, text: n.text })),
        ...(sidecar.line ? [sidecar.line] : []),
      ];
      return { port, replicas, health, budget, rollout, processSpec, env, binding, preStopPlan, sidecar, registryLines };
    });

    this.port = built.port;
    this.budget = built.budget;
    this.rollout = built.rollout;
    this.registryLines = built.registryLines;
    // Findings a rule also reports come from the rule (with object and path, and suppressible); the
    // construct keeps only what no rule can see in the manifests.
    this.ownFindings = [...built.budget.findings, ...built.binding.findings].filter(f => Rules.byId(f.id) === undefined);

    const probeOptions = {
      port: built.health.port,
      periodSeconds: Duration.seconds(PROBE_PERIOD_SECONDS),
      failureThreshold: PROBE_FAILURE_THRESHOLD,
    };

    const wiring = wirePreStop(this, built.preStopPlan, props.metadata ?? {});

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: props.metadata,
      replicas: built.replicas.count,
      minReady: Duration.seconds(built.rollout.minReadySeconds),
      progressDeadline: Duration.seconds(built.rollout.progressDeadlineSeconds),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: props.maxSurge ?? kplus.PercentOrAbsolute.percent(25),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      terminationGracePeriod: Duration.seconds(built.budget.terminationGracePeriodSeconds),
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.serviceAccount !== undefined ? true : undefined,
    });

    this.container = this.deployment.addContainer({
      name: CONTAINER_NAME,
      image: props.image,
      ports: [{ number: built.port, name: 'http' }],
      command: built.processSpec.command,
      args: built.processSpec.args,
      envVariables: Object.fromEntries(built.env.map(e => [e.name, envValue(e)])),
      resources: props.resources,
      securityContext: props.securityContext,
      readiness: kplus.Probe.fromHttpGet(built.health.readinessPath, probeOptions),
      liveness: kplus.Probe.fromHttpGet(built.health.livenessPath, probeOptions),
      startup: kplus.Probe.fromHttpGet(built.health.startupPath, {
        ...probeOptions,
        failureThreshold: built.rollout.startupFailureThreshold,
      }),
      lifecycle: wiring.handler ? { preStop: wiring.handler } : undefined,
    });
    if (wiring.volume) {
      this.container.mount(SCRIPT_DIR, wiring.volume, { readOnly: true });
    }
    wiring.finish(this.deployment, CONTAINER_NAME);
    this.preStopScript = wiring.configMap;

    // cdk8s-plus-28 makes the root filesystem read-only; the JVM, Tomcat and most runtimes need /tmp.
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    this.container.mount('/tmp', tmp);

    this.sources = [...built.budget.sources, ...(ext.sources ?? []), ...built.rollout.sources];
    const annotations = {
      ...linesToAnnotations([...built.budget._lines, ...built.registryLines, ...built.rollout.lines]),
      ...wiring.annotations,
      ...built.sidecar.annotations,
      // The consumers' cache, declared through `consumerCache`, for the audit's propagation rule.
      ...(built.binding.consumerCacheSeconds !== undefined
        ? { [AuditAnnotations.CONSUMER_CACHE_SECONDS]: String(built.binding.consumerCacheSeconds) }
        : {}),
      [`${ANNOTATION_PREFIX}sources`]: this.sources.join('; '),
      ...(built.replicas.reason ? { [`${ANNOTATION_PREFIX}single-replica-reason`]: built.replicas.reason } : {}),
    };
    for (const [k, v] of Object.entries(annotations)) {
      this.deployment.podMetadata.addAnnotation(k, v);
    }
    if (built.replicas.reason) {
      // The reason the construct required is the reason the single-replica rule is suppressed for.
      this.suppress('single-replica', built.replicas.reason);
    }

    // The Service and the PDB share the Deployment's name, namespace and labels (different kinds may share
    // a name); fields the user did not give are left out so cdk8s generates them.
    const shared: ApiObjectMetadata = Object.fromEntries(
      (['name', 'namespace', 'labels'] as const)
        .filter(k => props.metadata?.[k] !== undefined)
        .map(k => [k, props.metadata![k]]),
    );
    this.service = new kplus.Service(this, 'Service', {
      metadata: shared,
      selector: this.deployment,
      ports: [{ name: 'http', port: built.port, targetPort: built.port }],
      type: kplus.ServiceType.CLUSTER_IP,
    });

    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: shared,
      spec: {
        // One pod at a time: with maxUnavailable 1 a drain never blocks, even with a single replica.
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: this.deployment.matchLabels },
        // Pods that are not ready serve nothing: let evictions remove them even when the budget is spent.
        // https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    // Synth-time validation: the same rules as `cdk8s-graceful audit`, over what this construct emits
    // (after any changes made through the escape hatches). Errors fail synth as `[path] message`.
    this.node.addValidation({
      validate: () => this.auditEmitted()
        .filter(f => f.severity === FindingSeverity.ERROR)
        .map(f => `${f.id}: ${f.message}${f.path ? ` (${f.object?.kind} ${f.path})` : ''}. Fix: ${f.remediation}`),
    });
  }

  /**
   * What is allowed but worth a look: the rules' warnings and notes about the emitted manifests, and what
   * the construct noticed while deriving its numbers. Empty when the configuration is clean. (Errors fail
   * synthesis instead.)
   */
  public get findings(): Finding[] {
    const audited = this.auditEmitted().filter(f => f.severity !== FindingSeverity.ERROR);
    const ids = new Set(audited.map(f => f.id));
    return [...audited, ...this.ownFindings.filter(f => !ids.has(f.id))];
  }

  /**
   * Turns a rule off for this service's manifests, with the reason (recorded as the annotation
   * `graceful.cdk8s.io/suppress-<ruleId>` on the Deployment, which `cdk8s-graceful audit` honours too).
   *
   * @param ruleId the rule's id (see [docs/rules.md](docs/rules.md))
   * @param reason why the rule does not apply here
   */
  public suppress(ruleId: string, reason: string): void {
    if (Rules.byId(ruleId) === undefined) {
      withPath(this.node.path, () => {
        throw invalidProp('suppress(ruleId)', JSON.stringify(ruleId), 'is not a rule id', 'give an id from docs/rules.md, e.g. "single-replica"');
      });
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      withPath(this.node.path, () => {
        throw invalidProp('suppress(reason)', JSON.stringify(reason), `is empty: a suppression of '${ruleId}' needs a reason`,
          'say why the rule does not apply to this service');
      });
    }
    for (const [k, v] of Object.entries(Suppression.annotations(ruleId, reason.trim()))) {
      this.deployment.metadata.addAnnotation(k, v);
    }
  }

  /** Runs the rules over the objects this construct emits. */
  private auditEmitted(): Finding[] {
    const objects = [this.preStopScript, this.deployment, this.service, this.podDisruptionBudget]
      .filter((o): o is NonNullable<typeof o> => o !== undefined)
      .map(o => ApiObject.of(o).toJson());
    return audit({ documents: objects.map((object, index) => ({ object, index })) });
  }

  /**
   * The arithmetic behind every derived number: the shutdown budget and the rollout plan.
   */
  public explain(): string {
    return [
      ...this.budget._explainBody(),
      'Registry and preStop:',
      ...renderLines(this.registryLines),
      'Rollout:',
      ...renderLines(this.rollout.lines),
      'Sources:',
      ...this.sources.map(x => `  ${x}`),
    ].join('\n');
  }
}

function checkKubernetesVersion(v: string | undefined): number {
  const given = v ?? '1.28';
  const m = typeof given === 'string' ? /^v?1\.([0-9]{1,3})(\.[0-9]+)?$/.exec(given) : null;
  if (!m) {
    throw invalidProp('kubernetesVersion', JSON.stringify(v), 'must be a Kubernetes version such as "1.30"', 'give the oldest version your clusters run, e.g. "1.30"');
  }
  return Number(m[1]);
}

function describeHook(kind: string, wait: number, preStop: number): string {
  switch (kind) {
    case 'script': return `/bin/sh /etc/graceful/prestop.sh: take out, wait ${wait}s, exit 0 (≤ ${preStop}s in all)`;
    case 'http-get': return `httpGet to the application, which takes itself out and answers after ${wait}s (GRACEFUL_WAIT_SECONDS)`;
    case 'sleep-action': return `lifecycle.preStop.sleep ${preStop}s (Kubernetes ≥ 1.30)`;
    default: return `exec sleep ${preStop}`;
  }
}

/**
 * The registry's application env, and actuator exposure for the endpoints the hook calls (health stays
 * exposed for the probes).
 */
function springRegistryEnv(env: ManagedVariable[], endpoints: string[], after: GracefulServiceExtension['afterCall']): ManagedVariable[] {
  const ids = [...endpoints, ...(after ? [after.actuatorEndpoint] : [])];
  const out = [...env, ...(after?.env ?? [])];
  if (ids.length > 0) {
    const items = ['health', ...ids];
    out.push({
      name: 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE',
      value: items.join(','),
      mustInclude: { items, why: 'the probes call health and the preStop hook calls the others over HTTP' },
    });
  }
  return out;
}

function envValue(e: EnvEntry): kplus.EnvValue {
  if (e.valueFrom?.fieldPath) {
    return kplus.EnvValue.fromFieldRef(e.valueFrom.fieldPath as kplus.EnvFieldPaths);
  }
  if (e.valueFrom?.secret) {
    return kplus.EnvValue.fromSecretValue(e.valueFrom.secret);
  }
  return kplus.EnvValue.fromValue(e.value);
}

function checkImage(image: string): void {
  if (typeof image !== 'string' || image.trim().length === 0 || /\s/.test(image)) {
    throw invalidProp('image', JSON.stringify(image), 'must be a non-empty image reference without spaces', 'give e.g. "registry.example.com/orders:1.4.2"');
  }
}

/** @internal */
export function checkPort(prop: string, port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidProp(prop, String(port), 'must be a whole number from 1 to 65535', 'give the TCP port the application listens on, e.g. 8080');
  }
  return port;
}

function checkReplicas(replicas: number | undefined, reason: string | undefined): { count: number; reason?: string } {
  const count = replicas ?? DEFAULT_REPLICAS;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw invalidProp('replicas', String(count), 'must be a whole number of at least 1', 'give 2 or more (the default is 2)');
  }
  if (count === 1) {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw invalidProp('replicas', '1', 'leaves no pod serving while the only one is replaced or evicted',
        'give 2 or more, or acknowledge the outage with singleReplicaReason: "why one pod is enough"');
    }
    return { count, reason: reason.trim() };
  }
  if (reason !== undefined) {
    throw invalidProp('singleReplicaReason', JSON.stringify(reason), `is only meaningful with replicas: 1 (replicas is ${count})`, 'remove it');
  }
  return { count };
}

function checkHealth(health: HttpHealthChecks, appPort: number): Required<HttpHealthChecks> {
  if (health === undefined || health === null) {
    throw invalidProp('health', String(health), 'is required', 'give { readinessPath: "/ready", livenessPath: "/live" } for your application');
  }
  for (const key of ['readinessPath', 'livenessPath', 'startupPath'] as const) {
    const p = health[key];
    if (p === undefined && key === 'startupPath') continue;
    if (typeof p !== 'string' || !p.startsWith('/') || /\s/.test(p)) {
      throw invalidProp(`health.${key}`, JSON.stringify(p), 'must be an absolute URL path without spaces', 'give e.g. "/actuator/health/readiness"');
    }
  }
  if (health.readinessPath === health.livenessPath) {
    throw invalidProp('health.livenessPath', JSON.stringify(health.livenessPath), 'is the same endpoint as health.readinessPath',
      'use distinct endpoints: a dependency outage should fail readiness (stop traffic), not liveness (restart the pod); Spring Boot: /actuator/health/readiness and /actuator/health/liveness');
  }
  const port = checkPort('health.port', health.port ?? appPort);
  return {
    readinessPath: health.readinessPath,
    livenessPath: health.livenessPath,
    startupPath: health.startupPath ?? health.livenessPath,
    port,
  };
}
