/*
 * The registry factories' props, nested ones included, are checked at their entry: over seeded random prop
 * sets (plausible values with a share of hostile ones: NaN, ±Infinity, 1e308, negatives, huge ints, empty
 * strings, `$`, newlines, null, arrays, objects, absurd durations) a GracefulJavaService with that registry
 * either is refused with the library's own error (a GracefulConfigError, or a synth-time `[path] …`
 * error), never `[object Object]`, or synthesizes YAML that passes the Kubernetes schema.
 * The shared props are covered by test/plan/props.property.test.ts.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ConsulAgent, ConsulHealthCheck, ConsumerCache, GracefulJavaService, NacosAuth, NacosVersion, Registry, TakeOut } from '../../src';
import { GracefulConfigError } from '../../src/errors';
import { validateAll } from '../util/k8s';

const SEED = Number(process.env.GRACEFUL_PROPS_SEED ?? 20261202);
const RUNS = Number(process.env.GRACEFUL_PROPS_RUNS ?? 2000);

const hostile = fc.constantFrom<unknown>(NaN, Infinity, -1, 0, 1e308, 2 ** 40, '', ' ', '$(HOME)', 'a\nb', 'ü', null, true, [], {}, { a: 1 },
  'x'.repeat(300), Duration.seconds(1e300), Duration.millis(NaN), Duration.days(400));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: hostile });
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(maybe(a), { nil: undefined });
const seconds = (max: number) => fc.integer({ min: 1, max }).map(n => Duration.seconds(n));

/** Markers replaced inside the property by objects that need the chart (Secrets) or may refuse themselves. */
const registryProps = fc.oneof(
  fc.record({
    version: optional(fc.constantFrom(NacosVersion.V1, NacosVersion.V2)),
    ephemeral: optional(fc.boolean()),
    callTimeout: optional(seconds(30)),
    consumerCache: optional(fc.constantFrom(
      ConsumerCache.none(), ConsumerCache.ribbon(), ConsumerCache.springCloudLoadBalancer(Duration.seconds(10)))),
    openApi: optional(fc.record({
      serverAddr: maybe(fc.constantFrom('nacos:8848', 'nacos.infra.svc:8848')),
      serviceName: maybe(fc.constant('orders')),
      namespace: optional(fc.constantFrom('public', 'dev')),
      group: optional(fc.constant('DEFAULT_GROUP')),
      cluster: optional(fc.constant('DEFAULT')),
      auth: optional(fc.constantFrom('login', 'token')),
    })),
  }).map(p => ({ kind: 'nacos', p })),
  fc.record({
    criticalTimeout: optional(seconds(600)),
    healthCheck: optional(fc.constantFrom('ttl', 'http')),
    consumerCache: optional(fc.constant(ConsumerCache.none())),
    agentMaintenance: optional(fc.record({
      serviceName: maybe(fc.constant('billing')),
      agent: optional(fc.constantFrom('node-local', 'address')),
      token: optional(fc.constant('secret')),
    })),
  }).map(p => ({ kind: 'consul', p })),
  fc.record({
    serverResponseCacheUpdateInterval: optional(seconds(60)),
    clientRegistryFetchInterval: optional(seconds(60)),
    restStatus: optional(fc.record({ serverUrl: maybe(fc.constant('http://eureka:8761/eureka')), appName: maybe(fc.constant('STORE')) })),
  }).map(p => ({ kind: 'eureka', p })),
  fc.record({
    name: maybe(fc.constant('zk')),
    registryPropagation: maybe(fc.integer({ min: 0, max: 60 }).map(n => Duration.seconds(n))),
    registryPropagationSource: maybe(fc.constant('our measurements')),
    status: optional(fc.constant('DOWN')),
  }).map(p => ({ kind: 'spring-cloud', p })),
  fc.record({
    name: maybe(fc.constant('zk')),
    registryPropagation: maybe(fc.integer({ min: 0, max: 60 }).map(n => Duration.seconds(n))),
    registryPropagationSource: maybe(fc.constant('our measurements')),
    argv: maybe(fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
  }).map(p => ({ kind: 'custom', p })),
);

/** The props with the markers replaced by the objects they stand for. */
function realize(chart: Chart, kind: string, given: any): Registry {
  const secret = (key: string) => ({ secret: kplus.Secret.fromSecretName(chart, `Secret-${key}`, 'registry-auth'), key });
  const p: any = { ...given };
  const nested = (key: string, fn: (o: any) => any) => {
    if (p[key] !== null && typeof p[key] === 'object' && !Array.isArray(p[key])) p[key] = fn({ ...p[key] });
  };
  switch (kind) {
    case 'nacos':
      nested('openApi', o => ({ ...o, auth: o.auth === 'login' ? NacosAuth.login(secret('username'), secret('password')) : o.auth === 'token' ? NacosAuth.accessToken(secret('token')) : o.auth }));
      return Registry.nacos(p);
    case 'consul':
      if (p.healthCheck === 'ttl') p.healthCheck = ConsulHealthCheck.ttlHeartbeat();
      if (p.healthCheck === 'http') p.healthCheck = ConsulHealthCheck.httpPath('/actuator/health/billing');
      nested('agentMaintenance', m => ({
        ...m,
        agent: m.agent === 'node-local' ? ConsulAgent.nodeLocal() : m.agent === 'address' ? ConsulAgent.address('consul.infra.svc:8500') : m.agent,
        token: m.token === 'secret' ? secret('token') : m.token,
      }));
      return Registry.consul(p);
    case 'eureka': return Registry.eureka(p);
    case 'spring-cloud': return Registry.springCloud(p);
    default: return Registry.custom({ ...p, takeOut: TakeOut.command(p.argv) });
  }
}

test(`registry props: a clear error or schema-valid YAML (${RUNS} seeded cases)`, () => {
  let emitted = 0;
  let refused = 0;
  fc.assert(fc.property(registryProps, ({ kind, p }) => {
    const chart = new Chart(Testing.app(), 'shop');
    try {
      new GracefulJavaService(chart, 'orders', {
        image: 'registry.example.com/orders:1',
        jar: '/app/app.jar',
        traffic: { averageLatency: Duration.millis(100), p99Latency: Duration.millis(500), p95Concurrency: 10 },
        registry: realize(chart, kind, p),
      });
      validateAll(Testing.synth(chart));
      emitted++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // the library's own errors: at entry (GracefulConfigError) or at synth (`[path] rule-id: …`)
      expect({ kind, message, ours: e instanceof GracefulConfigError || /^\[[^\]]+\] /.test(message) }).toMatchObject({ ours: true });
      expect(message).not.toMatch(/\[object Object\]|\n\s+at /);
      refused++;
    }
  }), { numRuns: RUNS, seed: SEED });
  // both outcomes are exercised
  expect(emitted).toBeGreaterThan(RUNS / 20);
  expect(refused).toBeGreaterThan(RUNS / 10);
}, 120_000);
