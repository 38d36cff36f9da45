import { Duration } from 'cdk8s';

/**
 * A HorizontalPodAutoscaler for a graceful workload (`autoscaling` prop). The Deployment then has no
 * `replicas` (the autoscaler owns the count). A scale-down terminates pods exactly as a rollout does: each
 * removed pod runs the same preStop and gets the same grace period, so the shutdown budget applies
 * unchanged.
 *
 * Defaults are Kubernetes' own for an autoscaling/v2 HorizontalPodAutoscaler, written out so a reader of
 * the YAML sees them, except `minReplicas` (Kubernetes: 1; here 2, as for `replicas`).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior
 */
export interface GracefulAutoscaling {
  /**
   * The fewest pods the autoscaler keeps. 1 needs `singleReplicaReason`: one pod cannot be replaced or
   * evicted without an outage.
   *
   * @default 2
   */
  readonly minReplicas?: number;

  /**
   * The most pods the autoscaler creates. No default: it is what the service may cost at peak.
   */
  readonly maxReplicas: number;

  /**
   * Target average CPU use of the pods, in percent of the container's CPU request (needs a CPU request or
   * limit in `resources`; cdk8s-plus-28's default request is 1000m).
   *
   * @default 80 (Kubernetes' metric when an autoscaler names none: k8s.io/api autoscaling/v2 types.go,
   *   HorizontalPodAutoscalerSpec.metrics)
   */
  readonly cpuUtilization?: number;

  /**
   * Target average memory use, in percent of the container's memory request. A JVM rarely returns heap to
   * the system, so a memory target scales a Java service up but seldom down again.
   *
   * @default - not scaled on memory
   */
  readonly memoryUtilization?: number;

  /**
   * How long the autoscaler's recommendation must stay lower before it scales down (the highest
   * recommendation of this window is used). At most one hour.
   *
   * @default Duration.minutes(5) (kube-controller-manager `--horizontal-pod-autoscaler-downscale-stabilization`)
   * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
   */
  readonly scaleDownStabilization?: Duration;

  /**
   * The most pods one scale-down step removes, in percent of the current replicas.
   *
   * @default 100 (kubernetes pkg/apis/autoscaling/v2/defaults.go: scaleDownLimitPercent)
   */
  readonly scaleDownPercent?: number;

  /**
   * The period of a scale-down step (`scaleDownPercent` per period). Between 1 second and 30 minutes.
   *
   * @default Duration.seconds(15) (kubernetes pkg/apis/autoscaling/v2/defaults.go: scaleDownPeriod)
   */
  readonly scaleDownPeriod?: Duration;
}
