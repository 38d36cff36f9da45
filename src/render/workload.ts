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
}

/**
 * Renders the plan under `scope`, with the props the plan passes through unchanged (metadata, service
 * account, resources, security context).
 * @internal
 */
export function renderWorkload(scope: Construct, plan: WorkloadPlan, props: GracefulWorkloadOptions): RenderedWorkload {
  const wiring = wirePreStop(scope, plan.preStop, props.metadata ?? {});
  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata: props.metadata,
    replicas: plan.replicas.count,
    minReady: Duration.seconds(plan.rollout.minReadySeconds),
    progressDeadline: Duration.seconds(plan.rollout.progressDeadlineSeconds),
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: plan.maxSurge, maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    terminationGracePeriod: Duration.seconds(plan.budget.terminationGracePeriodSeconds),
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: props.serviceAccount !== undefined ? true : undefined,
  });
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
  wiring.finish(deployment, CONTAINER_NAME);
  // cdk8s-plus-28 makes the root filesystem read-only; the JVM, Tomcat and most runtimes need /tmp.
  container.mount('/tmp', kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp'));
  for (const [k, v] of Object.entries({ ...plan.annotations, ...wiring.annotations })) {
    deployment.podMetadata.addAnnotation(k, v);
  }
  const { service, podDisruptionBudget } = renderCompanions(scope, plan, deployment, props.metadata);
  return { deployment, container, service, podDisruptionBudget, preStopScript: wiring.configMap };
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
  const service = new kplus.Service(scope, 'Service', {
    metadata: shared,
    selector: deployment,
    ports: [{ name: 'http', port: plan.port, targetPort: plan.port }],
    type: kplus.ServiceType.CLUSTER_IP,
  });
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
  return { service, podDisruptionBudget };
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
