import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  audit, ConsulAgent, ConsulHealthCheck, ConsumerCache, GracefulJavaService, GracefulJavaServiceProps, GracefulService,
  NacosAuth, NacosVersion, PreStopHook, ProcessInit, Registry, ServiceMesh, TakeOut,
} from '../src';

/**
 * Self-audit: every configuration the library synthesizes passes its own rules (the same ones
 * `cdk8s-graceful audit` and the cdk8s validation plugin run) with no finding at all.
 */
const traffic = { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 };
const base: GracefulJavaServiceProps = { image: 'registry.example.com/orders:1.0.0', jar: '/app/app.jar', traffic, metadata: { name: 'orders' } };

const CONFIGS: [string, (chart: Chart) => Partial<GracefulJavaServiceProps>][] = [
  ['defaults (Kubernetes Service only)', () => ({})],
  ['Nacos 2.x in-process', () => ({ registry: Registry.nacos() })],
  ['Nacos 1.x open API with login', c => {
    const s = kplus.Secret.fromSecretName(c, 'A', 'nacos-auth');
    return { registry: Registry.nacos({ version: NacosVersion.V1, openApi: { serverAddr: 'nacos:8848', serviceName: 'orders', auth: NacosAuth.login({ secret: s, key: 'u' }, { secret: s, key: 'p' }) } }) };
  }],
  ['Consul in-process, consumers declared query-passing', () => ({ registry: Registry.consul({ consumersQueryPassing: true }) })],
  ['Consul agent maintenance with token', c => ({
    registry: Registry.consul({
      agentMaintenance: { serviceName: 'orders', agent: ConsulAgent.address('consul:8500'), token: { secret: kplus.Secret.fromSecretName(c, 'T', 'acl'), key: 't' } },
      healthCheck: ConsulHealthCheck.httpPath('/orders/actuator/health'),
      consumersQueryPassing: true,
    }),
  })],
  ['Eureka REST with Ribbon consumers', () => ({ registry: Registry.eureka({ consumerCache: ConsumerCache.ribbon(), restStatus: { serverUrl: 'http://eureka:8761/eureka', appName: 'orders' } }) })],
  ['Spring Cloud (zookeeper)', () => ({ registry: Registry.springCloud({ name: 'zookeeper', registryPropagation: Duration.seconds(3), registryPropagationSource: 'measured' }) })],
  ['custom HTTP take-out', () => ({
    registry: Registry.custom({ name: 'mse', takeOut: TakeOut.http({ url: 'http://127.0.0.1:54199/offline' }), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor' }),
  })],
  ['custom command take-out', () => ({
    registry: Registry.custom({ name: 'agent', takeOut: TakeOut.command(['/opt/agent/offline']), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor' }),
  })],
  ['shutdown trigger + Istio', () => ({ registry: Registry.nacos(), shutdownTrigger: true, mesh: ServiceMesh.istio() })],
  ['httpGet hook', () => ({ registry: Registry.eureka(), preStop: PreStopHook.httpGet('/internal/prestop') })],
  ['native sleep action', () => ({ preStop: PreStopHook.sleepAction(), kubernetesVersion: '1.31' })],
  ['tini in front of an exec-form command', () => ({ jar: undefined, command: ['java', '-jar', '/app/app.jar'], init: ProcessInit.tini() })],
  ['shell wrapper ending in exec', () => ({ jar: undefined, command: ['sh', '-c', 'cd /app && exec java -jar app.jar'] })],
  ['one replica with a reason', () => ({ replicas: 1, singleReplicaReason: 'batch consumer; a restart only delays work' })],
];

describe('self-audit: zero findings', () => {
  test.each(CONFIGS)('%s', (_name, props) => {
    const chart = Testing.chart();
    const svc = new GracefulJavaService(chart, 'orders', { ...base, ...props(chart) });
    const documents = Testing.synth(chart).map((object, index) => ({ object, index }));
    expect(audit({ documents })).toEqual([]);
    expect(svc.findings).toEqual([]);
  });

  test('a generic HTTP service', () => {
    const chart = Testing.chart();
    new GracefulService(chart, 'web', { image: 'example/web:1', traffic, health: { readinessPath: '/ready', livenessPath: '/live' } });
    expect(audit({ documents: Testing.synth(chart).map(object => ({ object })) })).toEqual([]);
  });
});

describe('synth-time validation', () => {
  test('an escape-hatch change that breaks a rule fails `cdk8s synth` as [path] message', () => {
    const app = new App({ outdir: '/tmp/unused-self-audit' });
    const chart = new Chart(app, 'shop');
    const svc = new GracefulJavaService(chart, 'orders', { ...base, registry: Registry.nacos() });
    // Someone shortens the grace period behind the construct's back.
    ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/terminationGracePeriodSeconds', 20));
    expect(() => app.synthYaml()).toThrow(/Validation failed with the following errors:\n\s+\[shop\/orders\] prestop-wait-exceeds-grace: .*Fix: /);
  });

  test('suppress() takes a rule off with a reason, recorded for the audit too', () => {
    const chart = Testing.chart();
    const svc = new GracefulJavaService(chart, 'orders', { ...base, command: ['sh', '/app/start.sh'], jar: undefined });
    expect(svc.findings.map(f => f.id)).toEqual(['pid1-script-unverified']);
    svc.suppress('pid1-script-unverified', 'start.sh ends with exec java (checked by our Dockerfile audit)');
    expect(svc.findings).toEqual([]);
    const deployment = Testing.synth(chart).find((o: any) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations['graceful.cdk8s.io/suppress-pid1-script-unverified']).toMatch(/^start.sh ends with exec/);
    expect(() => svc.suppress('no-such-rule', 'x')).toThrow(/'suppress\(ruleId\)' \("no-such-rule"\) is not a rule id/);
    expect(() => svc.suppress('single-replica', ' ')).toThrow(/'suppress\(reason\)' \(" "\) is empty/);
  });
});
