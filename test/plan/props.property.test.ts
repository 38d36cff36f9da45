/*
 * Every prop is checked at its entry: over seeded random prop sets (mostly plausible values, with a share
 * of hostile ones per prop: wrong types, NaN, ±Infinity, 1e308, negatives, huge ints, empty strings, `$`,
 * newlines, unicode, objects, arrays, instances of the wrong class) a graceful construct either refuses
 * with a GracefulConfigError that names a prop and shows its value readably, or emits YAML that passes the
 * Kubernetes schema and the library's invariants.
 *
 * The seed is fixed (GRACEFUL_PROPS_SEED overrides it, GRACEFUL_PROPS_RUNS the number of cases); fast-check
 * prints the seed and the shrunk counterexample on failure.
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  ConsumerCache, GracefulJavaService, GracefulService, PreStopHook, ProcessInit, Registry, ServiceMesh, TakeOut,
} from '../../src';
import { GracefulConfigError } from '../../src/errors';
import { byKind, theDeployment, validateAll } from '../util/k8s';

/** A value built inside the property (a factory that may refuse its own props). */
class Lazy {
  constructor(public readonly make: () => unknown) {}
  public toString(): string { return 'Lazy'; }
}

const SEED = Number(process.env.GRACEFUL_PROPS_SEED ?? 20261202);
const RUNS = Number(process.env.GRACEFUL_PROPS_RUNS ?? 3000);
const INT32_MAX = 2147483647;

/** Values of the wrong kind for any prop. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 1e308, -1, 0, 2147483648, 2 ** 53, 0.5, '', ' ', '$(HOME)', 'a\nb', 'ü€😀',
    'tini', 'A=1', null, true, [], ['x'], {}, { value: 1 }, () => 1),
  fc.constantFrom<() => unknown>(() => ProcessInit.tini(), () => Duration.seconds(1), () => Registry.nacos(), () => ServiceMesh.istio(),
    () => PreStopHook.script(), () => kplus.PercentOrAbsolute.percent(25), () => ConsumerCache.springCloudLoadBalancer()).map(f => f()),
  fc.string(),
  fc.integer(),
  fc.double(),
);

/**
 * Prop sets with `bad` the weight of bad values per prop (0: only plausible, well-formed values).
 */
function propsArbitrary(bad: number): fc.Arbitrary<Record<string, unknown>> {
  /** Mostly the plausible arbitrary, sometimes a hostile value. */
  function maybeHostile<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
    return bad === 0 ? plausible : fc.oneof({ weight: 50, arbitrary: plausible }, { weight: bad, arbitrary: hostile });
  }

  /** Absent in most cases (props that change the shape of the output rather than a number). */
  function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
    return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  }

  /** Mostly one of the good values, sometimes one of the bad (but well-typed) ones. */
  function pick<T>(good: T[], badValues: T[]): fc.Arbitrary<T> {
    return bad === 0 ? fc.constantFrom(...good)
      : fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...good) }, { weight: bad, arbitrary: fc.constantFrom(...badValues) });
  }

  const ms = (max: number) => fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 1, max }).map(n => Duration.millis(n)) },
    { weight: 10, arbitrary: fc.integer({ min: 1, max: Math.ceil(max / 1000) }).map(n => Duration.seconds(n)) },
    { weight: bad, arbitrary: fc.constant(Duration.millis(0)) },
    { weight: bad, arbitrary: fc.constantFrom(Duration.millis(NaN), Duration.seconds(1e300), Duration.days(400), Duration.millis(0.5)) },
  );
  const envName = fc.oneof(pick(['JAVA_TOOL_OPTIONS', 'FEATURE_X', 'a.b-c', '_X'], ['GRACEFUL_LOGIN_URL', 'graceful.after-url', '1X', 'A=B', '']),
    fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/));
  const envValue = fc.oneof({ weight: 10, arbitrary: fc.string() }, { weight: 5, arbitrary: fc.constantFrom('$(HOME)', '$$x', 'a\nb', 'ü') }, { weight: bad, arbitrary: hostile });

  const trafficArb = maybeHostile(fc.record({
    averageLatency: maybeHostile(ms(5000)),
    p99Latency: maybeHostile(ms(30000)),
    p95Concurrency: maybeHostile(fc.oneof(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.1, max: 1e4, noNaN: true }))),
    workerThreads: fc.option(maybeHostile(fc.integer({ min: 1, max: 400 })), { nil: undefined }),
  }, { requiredKeys: ['averageLatency', 'p99Latency', 'p95Concurrency'] }));

  const healthArb = maybeHostile(fc.record({
    readinessPath: maybeHostile(pick(['/ready', '/actuator/health/readiness'], ['ready', '/a b', '/a\nb'])),
    livenessPath: maybeHostile(pick(['/live', '/actuator/health/liveness'], ['/ready'])),
    startupPath: fc.option(maybeHostile(fc.constantFrom('/started', '/live')), { nil: undefined }),
    port: fc.option(maybeHostile(fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
  }, { requiredKeys: ['readinessPath', 'livenessPath'] }));

  const registryArb = maybeHostile(fc.oneof(
    fc.constant(0).map(() => Registry.kubernetesService()),
    fc.option(maybeHostile(ms(10000)), { nil: undefined })
      .map(callTimeout => new Lazy(() => Registry.nacos(callTimeout === undefined ? undefined : { callTimeout } as any))),
    fc.constant(0).map(() => Registry.eureka()),
    fc.constant(0).map(() => Registry.consul()),
    fc.record({
      method: fc.option(maybeHostile(pick(['POST', 'put', 'GET'], ['PATCH'])), { nil: undefined }),
      url: maybeHostile(pick(['http://registry:8080/offline?ip={podIp}'], ['http://a b', 'ftp://x'])),
      callTimeout: fc.option(maybeHostile(ms(60000)), { nil: undefined }),
    }).map(r => new Lazy(() => Registry.custom({
      name: 'custom-registry',
      takeOut: TakeOut.http({ url: r.url, method: r.method } as any),
      registryPropagation: Duration.seconds(5),
      registryPropagationSource: 'test',
      callTimeout: r.callTimeout,
    } as any))),
  ));

  return fc.record({
    java: fc.boolean(),
    image: maybeHostile(fc.constantFrom('registry.example.com/orders:1.4.2', 'orders:1')),
    traffic: trafficArb,
    health: healthArb,
    port: maybeHostile(fc.integer({ min: 1, max: 65535 })),
    replicas: maybeHostile(fc.integer({ min: 2, max: 50 })),
    singleReplicaReason: bad === 0 ? fc.constant(undefined) : fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: bad, arbitrary: maybeHostile(fc.constant('batch job')) }),
    endpointPropagation: maybeHostile(ms(60000)),
    registry: registryArb,
    preStop: maybeHostile(fc.constantFrom(PreStopHook.script(), PreStopHook.sleepCommand(), PreStopHook.httpGet('/prestop'))),
    kubernetesVersion: maybeHostile(pick(['1.28', '1.30', 'v1.31.2'], ['2.0'])),
    mesh: maybeHostile(fc.constantFrom(ServiceMesh.none(), ServiceMesh.istio())),
    safetyBuffer: maybeHostile(ms(30000)),
    terminationGracePeriod: maybeHostile(ms(300000)),
    startupBudget: maybeHostile(ms(600000)),
    minReady: maybeHostile(ms(60000)),
    progressDeadline: maybeHostile(ms(1200000)),
    shutdownAllowance: maybeHostile(ms(30000)),
    maxSurge: maybeHostile(fc.oneof(
      fc.integer({ min: 1, max: 100 }).map(n => kplus.PercentOrAbsolute.percent(n)),
      fc.integer({ min: 1, max: 10 }).map(n => kplus.PercentOrAbsolute.absolute(n)),
      ...(bad === 0 ? [] : [fc.constantFrom(kplus.PercentOrAbsolute.percent(NaN), kplus.PercentOrAbsolute.percent(-1),
        kplus.PercentOrAbsolute.absolute(0), kplus.PercentOrAbsolute.absolute(1.5), kplus.PercentOrAbsolute.absolute(2 ** 40))]))),
    command: maybeHostile(pick([['java', '-jar', '/app/app.jar'], ['sh', '-c', 'exec java -jar /app.jar']], [['sh', '-c', 'java -jar /app.jar'], []])),
    args: maybeHostile(fc.constantFrom(['--server.port=8080'], ['$(HOME)'])),
    init: maybeHostile(fc.constantFrom(ProcessInit.none(), ProcessInit.tini(), ProcessInit.dumbInit())),
    envVariables: maybeHostile(fc.dictionary(envName, envValue, { maxKeys: 4 })),
    resources: maybeHostile(fc.record({
      cpu: fc.option(fc.record({ request: maybeHostile(fc.integer({ min: 0, max: 4000 }).map(n => kplus.Cpu.millis(n))) }), { nil: undefined }),
      memory: fc.option(fc.record({ limit: maybeHostile(fc.integer({ min: 0, max: 8192 }).map(n => Size.mebibytes(n))) }), { nil: undefined }),
    })),
    securityContext: maybeHostile(fc.record({
      user: fc.option(maybeHostile(fc.integer({ min: 0, max: 65535 })), { nil: undefined }),
      ensureNonRoot: fc.option(maybeHostile(fc.boolean()), { nil: undefined }),
    })),
    metadata: maybeHostile(fc.record({ name: maybeHostile(pick(['orders-api', 'a'], ['Orders', 'a'.repeat(64)])) })),
    autoscaling: rarely(maybeHostile(fc.record({
      minReplicas: fc.option(maybeHostile(pick([2, 3], [1, 0, 60])), { nil: undefined }),
      maxReplicas: maybeHostile(fc.integer({ min: 3, max: 50 })),
      cpuUtilization: fc.option(maybeHostile(fc.integer({ min: 1, max: 150 })), { nil: undefined }),
      memoryUtilization: fc.option(maybeHostile(fc.integer({ min: 1, max: 150 })), { nil: undefined }),
      scaleDownStabilization: fc.option(maybeHostile(ms(3_600_000)), { nil: undefined }),
      scaleDownPercent: fc.option(maybeHostile(fc.integer({ min: 1, max: 100 })), { nil: undefined }),
      scaleDownPeriod: fc.option(maybeHostile(ms(1_800_000)), { nil: undefined }),
    }, { requiredKeys: ['maxReplicas'] }))),
    podMetadata: rarely(maybeHostile(fc.record({
      labels: fc.option(maybeHostile(fc.dictionary(pick(['team', 'app.kubernetes.io/version'], ['a b', 'graceful.cdk8s.io/x']),
        pick(['web', 'v1'], ['a b', 'x'.repeat(64)]), { maxKeys: 2 })), { nil: undefined }),
      annotations: fc.option(maybeHostile(fc.dictionary(pick(['prometheus.io/scrape', 'note'], ['proxy.istio.io/config', 'cdk8s.io/x']),
        envValue, { maxKeys: 2 })), { nil: undefined }),
    }))),
    selectorLabels: rarely(maybeHostile(fc.dictionary(pick(['app', 'tier'], ['a b', 'cdk8s.io/x']), pick(['orders', 'web'], ['', 'a b']),
      { minKeys: bad === 0 ? 1 : 0, maxKeys: 2 }))),
    stableSelector: rarely(maybeHostile(fc.boolean())),
  }, { requiredKeys: ['java', 'image', 'traffic', 'health'], noNullPrototype: true } as any)
    // Plausible sets choose one of each pair of exclusive props (replicas or autoscaling, selectorLabels or stableSelector).
    .map((r: any) => (bad === 0 && r.autoscaling !== undefined ? { ...r, replicas: undefined } : r))
    .map((r: any) => (bad === 0 && r.selectorLabels !== undefined ? { ...r, stableSelector: undefined } : r));
}

/** Half the cases plausible throughout, half with bad values mixed in. */
const propsArb = fc.oneof(propsArbitrary(0), propsArbitrary(1));

/** Every number in an emitted object, with its path. */
function numbers(value: unknown, path: string, out: [string, number][]): [string, number][] {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbers(v, `${path}.${k}`, out);
  return out;
}

/** What the cases came to: refused by a prop check, by a synth-time rule, or emitted. */
const outcomes = { refused: 0, rule: 0, emitted: 0, autoscaled: 0, selected: 0 };

function check(given: Record<string, unknown>): void {
  const { java, ...lazyProps } = given;
  const chart = Testing.chart();
  let svc: GracefulService;
  let manifests: any[];
  try {
    const props = Object.fromEntries(Object.entries(lazyProps).map(([k, v]) => [k, v instanceof Lazy ? v.make() : v]));
    svc = java ? new GracefulJavaService(chart, 'orders', props as any) : new GracefulService(chart, 'orders', props as any);
    manifests = Testing.synth(chart);
  } catch (e) {
    const message = (e as Error).message;
    expect(message).not.toContain('[object Object]');
    expect(message).not.toMatch(/\n\s+at /); // no stack in the message
    if (e instanceof GracefulConfigError) {
      expect(message).toMatch(/'[A-Za-z][^']*' \(/); // names a prop and shows its value
      expect(message).toContain('Fix: ');
      outcomes.refused++;
      return;
    }
    // The construct's synth-time rules (the audit rules over what it emits) fail with the construct path.
    expect(message).toMatch(/^Validation failed[\s\S]*\[test\/orders\]/);
    outcomes.rule++;
    return;
  }
  validateAll(manifests);
  outcomes.emitted++;
  for (const [path, n] of numbers(manifests, '', [])) {
    if (!Number.isInteger(n) || n < -INT32_MAX - 1 || n > INT32_MAX) throw new Error(`${path} = ${n} is not an int32`);
  }
  const deployment = theDeployment(manifests);
  const pod = deployment.spec.template.spec;
  // One selector for the three objects, carried by the pods.
  const selector = deployment.spec.selector.matchLabels;
  expect(byKind(manifests, 'Service')[0].spec.selector).toEqual(selector);
  expect(byKind(manifests, 'PodDisruptionBudget')[0].spec.selector.matchLabels).toEqual(selector);
  expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
  // An autoscaler owns the count: no replicas on the Deployment, min ≤ max, min 1 only with a reason.
  const hpa = byKind(manifests, 'HorizontalPodAutoscaler')[0];
  if (!('cdk8s.io/metadata.addr' in selector)) outcomes.selected++;
  if (hpa !== undefined) {
    outcomes.autoscaled++;
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    if (hpa.spec.minReplicas < 2) expect(deployment.metadata.annotations['graceful.cdk8s.io/suppress-single-replica']).toBeDefined();
  } else {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(1);
  }
  // The explanation is on the Deployment, never on the pod template.
  expect(Object.keys(deployment.spec.template.metadata.annotations ?? {}).filter(k => k.startsWith('graceful.cdk8s.io/')))
    .toEqual(Object.keys(deployment.spec.template.metadata.annotations ?? {}).filter(k => k === 'graceful.cdk8s.io/prestop-script-sha256'));
  expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(svc.budget.preStopSeconds);
  expect(byKind(manifests, 'Service')[0].metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  const env: Record<string, string> = {};
  for (const e of pod.containers[0].env ?? []) {
    expect(e.name).toMatch(/^[A-Za-z_][A-Za-z0-9_.-]*$/);
    if (e.value !== undefined) env[e.name] = e.value;
  }
  if (env.GRACEFUL_WAIT_SECONDS !== undefined) {
    // The script reads whole seconds in digits only (assets/prestop.sh whole_seconds): the same numbers as the budget.
    expect(env.GRACEFUL_WAIT_SECONDS).toBe(String(svc.budget.propagationSeconds));
    expect(env.GRACEFUL_WAIT_SECONDS).toMatch(/^(0|[1-9][0-9]*)$/);
  }
  if (env.GRACEFUL_CALL_TIMEOUT_SECONDS !== undefined) {
    expect(env.GRACEFUL_CALL_TIMEOUT_SECONDS).toMatch(/^[1-9][0-9]*$/); // else the script would use 3
    const timeout = Number(env.GRACEFUL_CALL_TIMEOUT_SECONDS);
    expect(svc.budget.deregistrationSeconds % timeout).toBe(0);
    const calls = ['GRACEFUL_TAKEOUT_URL', 'GRACEFUL_LOGIN_URL', 'GRACEFUL_AFTER_URL'].filter(n => env[n] !== undefined).length;
    expect(svc.budget.deregistrationSeconds).toBeGreaterThanOrEqual(calls * timeout);
  }
}

describe('every prop is checked at its entry (seeded property test)', () => {
  test(`${RUNS} random prop sets: a clear GracefulConfigError or schema-valid YAML that keeps the invariants (seed ${SEED})`, () => {
    fc.assert(fc.property(propsArb, check), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    // Both sides are exercised: a fair share of the cases reaches the YAML.
    expect(outcomes.emitted).toBeGreaterThan(RUNS / 20);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
    // …and so do the autoscaler and the user's selectors.
    expect(outcomes.autoscaled).toBeGreaterThan(RUNS / 300);
    expect(outcomes.selected).toBeGreaterThan(RUNS / 100);
  });
});
