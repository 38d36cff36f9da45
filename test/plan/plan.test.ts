import { Duration } from 'cdk8s';
import { FindingSeverity, GracefulServiceProps, PreStopHook, Registry, ServiceMesh } from '../../src';
import { explainPlan } from '../../src/plan/lines';
import { planWorkload } from '../../src/plan/plan';
import { GENERIC_PROFILE, profileOf, withProfile, WorkloadProfile } from '../../src/plan/profile';
import { Rules } from '../../src/rules/engine';
import { autoscalerLimitFinding } from '../../src/shutdown/autoscaler';

/**
 * The plan is pure: props in, a typed plan out. No App, no Chart, no constructs in this file.
 */
const props: GracefulServiceProps = {
  image: 'ghcr.io/example/catalog:2.0.0',
  traffic: { averageLatency: Duration.millis(40), p99Latency: Duration.millis(300), p95Concurrency: 12, workerThreads: 4 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};

describe('planWorkload (no App, no Chart)', () => {
  test('the generic defaults: port 8080, 2 replicas, probes on the application port, sleep hook, no env', () => {
    const plan = planWorkload(props, 'catalog');
    expect(plan.port).toBe(8080);
    expect(plan.replicas).toEqual({ count: 2 });
    expect(plan.probes).toEqual({
      port: 8080,
      readinessPath: '/ready',
      livenessPath: '/live',
      startupPath: '/live',
      periodSeconds: 10,
      failureThreshold: 3,
      startupFailureThreshold: 3,
    });
    expect(plan.preStop.hook.kind).toBe('sleep-command');
    expect(plan.preStop.name).toBe('catalog');
    expect(plan.env).toEqual([]);
    expect(plan.process).toEqual({ command: undefined, args: undefined });
    // preStop 10 s + drain 1 s + buffer 10 s
    expect(plan.budget.terminationGracePeriodSeconds).toBe(21);
    expect(plan.rollout.progressDeadlineSeconds).toBe(600);
    expect(plan.findings).toEqual([]);
  });

  test('every derived number is an annotation, with its sources', () => {
    const plan = planWorkload(props, 'catalog');
    expect(plan.annotations['graceful.cdk8s.io/termination-grace-period']).toBe('21s (derived minimum)');
    expect(plan.annotations['graceful.cdk8s.io/pre-stop-hook']).toBe('exec sleep 10');
    expect(plan.annotations['graceful.cdk8s.io/startup-probe']).toContain('cdk8s-plus-28 default startup probe, 3 × 10 s');
    expect(plan.annotations['graceful.cdk8s.io/sources']).toBe(plan.sources.join('; '));
    expect(Object.keys(plan.annotations).every(k => k.startsWith('graceful.cdk8s.io/'))).toBe(true);
  });

  test('explanation: budget, registry and preStop, rollout, sources', () => {
    const text = explainPlan(planWorkload(props, 'catalog'));
    expect(text).toMatch(/^Shutdown budget \(whole seconds/);
    expect(text).toContain('Registry and preStop:\n  registry');
    expect(text).toContain('Rollout:\n  startup probe');
    expect(text).toContain('Sources:\n  propagation kubernetes-endpoints 10s');
  });

  test('a registry take-out: the script hook, its env and the call bound in the budget', () => {
    const plan = planWorkload({ ...props, registry: Registry.consul({ agentMaintenance: { serviceName: 'catalog' } }) }, 'catalog');
    expect(plan.preStop.hook.kind).toBe('script');
    expect(plan.budget.deregistrationSeconds).toBe(3);
    expect(plan.env.map(e => e.name)).toEqual(expect.arrayContaining(['GRACEFUL_WAIT_SECONDS', 'GRACEFUL_TAKEOUT_URL', 'GRACEFUL_NAME']));
    // Downward-API variables the take-out URL refers to come first.
    expect(plan.env[0].valueFrom?.fieldPath).toBeDefined();
  });

  test('user env is merged after the managed env', () => {
    const plan = planWorkload({ ...props, preStop: PreStopHook.httpGet('/prestop'), envVariables: { LOG_LEVEL: 'debug' } }, 'catalog');
    expect(plan.env).toEqual([{ name: 'GRACEFUL_WAIT_SECONDS', value: '10' }, { name: 'LOG_LEVEL', value: 'debug' }]);
  });

  test('the mesh sidecar drains for preStop + drain + allowance', () => {
    const plan = planWorkload({ ...props, mesh: ServiceMesh.istio() }, 'catalog');
    expect(plan.sidecar.annotations['proxy.istio.io/config']).toBe('{"drainDuration":"11s","terminationDrainDuration":"11s"}');
    expect(plan.registryLines.map(l => l.key)).toContain('istio-termination-drain-duration');
  });

  test('a profile contributes its startup budget, sources, env and actuator port', () => {
    const profile: WorkloadProfile = {
      defaultStartupBudget: Duration.minutes(2),
      defaultStartupBudgetSource: 'measured',
      sources: ['profile default: a test'],
      managedEnv: budget => [{ name: 'DRAIN_SECONDS', value: String(budget.drainSeconds), owner: 'traffic' }],
      actuatorPort: 8081,
      spring: true,
    };
    const plan = planWorkload({ ...props, registry: Registry.nacos() }, 'catalog', profile);
    expect(plan.rollout.startupFailureThreshold).toBe(12);
    expect(plan.sources).toContain('profile default: a test');
    expect(plan.env[0]).toEqual({ name: 'DRAIN_SECONDS', value: '1' });
    expect(plan.binding.takeOut?.call?.url).toBe('http://127.0.0.1:8081/actuator/serviceregistry');
    expect(plan.env.find(e => e.name === 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE')?.value).toBe('health,serviceregistry');
    expect(() => planWorkload({ ...props, envVariables: { DRAIN_SECONDS: '3' } }, 'catalog', profile))
      .toThrow(/'envVariables.DRAIN_SECONDS' \("3"\) sets DRAIN_SECONDS, which this construct derives/);
  });

  test.each([
    ['no props', undefined, /props are required: give at least \{ image, traffic, health \}/],
    ['an image with spaces', { ...props, image: 'a b' }, /'image' \("a b"\) must be a non-empty image reference without spaces/],
    ['one replica without a reason', { ...props, replicas: 1 }, /'replicas' \(1\) leaves no pod serving/],
    ['a reason without one replica', { ...props, singleReplicaReason: 'x' }, /'singleReplicaReason' \("x"\) is only meaningful with replicas: 1/],
    ['a bad Kubernetes version', { ...props, kubernetesVersion: '2.0' }, /'kubernetesVersion' \("2.0"\) must be a Kubernetes version/],
    ['not a registry', { ...props, registry: {} }, /'registry' \(\{\}\) is not a Registry/],
    ['not a mesh', { ...props, mesh: 'istio' }, /'mesh' \("istio"\) is not a ServiceMesh/],
  ])('%s is refused with the same message as the construct', (_name, given, message) => {
    expect(() => planWorkload(given as any, 'catalog')).toThrow(message);
  });
});

describe('findings: each produced by one piece of code', () => {
  test.each<[string, GracefulServiceProps]>([
    ['defaults', props],
    ['consul', { ...props, registry: Registry.consul({ agentMaintenance: { serviceName: 'catalog' } }) }],
    ['eureka', { ...props, registry: Registry.eureka({ restStatus: { serverUrl: 'http://eureka:8761/eureka', appName: 'catalog' } }) }],
    ['a grace period above the autoscaler limit', { ...props, terminationGracePeriod: Duration.seconds(900) }],
  ])('%s: the plan reports nothing a rule reports over the manifests', (_name, given) => {
    const plan = planWorkload(given, 'catalog');
    expect(plan.findings.filter(f => Rules.byId(f.id) !== undefined)).toEqual([]);
  });

  test('the registry side stays the plan\'s: Consul consumers must query passing instances', () => {
    const plan = planWorkload({ ...props, registry: Registry.consul({ agentMaintenance: { serviceName: 'catalog' } }) }, 'catalog');
    expect(plan.findings.map(f => [f.id, f.severity])).toEqual([['consul-consumers-query-passing', FindingSeverity.WARNING]]);
  });

  test('the autoscaler finding: the budget carries it for standalone use, the rule reports it for the construct', () => {
    const plan = planWorkload({ ...props, terminationGracePeriod: Duration.seconds(900) }, 'catalog');
    expect(plan.budget.findings).toEqual([autoscalerLimitFinding(900)]);
    expect(plan.findings).toEqual([]);
    expect(autoscalerLimitFinding(600)).toBeUndefined();
  });
});

describe('profile hand-over', () => {
  test('a profile travels with its props object only', () => {
    const profile: WorkloadProfile = { ...GENERIC_PROFILE, spring: true };
    const given = withProfile({ ...props }, profile);
    expect(profileOf(given)).toBe(profile);
    expect(profileOf({ ...given })).toBe(GENERIC_PROFILE);
    expect(profileOf(props)).toBe(GENERIC_PROFILE);
    expect(profileOf(undefined)).toBe(GENERIC_PROFILE);
  });
});

describe('the longest request and the traffic warnings in the plan', () => {
  test('a generic workload has no default longest request; a declared one sets the drain', () => {
    expect(planWorkload(props, 'catalog').budget.drainSeconds).toBe(1); // max(p99 300ms, ceil(12 / 4) × 40ms)
    const plan = planWorkload({ ...props, traffic: { ...props.traffic, longestRequest: Duration.seconds(20) } }, 'catalog');
    expect(plan.budget.drainSeconds).toBe(20);
    expect(plan.budget.terminationGracePeriodSeconds).toBe(10 + 20 + 10);
    expect(plan.annotations['graceful.cdk8s.io/drain']).toBe('max(longest request 20s (given), p99 300ms, queue ceil(C95 12 / T 4) = 3 × avg 40ms = 120ms) = 20s → 20s');
  });

  test('a profile\'s default longest request applies only when none is declared', () => {
    const profile: WorkloadProfile = { ...GENERIC_PROFILE, defaultLongestRequest: Duration.seconds(30) };
    expect(planWorkload(props, 'catalog', profile).budget.drainSeconds).toBe(30);
    const declared = planWorkload({ ...props, traffic: { ...props.traffic, longestRequest: Duration.seconds(4) } }, 'catalog', profile);
    expect(declared.budget.drainSeconds).toBe(4);
  });

  test('traffic warnings are plan findings; the autoscaler limit is left to the audit rule over the emitted YAML', () => {
    const plan = planWorkload({
      ...props,
      traffic: {
        ...props.traffic,
        averageLatency: Duration.seconds(80),
        p99Latency: Duration.seconds(90),
        longestRequest: Duration.minutes(11),
      },
    }, 'catalog');
    expect(plan.budget.findings.map(f => f.id)).toEqual(['traffic-profile-suspicious', 'grace-period-above-autoscaler-limit']);
    expect(plan.findings.map(f => f.id)).toEqual(['traffic-profile-suspicious']);
  });

  test('a generic workload gets no in-process wait variable, even with Nacos (no Spring environment)', () => {
    const plan = planWorkload({ ...props, registry: Registry.nacos({ openApi: { serverAddr: 'nacos:8848', serviceName: 'catalog' } }) }, 'catalog');
    expect(plan.env.map(e => e.name)).not.toContain('SPRING_CLOUD_NACOS_DISCOVERY_GRACEFULSHUTDOWNWAITTIME');
    expect(plan.budget.inProcessWaitSeconds).toBe(0);
  });
});
