/*
 * Renders a workload plan (src/plan/) into cdk8s-plus-28 objects: the Deployment and its application
 * container (probes, env, preStop wiring, volumes, pod annotations), the Service and the
 * PodDisruptionBudget. Decides nothing: every number comes from the plan.
 */
import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { GracefulWorkloadOptions } from '../graceful-service';
import { WorkloadPlan } from '../plan/plan';
import { SCRIPT_DIR, wirePreStop } from '../prestop';
import { EnvEntry } from '../spring/env';

/** Name of the application container. */
const CONTAINER_NAME = 'app';

/**
 * The objects a graceful workload is made of.
 * @internal
 */
export interface RenderedWorkload {
  readonly deployment: kplus.Deployment;
  readonly container: kplus.Container;
  readonly service: kplus.Service;
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  readonly preStopScript?: kplus.ConfigMap;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
}

/**
 * Renders the plan under `scope`, with the props the plan passes through unchanged (metadata, service
 * account, resources, security context).
 * @internal
 */
export function renderWorkload(scope: Construct, plan: WorkloadPlan, props: GracefulWorkloadOptions): RenderedWorkload {
  const wiring = wirePreStop(scope, plan.preStop, props.metadata ?? {});
  const selector = plan.labels.selector;
  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata: props.metadata,
    // Undefined with an autoscaler: the HorizontalPodAutoscaler owns the count.
    replicas: plan.replicas.count,
    // Without selectorLabels / stableSelector, cdk8s-plus's construct-path label (today's default, kept).
    select: selector === undefined,
    podMetadata: { labels: { ...plan.labels.podLabels, ...selector }, annotations: plan.labels.podAnnotations },
    minReady: Duration.seconds(plan.rollout.minReadySeconds),
    progressDeadline: Duration.seconds(plan.rollout.progressDeadlineSeconds),
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: plan.maxSurge, maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    terminationGracePeriod: Duration.seconds(plan.budget.terminationGracePeriodSeconds),
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: props.serviceAccount !== undefined ? true : undefined,
  });
  if (selector !== undefined) {
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
  }
  const probes = plan.probes;
  const probe = {
    port: probes.port,
    periodSeconds: Duration.seconds(probes.periodSeconds),
    failureThreshold: probes.failureThreshold,
    ...(probes.timeoutSeconds !== undefined ? { timeoutSeconds: Duration.seconds(probes.timeoutSeconds) } : {}),
  };
  const container = deployment.addContainer({
    name: CONTAINER_NAME,
    image: plan.image,
    ports: [{ number: plan.port, name: 'http' }],
    command: plan.process.command,
    args: plan.process.args,
    envVariables: Object.fromEntries(plan.env.map(e => [e.name, envValue(e)])),
    resources: props.resources,
    securityContext: props.securityContext,
    readiness: kplus.Probe.fromHttpGet(probes.readinessPath, probe),
    liveness: kplus.Probe.fromHttpGet(probes.livenessPath, probe),
    startup: kplus.Probe.fromHttpGet(probes.startupPath, { ...probe, failureThreshold: probes.startupFailureThreshold }),
    lifecycle: wiring.handler ? { preStop: wiring.handler } : undefined,
  });
  if (wiring.volume) {
    container.mount(SCRIPT_DIR, wiring.volume, { readOnly: true });
  }
  if (wiring.configMap) {
    // The shared script comes before the first Deployment that mounts it in the chart's manifest.
    deployment.node.addDependency(wiring.configMap);
  }
  wiring.finish(deployment, CONTAINER_NAME);
  // cdk8s-plus-28 makes the root filesystem read-only; the JVM, Tomcat and most runtimes need /tmp.
  container.mount('/tmp', kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp'));
  // Only what must roll the pods is on the pod template; the explanation is on the Deployment itself.
  for (const [k, v] of Object.entries({ ...plan.podAnnotations, ...wiring.annotations })) {
    deployment.podMetadata.addAnnotation(k, v);
  }
  for (const [k, v] of Object.entries(plan.workloadAnnotations)) {
    deployment.metadata.addAnnotation(k, v);
  }
  const { service, podDisruptionBudget, shared } = renderCompanions(scope, plan, deployment, props.metadata);
  const autoscaler = renderAutoscaler(scope, plan, deployment, shared);
  return { deployment, container, service, podDisruptionBudget, preStopScript: wiring.configMap, autoscaler };
}

/**
 * The Service and the PDB. They share the Deployment's name, namespace and labels (different kinds may
 * share a name); fields the user did not give are left out so cdk8s generates them.
 */
function renderCompanions(scope: Construct, plan: WorkloadPlan, deployment: kplus.Deployment, metadata: ApiObjectMetadata | undefined) {
  const shared: ApiObjectMetadata = Object.fromEntries(
    (['name', 'namespace', 'labels'] as const)
      .filter(k => metadata?.[k] !== undefined)
      .map(k => [k, metadata![k]]),
  );
  const selector = plan.labels.selector;
  const service = new kplus.Service(scope, 'Service', {
    metadata: shared,
    selector: selector === undefined ? deployment : undefined,
    ports: [{ name: 'http', port: plan.port, targetPort: plan.port }],
    type: kplus.ServiceType.CLUSTER_IP,
  });
  for (const [k, v] of Object.entries(selector ?? {})) {
    service.selectLabel(k, v);
  }
  const podDisruptionBudget = new k8s.KubePodDisruptionBudget(scope, 'Pdb', {
    metadata: shared,
    spec: {
      // One pod at a time: with maxUnavailable 1 a drain never blocks, even with a single replica.
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: deployment.matchLabels },
      // Pods that are not ready serve nothing: let evictions remove them even when the budget is spent.
      // https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
  return { service, podDisruptionBudget, shared };
}

/**
 * The HorizontalPodAutoscaler (autoscaling/v2), when the plan has one: its numbers written out, the
 * scale-up behaviour Kubernetes' own default (cdk8s-plus-28 would otherwise write its own: 4 pods or 200 %
 * per minute).
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior
 */
function renderAutoscaler(scope: Construct, plan: WorkloadPlan, deployment: kplus.Deployment,
  metadata: ApiObjectMetadata): kplus.HorizontalPodAutoscaler | undefined {
  const a = plan.replicas.autoscaling;
  if (a === undefined) return undefined;
  return new kplus.HorizontalPodAutoscaler(scope, 'Autoscaler', {
    metadata,
    target: deployment,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics: [
      kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(a.cpuUtilization)),
      ...(a.memoryUtilization !== undefined ? [kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(a.memoryUtilization))] : []),
    ],
    scaleUp: {
      // kubernetes pkg/apis/autoscaling/v2/defaults.go: no stabilization, the larger of 4 pods and 100 % per 15 s.
      stabilizationWindow: Duration.seconds(0),
      strategy: kplus.ScalingStrategy.MAX_CHANGE,
      policies: [
        { replicas: kplus.Replicas.absolute(4), duration: Duration.seconds(15) },
        { replicas: kplus.Replicas.percent(100), duration: Duration.seconds(15) },
      ],
    },
    scaleDown: {
      stabilizationWindow: Duration.seconds(a.scaleDownStabilizationSeconds),
      strategy: kplus.ScalingStrategy.MAX_CHANGE,
      policies: [{ replicas: kplus.Replicas.percent(a.scaleDownPercent), duration: Duration.seconds(a.scaleDownPeriodSeconds) }],
    },
  });
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
