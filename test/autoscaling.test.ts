import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GracefulJavaService, GracefulJavaServiceProps, Registry } from '../src';
import { byKind, explanationOf, synthValid, theDeployment } from './util/k8s';

const traffic = { averageLatency: Duration.millis(120), p99Latency: Duration.millis(800), p95Concurrency: 40, workerThreads: 200 };
const base: GracefulJavaServiceProps = { image: 'orders:1', jar: '/app.jar', traffic, autoscaling: { maxReplicas: 10 } };

function make(props: Partial<GracefulJavaServiceProps> = {}) {
  const chart = Testing.chart();
  const svc = new GracefulJavaService(chart, 'orders', { ...base, ...props });
  return { svc, manifests: synthValid(chart) };
}

function refused(props: Partial<GracefulJavaServiceProps>): string {
  try {
    make(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('autoscaling: a HorizontalPodAutoscaler instead of a fixed replica count', () => {
  test('the Deployment has no replicas; the HPA targets it with the defaults written out', () => {
    const { manifests, svc } = make();
    const d = theDeployment(manifests);
    expect(d.spec.replicas).toBeUndefined();
    const [hpa] = byKind(manifests, 'HorizontalPodAutoscaler');
    expect(svc.autoscaler).toBeDefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    // Kubernetes' own defaults (pkg/apis/autoscaling/v2/defaults.go), not cdk8s-plus-28's.
    expect(hpa.spec.behavior.scaleDown).toEqual({
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      selectPolicy: 'Max',
      stabilizationWindowSeconds: 300,
    });
    expect(hpa.spec.behavior.scaleUp).toEqual({
      policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      selectPolicy: 'Max',
      stabilizationWindowSeconds: 0,
    });
  });

  test('every number is given: metrics, stabilization, scale-down step', () => {
    const { manifests } = make({
      autoscaling: {
        minReplicas: 3,
        maxReplicas: 12,
        cpuUtilization: 65,
        memoryUtilization: 90,
        scaleDownStabilization: Duration.minutes(10),
        scaleDownPercent: 20,
        scaleDownPeriod: Duration.minutes(1),
      },
    });
    const [hpa] = byKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(12);
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 65], ['memory', 90]]);
    expect(hpa.spec.behavior.scaleDown).toEqual({ policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }], selectPolicy: 'Max', stabilizationWindowSeconds: 600 });
  });

  test('the explanation and explain() give the autoscaler, the scale-down and the PDB, with the grace that applies on scale-down', () => {
    const { manifests, svc } = make();
    const d = theDeployment(manifests);
    const e = explanationOf(d);
    const grace = d.spec.template.spec.terminationGracePeriodSeconds;
    expect(e.replicas).toBe('HorizontalPodAutoscaler 2..10 on CPU 80% of request; the Deployment has no replicas field');
    expect(e['scale-down']).toBe('after a stable 300s window, at most 100% of the pods per 15s; each removed pod terminates as in a rollout: '
      + `preStop, then SIGTERM, within terminationGracePeriodSeconds ${grace}s`);
    expect(e['pod-disruption-budget']).toContain('maxUnavailable 1: a drain evicts one pod at a time at any count from 2 to 10');
    expect(e.sources).toContain('autoscaler CPU target 80%: Kubernetes\' metric when none is given');
    expect(e.sources).toContain('scale-down stabilization 300s: kube-controller-manager --horizontal-pod-autoscaler-downscale-stabilization default');
    expect(svc.explain()).toContain('Replicas:\n  replicas');
    expect(svc.explain()).toMatch(/\n  scale-down\s+= after a stable 300s window/);
  });

  test('the PodDisruptionBudget stays maxUnavailable 1 and selects the same pods', () => {
    const { manifests } = make();
    const [pdb] = byKind(manifests, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeUndefined();
    expect(pdb.spec.selector.matchLabels).toEqual(theDeployment(manifests).spec.selector.matchLabels);
  });

  test('the audit runs over the HPA too: a clean autoscaled service has no findings', () => {
    expect(make().svc.findings).toEqual([]);
  });

  test('minReplicas 1 with a reason: allowed, the single-replica rule suppressed with it, and the audit sees the HPA', () => {
    const { manifests, svc } = make({ autoscaling: { minReplicas: 1, maxReplicas: 4 }, singleReplicaReason: 'nightly batch, a gap is fine' });
    expect(byKind(manifests, 'HorizontalPodAutoscaler')[0].spec.minReplicas).toBe(1);
    expect(theDeployment(manifests).metadata.annotations['graceful.cdk8s.io/suppress-single-replica']).toBe('nightly batch, a gap is fine');
    expect(explanationOf(theDeployment(manifests)).replicas).toContain('(singleReplicaReason: nightly batch, a gap is fine)');
    expect(svc.findings.map(f => f.id)).not.toContain('single-replica');
  });

  test('the autoscaler limit finding still runs: a grace period above 600 s is reported with autoscaling too', () => {
    const slow = { ...traffic, averageLatency: Duration.seconds(20), p99Latency: Duration.seconds(30), p95Concurrency: 200, workerThreads: 4 };
    const { svc, manifests } = make({ traffic: slow, registry: Registry.eureka() });
    const grace = theDeployment(manifests).spec.template.spec.terminationGracePeriodSeconds;
    expect(grace).toBeGreaterThan(600);
    const f = svc.findings.find(x => x.id === 'grace-period-above-autoscaler-limit');
    expect(f?.message).toContain(`terminationGracePeriodSeconds ${grace}s`);
  });

  test('cdk8s-plus-28 default resources carry a CPU request, so the default target works; an explicit CPU request too', () => {
    expect(() => make({ resources: { cpu: { request: kplus.Cpu.millis(500) } } })).not.toThrow();
  });
});

describe('bad autoscaling input is refused with the prop, the value with units and the fix', () => {
  test.each([
    ['replicas and autoscaling', { replicas: 3 },
      /\[test\/orders\] 'replicas' \(3\) cannot be combined with autoscaling.*Fix: remove replicas and set autoscaling\.minReplicas \(e\.g\. 3\)/],
    ['minReplicas 1 without a reason', { autoscaling: { minReplicas: 1, maxReplicas: 5 } },
      /'autoscaling\.minReplicas' \(1 pod\) leaves no pod serving .*Fix: give 2 or more, or acknowledge the outage with singleReplicaReason/],
    ['minReplicas 0', { autoscaling: { minReplicas: 0, maxReplicas: 5 } }, /'autoscaling\.minReplicas' \(0 pods\) must be a whole number of at least 1/],
    ['max below min', { autoscaling: { minReplicas: 4, maxReplicas: 3 } },
      /'autoscaling\.maxReplicas' \(3 pods\) is below autoscaling\.minReplicas \(4 pods\)\. Fix: give at least 4/],
    ['no max', { autoscaling: {} as any }, /'autoscaling\.maxReplicas' \(undefined\) must be a whole number.*Fix: give a whole number of at least minReplicas \(2\)/],
    ['a fractional CPU target', { autoscaling: { maxReplicas: 5, cpuUtilization: 70.5 } }, /'autoscaling\.cpuUtilization' \(70\.5 %\) must be a whole percentage/],
    ['a stabilization above an hour', { autoscaling: { maxReplicas: 5, scaleDownStabilization: Duration.hours(2) } },
      /'autoscaling\.scaleDownStabilization' \(7200000ms\) must be whole seconds from 0 s to 3600 s/],
    ['a zero scale-down period', { autoscaling: { maxReplicas: 5, scaleDownPeriod: Duration.seconds(0) } },
      /'autoscaling\.scaleDownPeriod' \(0ms\) must be whole seconds from 1 s to 1800 s/],
    ['a reason with minReplicas 2', { autoscaling: { maxReplicas: 5 }, singleReplicaReason: 'x' },
      /'singleReplicaReason' \("x"\) is only meaningful with autoscaling\.minReplicas: 1 \(autoscaling\.minReplicas is 2\)/],
    ['a memory target without a memory request', { autoscaling: { maxReplicas: 5, memoryUtilization: 80 }, resources: { cpu: { request: kplus.Cpu.millis(500) } } },
      /'autoscaling\.memoryUtilization' \(80 %\) is a percentage of the container's memory request, and resources gives no memory request or limit.*Fix: give resources\.memory\.request/],
    ['a CPU target without a CPU request', { resources: { memory: { request: Size.mebibytes(512) } } },
      /'autoscaling\.cpuUtilization' \(80 %\) is a percentage of the container's cpu request/],
    ['not an object', { autoscaling: 5 as any }, /'autoscaling' \(5\) is not an autoscaling object/],
  ])('%s', (_name, props, message) => {
    expect(refused(props as Partial<GracefulJavaServiceProps>)).toMatch(message);
  });
});
