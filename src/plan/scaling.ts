/*
 * How many pods: a fixed `replicas`, or a HorizontalPodAutoscaler (`autoscaling`). Checks both props, and
 * words the replica count, the autoscaler and the PodDisruptionBudget for the explanation. Pure: no
 * constructs (the render creates the HorizontalPodAutoscaler).
 */
import type { GracefulAutoscaling } from '../autoscaling';
import { invalidProp, show } from '../errors';
import { ExplainLine } from '../explain';
import { INT32_MAX } from './checks';
import { readMillis } from '../shutdown/seconds';

/** Default replica count, and the autoscaler's default minimum. */
const DEFAULT_REPLICAS = 2;
/** kube-controller-manager `--horizontal-pod-autoscaler-downscale-stabilization` default. */
const DEFAULT_STABILIZATION_SECONDS = 300;
/** kubernetes pkg/apis/autoscaling/v2/defaults.go: scaleDownLimitPercent, scaleDownPeriod. */
const DEFAULT_SCALE_DOWN_PERCENT = 100;
const DEFAULT_SCALE_DOWN_PERIOD_SECONDS = 15;
/** k8s.io/api autoscaling/v2 HorizontalPodAutoscalerSpec.metrics: "If not set, … 80% average CPU utilization". */
const DEFAULT_CPU_UTILIZATION = 80;
/** Limits the API server validates (pkg/apis/autoscaling/validation): stabilization ≤ 1 h, period 1 s … 30 min. */
const MAX_STABILIZATION_SECONDS = 3600;
const MAX_PERIOD_SECONDS = 1800;

/**
 * The autoscaler's numbers.
 * @internal
 */
export interface AutoscalingPlan {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization?: number;
  readonly scaleDownStabilizationSeconds: number;
  readonly scaleDownPercent: number;
  readonly scaleDownPeriodSeconds: number;
}

/**
 * The replica count (absent with an autoscaler), why one is enough when it is 1, and the autoscaler.
 * @internal
 */
export interface ReplicaPlan {
  /** The Deployment's `replicas`; undefined when the autoscaler owns the count. */
  readonly count?: number;
  /** Why one replica is acceptable (replicas 1, or an autoscaler's minReplicas 1). */
  readonly reason?: string;
  readonly autoscaling?: AutoscalingPlan;
  /** Where the autoscaler's default numbers come from (only the defaults used). */
  readonly sources: string[];
}

/** The props this file reads. @internal */
export interface ScalingProps {
  readonly replicas?: number;
  readonly singleReplicaReason?: string;
  readonly autoscaling?: GracefulAutoscaling;
}

/**
 * Checks `replicas`, `autoscaling` and `singleReplicaReason` together.
 * @internal
 */
export function planReplicas(props: ScalingProps): ReplicaPlan {
  const a = props.autoscaling;
  if (a === undefined) {
    const count = wholeCount('replicas', props.replicas ?? DEFAULT_REPLICAS, 'give 2 or more (the default is 2)');
    return { count, ...singleReplica('replicas', count, props.singleReplicaReason), sources: [] };
  }
  if (a === null || typeof a !== 'object' || Array.isArray(a)) {
    throw invalidProp('autoscaling', show(a), 'is not an autoscaling object', 'give e.g. { maxReplicas: 10 } (minReplicas 2, CPU 80 % by default)');
  }
  if (props.replicas !== undefined) {
    throw invalidProp('replicas', show(props.replicas),
      'cannot be combined with autoscaling: the HorizontalPodAutoscaler sets the replica count, and a fixed one makes it fail',
      `remove replicas and set autoscaling.minReplicas${typeof props.replicas === 'number' ? ` (e.g. ${Math.max(props.replicas, 2)})` : ''}`);
  }
  const minReplicas = wholeCount('autoscaling.minReplicas', a.minReplicas ?? DEFAULT_REPLICAS, 'give 2 or more (the default is 2)');
  const maxReplicas = wholeCount('autoscaling.maxReplicas', a.maxReplicas, `give a whole number of at least minReplicas (${minReplicas})`);
  if (maxReplicas < minReplicas) {
    throw invalidProp('autoscaling.maxReplicas', show(maxReplicas, maxReplicas === 1 ? 'pod' : 'pods'),
      `is below autoscaling.minReplicas (${minReplicas} pods)`, `give at least ${minReplicas}, or lower minReplicas`);
  }
  const cpuUtilization = percent('autoscaling.cpuUtilization', a.cpuUtilization ?? DEFAULT_CPU_UTILIZATION);
  const memoryUtilization = a.memoryUtilization === undefined ? undefined : percent('autoscaling.memoryUtilization', a.memoryUtilization);
  const stabilization = wholeSeconds('autoscaling.scaleDownStabilization', a.scaleDownStabilization, DEFAULT_STABILIZATION_SECONDS, 0, MAX_STABILIZATION_SECONDS);
  const period = wholeSeconds('autoscaling.scaleDownPeriod', a.scaleDownPeriod, DEFAULT_SCALE_DOWN_PERIOD_SECONDS, 1, MAX_PERIOD_SECONDS);
  const scaleDownPercent = percent('autoscaling.scaleDownPercent', a.scaleDownPercent ?? DEFAULT_SCALE_DOWN_PERCENT);
  const sources = [
    ...(a.cpuUtilization === undefined
      ? [`autoscaler CPU target ${DEFAULT_CPU_UTILIZATION}%: Kubernetes' metric when none is given (k8s.io/api autoscaling/v2 HorizontalPodAutoscalerSpec.metrics)`] : []),
    ...(a.scaleDownStabilization === undefined
      ? [`scale-down stabilization ${DEFAULT_STABILIZATION_SECONDS}s: kube-controller-manager --horizontal-pod-autoscaler-downscale-stabilization default`] : []),
    ...(a.scaleDownPercent === undefined || a.scaleDownPeriod === undefined
      ? [`scale-down ${DEFAULT_SCALE_DOWN_PERCENT}% per ${DEFAULT_SCALE_DOWN_PERIOD_SECONDS}s: kubernetes pkg/apis/autoscaling/v2/defaults.go (scaleDownLimitPercent, scaleDownPeriod)`] : []),
  ];
  return {
    ...singleReplica('autoscaling.minReplicas', minReplicas, props.singleReplicaReason),
    sources,
    autoscaling: {
      minReplicas,
      maxReplicas,
      cpuUtilization,
      memoryUtilization,
      scaleDownStabilizationSeconds: stabilization,
      scaleDownPercent,
      scaleDownPeriodSeconds: period,
    },
  };
}

function wholeCount(prop: string, n: unknown, fix: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > INT32_MAX) {
    throw invalidProp(prop, show(n, typeof n === 'number' && prop !== 'replicas' ? (n === 1 ? 'pod' : 'pods') : undefined),
      typeof n === 'number' && n > INT32_MAX ? `must be at most ${INT32_MAX} (a Kubernetes int32)` : 'must be a whole number of at least 1', fix);
  }
  return n;
}

/** One replica needs a reason; a reason needs one replica. */
function singleReplica(prop: string, count: number, reason: string | undefined): { reason?: string } {
  if (count === 1) {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw invalidProp(prop, prop === 'replicas' ? '1' : '1 pod',
        `leaves no pod serving while the only one is replaced or evicted${prop === 'replicas' ? '' : ' (the autoscaler may scale down to it)'}`,
        'give 2 or more, or acknowledge the outage with singleReplicaReason: "why one pod is enough"');
    }
    return { reason: reason.trim() };
  }
  if (reason !== undefined) {
    throw invalidProp('singleReplicaReason', show(reason), `is only meaningful with ${prop}: 1 (${prop} is ${count})`, 'remove it');
  }
  return {};
}

function percent(prop: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > INT32_MAX) {
    throw invalidProp(prop, show(n, typeof n === 'number' ? '%' : undefined), 'must be a whole percentage of at least 1 %', 'give e.g. 80');
  }
  return n;
}

function wholeSeconds(prop: string, d: import('cdk8s').Duration | undefined, fallback: number, min: number, max: number): number {
  if (d === undefined) return fallback;
  const fix = `give Duration.seconds(n) with a whole n from ${min} to ${max}`;
  const ms = readMillis(prop, d, { fix });
  if (ms % 1000 !== 0 || ms / 1000 < min || ms / 1000 > max) {
    throw invalidProp(prop, `${ms}ms`, `must be whole seconds from ${min} s to ${max} s (the API server's limit)`, fix);
  }
  return ms / 1000;
}

/**
 * The replicas and autoscaling lines of the explanation (the PodDisruptionBudget's too: it must stay
 * consistent with the replica count the autoscaler may pick).
 * @internal
 */
export function scalingLines(r: ReplicaPlan, graceSeconds: number): ExplainLine[] {
  const a = r.autoscaling;
  const reason = r.reason ? ` (singleReplicaReason: ${r.reason})` : '';
  if (a === undefined) {
    return [
      { key: 'replicas', label: 'replicas', text: `${r.count}${r.count === DEFAULT_REPLICAS && !reason ? ' (default: one pod cannot be replaced or evicted without an outage)' : ''}${reason}` },
      { key: 'pod-disruption-budget', label: 'PodDisruptionBudget', text: 'maxUnavailable 1: a drain evicts one pod at a time' },
    ];
  }
  const metrics = [`CPU ${a.cpuUtilization}% of request`, ...(a.memoryUtilization !== undefined ? [`memory ${a.memoryUtilization}% of request`] : [])];
  return [
    {
      key: 'replicas',
      label: 'replicas',
      text: `HorizontalPodAutoscaler ${a.minReplicas}..${a.maxReplicas} on ${metrics.join(', ')}${reason}; the Deployment has no replicas field`,
    },
    {
      key: 'scale-down',
      label: 'scale-down',
      text: `after a stable ${a.scaleDownStabilizationSeconds}s window, at most ${a.scaleDownPercent}% of the pods per ${a.scaleDownPeriodSeconds}s; `
        + `each removed pod terminates as in a rollout: preStop, then SIGTERM, within terminationGracePeriodSeconds ${graceSeconds}s`,
    },
    {
      key: 'pod-disruption-budget',
      label: 'PodDisruptionBudget',
      text: `maxUnavailable 1: a drain evicts one pod at a time at any count from ${a.minReplicas} to ${a.maxReplicas} `
        + '(the autoscaler\'s own scale-down is not an eviction and is paced by the scale-down policy instead)',
    },
  ];
}

/** The resources a utilization target is a percentage of (cdk8s-plus-28 requests 1000m / 512Mi when none are given). @internal */
export interface ScaledResources {
  readonly cpu?: { readonly request?: unknown; readonly limit?: unknown };
  readonly memory?: { readonly request?: unknown; readonly limit?: unknown };
}

/**
 * A utilization target needs a request of that resource (a limit alone makes Kubernetes request the same).
 * @internal
 */
export function checkScaledResources(r: ReplicaPlan, resources: ScaledResources | undefined): void {
  const a = r.autoscaling;
  if (a === undefined || resources === undefined) return;
  const needs: [('cpu' | 'memory'), number | undefined][] = [['cpu', a.cpuUtilization], ['memory', a.memoryUtilization]];
  for (const [kind, target] of needs) {
    if (target === undefined) continue;
    const pair = resources[kind];
    if (pair?.request === undefined && pair?.limit === undefined) {
      throw invalidProp(`autoscaling.${kind}Utilization`, `${target} %`,
        `is a percentage of the container's ${kind} request, and resources gives no ${kind} request or limit: the autoscaler cannot compute it`,
        `give resources.${kind}.request (e.g. ${kind === 'cpu' ? 'kplus.Cpu.millis(500)' : 'Size.mebibytes(512)'})`);
    }
  }
}
