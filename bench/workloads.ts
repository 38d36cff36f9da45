/**
 * The two workloads the benchmark compares. Both build one App holding `n` services — in one Chart, or one
 * Chart per service (a common cdk8s layout, where cdk8s validates the whole app once per chart) — and
 * return the synthesized YAML (in memory; nothing is written to disk).
 *
 * - `library`: `n` GracefulJavaService constructs.
 * - `hand`: `n` cdk8s-plus-28 Deployment + Service + k8s.KubePodDisruptionBudget trios that set the same
 *   fields by hand, with the numbers GracefulJavaService derives for the traffic profile below written out
 *   as literals. Each trio lives in a scope with the same construct id as the library's, so generated names
 *   match and the two workloads synthesize byte-identical YAML (checked by `bench/synth.ts` before timing).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GracefulJavaService, TrafficProfile } from '../src';

export type Side = 'library' | 'hand';

export const SIDES: Side[] = ['library', 'hand'];

/** `one-chart`: every service in one Chart; `chart-per-service`: Chart `c-<i>` holds service i. */
export type Layout = 'one-chart' | 'chart-per-service';

export const LAYOUTS: Layout[] = ['one-chart', 'chart-per-service'];

/** Same traffic profile for every service, so the derived numbers (and the literals below) are fixed. */
const TRAFFIC: TrafficProfile = {
  averageLatency: Duration.millis(120),
  p99Latency: Duration.millis(800),
  p95Concurrency: 40,
  workerThreads: 8,
};

const JAR = '/app/app.jar';

/** Distinct id and image per service, so no construct, name or string is shared between services. */
export function serviceId(prefix: string, i: number): string {
  return `${prefix}-${i}`;
}

export function serviceImage(prefix: string, i: number): string {
  return `registry.example.com/${prefix}-${i}:1.${i}.0`;
}

export function synth(side: Side, n: number, prefix: string, layout: Layout = 'one-chart'): string {
  return synthTimed(side, n, prefix, layout).yaml;
}

/** Construction and synthesis timed separately (milliseconds). */
export function synthTimed(side: Side, n: number, prefix: string, layout: Layout = 'one-chart'): { constructMs: number; synthMs: number; yaml: string } {
  const t0 = process.hrtime.bigint();
  const app = new App();
  const one = layout === 'one-chart' ? new Chart(app, 'bench') : undefined;
  const add = side === 'library' ? addLibraryService : addHandWrittenService;
  for (let i = 0; i < n; i++) {
    add(one ?? new Chart(app, `c-${i}`), serviceId(prefix, i), serviceImage(prefix, i));
  }
  const t1 = process.hrtime.bigint();
  const yaml = app.synthYaml();
  const t2 = process.hrtime.bigint();
  return { constructMs: Number(t1 - t0) / 1e6, synthMs: Number(t2 - t1) / 1e6, yaml };
}

function addLibraryService(scope: Construct, id: string, image: string): void {
  new GracefulJavaService(scope, id, { image, jar: JAR, traffic: TRAFFIC });
}

/** What GracefulJavaService derives for TRAFFIC, written onto the Deployment by hand. */
const ANNOTATIONS: { [key: string]: string } = {
  'graceful.cdk8s.io/explanation': [
    'drain: max(longest request 30s (default), p99 800ms, queue ceil(C95 40 / T 8) = 5 × avg 120ms = 600ms) = 30s → 30s',
    'propagation: max(kubernetes-endpoints 10s) = 10s',
    'pre-stop: deregistration 0s + propagation 10s = 10s',
    'minimum-grace-period: max(preStop 10s + drain 30s + allowance 5s + buffer 10s = 55s, ceil(preStop 10s / 0.8) = 13s) = 55s',
    'termination-grace-period: 55s (derived minimum)',
    'shutdown-phase-timeout: drain = 30s (per lifecycle phase)',
    'registry: kubernetes service',
    'take-out: none (callers only use the Kubernetes Service)',
    'pre-stop-calls: 0 calls × 3s = 0s (each call is killed at its timeout)',
    'pre-stop-hook: exec sleep 10',
    'startup-probe: budget 300s (Kubernetes docs, slow-starting containers: 30 × 10 s) → failureThreshold ceil(300s / period 10s) = 30 (300s)',
    'min-ready: readiness period 10s × failureThreshold 3 = 30s',
    'progress-deadline: max(Kubernetes default 600s, startup 300s + minReady 30s + scheduling 60s = 390s) = 600s',
    'replicas: 2 (default: one pod cannot be replaced or evicted without an outage)',
    'pod-disruption-budget: maxUnavailable 1: a drain evicts one pod at a time',
  ].join('\n'),
  'graceful.cdk8s.io/sources': [
    'propagation kubernetes-endpoints 10s: Spring Boot reference, "Kubernetes Container Lifecycle" (10 s preStop sleep)',
    'safety buffer 10s: field report 004 (docs/field-reports.md)',
    'longest request 30s'
      + ' (default): Spring Boot\'s own spring.lifecycle.timeout-per-shutdown-phase default (LifecycleProperties.java line 36, timeoutPerShutdownPhase = Duration.ofSeconds(30)); give traffic.longestRequest to change it',
    'jvm allowance 5s: field report 002 (5 s after its shutdown call; docs/field-reports.md)',
    'probe timeoutSeconds 5: half the 10 s period instead of Kubernetes\' 1 s default, for GC pauses and C'
      + 'PU throttling of the JVM (Serial GC below 2 CPUs or 1792 MB: openjdk os::is_server_class_machine)',
    'memory request = limit 2048Mi: the heap ceiling'
      + ' (MaxRAMPercentage × limit) stays within the request, pods above their request are evicted first (Kubernetes node-pressure eviction)',
    'probe period 10s, failureThreshold 3: Kubernetes Probe defaults',
    'startup budget 300s: Kubernetes docs, slow-starting containers: 30 × 10 s',
    'progress deadline floor 600s: Kubernetes Deployment default; scheduling margin 60s: this library\'s choice',
  ].join('\n'),
};

function addHandWrittenService(parent: Construct, id: string, image: string): void {
  const scope = new Construct(parent, id);

  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata: { annotations: ANNOTATIONS },
    replicas: 2,
    minReady: Duration.seconds(30),
    progressDeadline: Duration.seconds(600),
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.percent(25),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    terminationGracePeriod: Duration.seconds(55),
  });

  const probe = { port: 8081, periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(5) };
  const container = deployment.addContainer({
    name: 'app',
    image,
    ports: [{ number: 8080, name: 'http' }],
    command: ['java', '-jar', JAR],
    envVariables: {
      SERVER_PORT: kplus.EnvValue.fromValue('8080'),
      SERVER_SHUTDOWN: kplus.EnvValue.fromValue('graceful'),
      SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: kplus.EnvValue.fromValue('30s'),
      MANAGEMENT_SERVER_PORT: kplus.EnvValue.fromValue('8081'),
      MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: kplus.EnvValue.fromValue('true'),
      JAVA_TOOL_OPTIONS: kplus.EnvValue.fromValue('-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError'),
    },
    resources: {
      cpu: { request: kplus.Cpu.millis(1000), limit: kplus.Cpu.millis(1500) },
      memory: { request: Size.mebibytes(2048), limit: Size.mebibytes(2048) },
    },
    readiness: kplus.Probe.fromHttpGet('/actuator/health/readiness', probe),
    liveness: kplus.Probe.fromHttpGet('/actuator/health/liveness', probe),
    startup: kplus.Probe.fromHttpGet('/actuator/health/liveness', { ...probe, failureThreshold: 30 }),
    lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '10']) },
  });
  container.addPort({ number: 8081, name: 'management' });
  container.mount('/tmp', kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp'));

  new kplus.Service(scope, 'Service', {
    selector: deployment,
    ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    type: kplus.ServiceType.CLUSTER_IP,
  });

  new k8s.KubePodDisruptionBudget(scope, 'Pdb', {
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: deployment.matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
