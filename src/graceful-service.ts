import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { GracefulAutoscaling } from './autoscaling';
import { recordConstructPaths } from './construct-paths';
import { withPath } from './errors';
import { Finding, FindingSeverity } from './finding';
import { ServiceMesh } from './mesh';
import { explainPlan } from './plan/lines';
import { planWorkload, WorkloadPlan } from './plan/plan';
import { profileOf } from './plan/profile';
import { PreStopHook } from './prestop';
import { ProcessInit } from './process/pid1';
import { redactFinding } from './redact';
import { Registry } from './registry/registry';
import { auditedInPass, auditRendered, suppressionAnnotations, synthPass, validationMessages } from './render/audit';
import { renderWorkload } from './render/workload';
import { ShutdownBudget } from './shutdown/budget';
import { TrafficProfile } from './shutdown/traffic';
import { synthWarnings } from './synth-warnings';

function sortedLabels(labels: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The graceful workloads of each construct tree, registered at construction. */
const WORKLOADS = new WeakMap<IConstruct, { services: GracefulService[]; index?: Map<string, GracefulService[]> }>();

function registerWorkload(service: GracefulService): void {
  const entry = WORKLOADS.get(service.node.root) ?? { services: [] };
  entry.services.push(service);
  entry.index = undefined; // rebuilt at the next validation, once the tree is complete
  WORKLOADS.set(service.node.root, entry);
}

/** The graceful workloads of a construct tree, in construction order. */
function servicesOf(root: IConstruct): GracefulService[] {
  return WORKLOADS.get(root)?.services ?? [];
}

function selectorKey(s: GracefulService): string {
  return JSON.stringify([s.deployment.metadata.namespace ?? null, sortedLabels(s.deployment.matchLabels)]);
}

/** Namespace and selector → the workloads with them: built once per validation of a complete tree. */
function selectorIndex(root: IConstruct): Map<string, GracefulService[]> {
  const entry = WORKLOADS.get(root) ?? { services: [] };
  if (entry.index === undefined) {
    entry.index = new Map();
    for (const s of entry.services) {
      const key = selectorKey(s);
      entry.index.set(key, [...(entry.index.get(key) ?? []), s]);
    }
  }
  return entry.index;
}

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
   * Why one replica is acceptable. Required when `replicas` (or `autoscaling.minReplicas`) is 1; recorded
   * in the Deployment's explanation and as the suppression of the `single-replica` rule.
   *
   * @default - no reason; `replicas: 1` is rejected
   */
  readonly singleReplicaReason?: string;

  /**
   * A HorizontalPodAutoscaler (autoscaling/v2) instead of a fixed replica count: the Deployment gets no
   * `replicas` field, the autoscaler keeps at least `minReplicas` (2 unless `singleReplicaReason` is given)
   * and the PodDisruptionBudget (maxUnavailable 1) holds at any count. A scale-down terminates pods as a
   * rollout does, with the same preStop and grace period. Cannot be combined with `replicas`.
   *
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
   * @default - no autoscaler: `replicas` pods
   */
  readonly autoscaling?: GracefulAutoscaling;

  /**
   * Labels and annotations of the pods (the pod template), on top of `metadata.labels` (which the pods
   * get too) and the selector labels. Only what should roll the pods when it changes belongs here: the
   * library's own explanation is on the Deployment, not on the pods. No name or namespace; no key of the
   * library's own `graceful.cdk8s.io/` or cdk8s' `cdk8s.io/` prefixes.
   *
   * @default - `metadata.labels` and the selector labels only
   */
  readonly podMetadata?: ApiObjectMetadata;

  /**
   * The labels the Deployment, the Service and the PodDisruptionBudget select the pods by (they are added
   * to the pod template). Give them to adopt an existing Deployment with its current selector (a
   * Deployment's selector cannot change in place), or for a selector that does not change when the
   * construct moves in the tree. Two workloads of the app in one namespace may not share a selector.
   *
   * @default - cdk8s-plus's `cdk8s.io/metadata.addr` label, derived from the construct path (chart id and
   *   every parent's id): moving the construct under another parent or renaming the chart changes it. See
   *   docs/upgrading.md#selectors.
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * Select the pods by `graceful.cdk8s.io/workload: <metadata.name, else the construct id>` instead of the
   * construct path: the selector then survives moving the construct in the tree and renaming the chart.
   * Switching an existing Deployment to it changes its selector (delete and recreate it, or pin the current
   * one with `selectorLabels`); see docs/upgrading.md#selectors.
   *
   * @default false (cdk8s-plus's construct-path label, unchanged for existing users)
   */
  readonly stableSelector?: boolean;

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
   * Your values are written as given, so the kubelet expands `$(VAR)` in them (a variable defined earlier
   * in the container's env; `$$` is a literal `$`): write `$$` for a literal `$`. The values the library
   * writes itself (names, request bodies, URLs) are always literal.
   *
   * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
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
   * PodDisruptionBudget too, and its labels for the pods. Checked as
   * Kubernetes checks them: the name is a DNS-1035 label (at most 63 lowercase letters, digits and `-`,
   * starting with a letter: it is the Service's name), the namespace a DNS-1123 label, label keys and
   * values Kubernetes' label syntax (at most 63 characters).
   *
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
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

/** The synths (see synthPass) in which the construct paths were recorded: once per synth, not once per service. */
const pathsRecorded = new WeakSet<object>();

/**
 * An HTTP workload that loses no requests when its pods are replaced or evicted: a Deployment whose
 * termination grace period is derived from its traffic and from how long callers take to notice, with a
 * preStop wait, distinct probes, a surge-only rolling update, a Service (application port only) and a
 * PodDisruptionBudget (and, with `autoscaling`, a HorizontalPodAutoscaler). Every derived number is
 * explained in the Deployment's own annotations (`graceful.cdk8s.io/explanation` and
 * `graceful.cdk8s.io/sources`), not in its pod template, so a reworded explanation rolls no pod.
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
  /**
   * The preStop script's ConfigMap, when the hook is the script: one per chart and namespace, shared by
   * every workload there that runs the script.
   */
  public readonly preStopScript?: kplus.ConfigMap;
  /** The HorizontalPodAutoscaler, when `autoscaling` is given. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** Where each default number comes from (also in the Deployment's `graceful.cdk8s.io/sources` annotation). */
  public readonly sources: string[];

  /** Everything derived from the props (src/plan/); the objects above render it. */
  private readonly plan: WorkloadPlan;

  constructor(scope: Construct, id: string, props: GracefulServiceProps) {
    super(scope, id);
    // A subclass (GracefulJavaService) hands its profile over with the props, see withProfile().
    this.plan = withPath(this.node.path, () => planWorkload(props, props?.metadata?.name ?? id, profileOf(props)));
    this.port = this.plan.port;
    this.budget = this.plan.budget;
    this.sources = this.plan.sources;

    const rendered = renderWorkload(this, this.plan, props);
    this.deployment = rendered.deployment;
    this.container = rendered.container;
    this.service = rendered.service;
    this.podDisruptionBudget = rendered.podDisruptionBudget;
    this.preStopScript = rendered.preStopScript;
    this.autoscaler = rendered.autoscaler;
    if (this.plan.replicas.reason) {
      // The reason the construct required is the reason the single-replica rule is suppressed for.
      this.suppress('single-replica', this.plan.replicas.reason);
    }

    // Synth-time validation: the same rules as `cdk8s-graceful audit`, over what this construct emits
    // (after any changes made through the escape hatches). Errors fail synth as `[path] message`; warnings
    // are printed to standard error, or fail synth too with the context key `cdk8s-graceful:warnings`
    // (src/synth-warnings.ts). Under `cdk8s synth` with validation plugins, the objects' construct paths are
    // recorded for the plugin's report (src/construct-paths.ts). cdk8s asks once per chart plus once for the
    // app; within one App.synth() the rules run once, over every service of the app, and the paths are recorded
    // once (see synthPass).
    synthPass(this);
    let memo: { pass: object; messages: string[] } | undefined;
    this.node.addValidation({
      validate: () => {
        const pass = synthPass(this);
        if (pass !== undefined && memo?.pass === pass) return memo.messages;
        if (pass === undefined || !pathsRecorded.has(pass)) {
          recordConstructPaths(this);
          if (pass !== undefined) pathsRecorded.add(pass);
        }
        // within a synth, one audit over every service of the app (each also judged against the others)
        const audited = pass === undefined ? this.auditEmitted()
          : auditedInPass(pass, this, () => servicesOf(this.node.root).map(s => ({ owner: s, objects: s.emitted() })));
        const messages = [...validationMessages(audited), ...synthWarnings(this, this.worthALook(audited)), ...this.selectorClashes()];
        memo = pass === undefined ? undefined : { pass, messages };
        return messages;
      },
    });
    registerWorkload(this);
  }

  /**
   * What is allowed but worth a look: the rules' warnings and notes about the emitted manifests, and what
   * the construct noticed while deriving its numbers. Empty when the configuration is clean. (Errors fail
   * synthesis instead.) The warnings among them are also printed to standard error at synth as
   * `[path] warning rule-id: message. Fix: …`; the context key `cdk8s-graceful:warnings` set to `fail` makes
   * them fail synthesis, `ignore` keeps them here only (see docs/audit.md).
   */
  public get findings(): Finding[] {
    return this.worthALook(this.auditEmitted());
  }

  /**
   * Turns a rule off for this service's manifests, with the reason (recorded as the annotation
   * `graceful.cdk8s.io/suppress-<ruleId>` on the Deployment, which `cdk8s-graceful audit` honours too).
   *
   * @param ruleId the rule's id (see [docs/rules.md](docs/rules.md))
   * @param reason why the rule does not apply here
   */
  public suppress(ruleId: string, reason: string): void {
    const annotations = withPath(this.node.path, () => suppressionAnnotations(ruleId, reason));
    for (const [k, v] of Object.entries(annotations)) {
      this.deployment.metadata.addAnnotation(k, v);
    }
  }

  /**
   * The arithmetic behind every derived number: the shutdown budget and the rollout plan.
   */
  public explain(): string {
    return explainPlan(this.plan);
  }

  /** The rules' warnings and notes, then the plan's findings. */
  private worthALook(audited: Finding[]): Finding[] {
    // The rules judge the manifests; the plan adds only what the manifests do not show.
    return [...audited.filter(f => f.severity !== FindingSeverity.ERROR), ...this.plan.findings.map(redactFinding)];
  }

  /** Runs the rules over the objects this construct emits. */
  private auditEmitted(): Finding[] {
    return auditRendered(this.emitted());
  }

  /** The objects this construct emits, in the order they are audited. */
  private emitted(): (Construct | undefined)[] {
    return [this.preStopScript, this.deployment, this.service, this.podDisruptionBudget, this.autoscaler];
  }

  /**
   * Another graceful workload of the app in the same namespace with the same selector would share pods,
   * Service endpoints and disruption budget with this one.
   */
  private selectorClashes(): string[] {
    const index = selectorIndex(this.node.root);
    const key = selectorKey(this);
    const other = index.get(key)?.find(s => s !== this);
    if (other === undefined) return [];
    const ns = this.deployment.metadata.namespace;
    return [`'selectorLabels' (${JSON.stringify(sortedLabels(this.deployment.matchLabels))}) is also the selector of ${other.node.path} `
      + `in namespace ${ns ?? '(none)'}: the two Deployments would fight over the same pods and the Services would route to both. `
      + 'Fix: give each workload its own selectorLabels (or metadata.name with stableSelector)'];
  }
}
