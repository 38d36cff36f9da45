import { Duration, Testing } from 'cdk8s';
import { GracefulService, GracefulServiceProps } from '../src';
import { appContainer, byKind, envOf, explanationOf, synthValid, theDeployment } from './util/k8s';

const base: GracefulServiceProps = {
  image: 'ghcr.io/example/catalog:2.0.0',
  port: 3000,
  traffic: { averageLatency: Duration.millis(40), p99Latency: Duration.millis(300), p95Concurrency: 12, workerThreads: 4 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};

function make(props: Partial<GracefulServiceProps> = {}) {
  const chart = Testing.chart();
  const svc = new GracefulService(chart, 'catalog', { ...base, ...props });
  return { svc, manifests: synthValid(chart) };
}

describe('GracefulService (any HTTP workload)', () => {
  test('no Spring or JVM settings, probes on the application port', () => {
    const { manifests } = make();
    const c = appContainer(manifests);
    expect(c.env).toBeUndefined();
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 3000, scheme: 'HTTP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/live', port: 3000, scheme: 'HTTP' });
    expect(c.startupProbe.httpGet.path).toBe('/live');
    expect(c.ports).toEqual([{ containerPort: 3000, name: 'http' }]);
    expect(byKind(manifests, 'Service')[0].spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000 }]);
  });

  test('no JVM allowance: grace = preStop + drain + buffer', () => {
    // drain = max(300ms, ceil(12 / 4) × 40ms = 120ms) → 1s
    const { svc, manifests } = make();
    expect(svc.budget.shutdownAllowanceSeconds).toBe(0);
    expect(theDeployment(manifests).spec.template.spec.terminationGracePeriodSeconds).toBe(10 + 1 + 10);
  });

  test('a slower endpoint propagation lengthens preStop and grace', () => {
    const { manifests } = make({ endpointPropagation: Duration.seconds(20) });
    expect(appContainer(manifests).lifecycle.preStop.exec.command).toEqual(['sleep', '20']);
    expect(theDeployment(manifests).spec.template.spec.terminationGracePeriodSeconds).toBe(31);
    expect(explanationOf(theDeployment(manifests)).propagation).toBe('max(kubernetes-endpoints 20s) = 20s');
  });

  test('startup budget defaults to cdk8s-plus-28\'s 30s, on HTTP instead of TCP', () => {
    const c = appContainer(make().manifests);
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(30);
  });

  test('health on its own port and a dedicated startup path', () => {
    const c = appContainer(make({ health: { readinessPath: '/ready', livenessPath: '/live', startupPath: '/started', port: 9000 } }).manifests);
    expect(c.startupProbe.httpGet).toEqual({ path: '/started', port: 9000, scheme: 'HTTP' });
  });

  test('user env passes through unchanged', () => {
    expect(envOf(appContainer(make({ envVariables: { LOG_LEVEL: 'debug' } }).manifests))).toEqual({ LOG_LEVEL: 'debug' });
  });

  test.each([
    ['identical readiness and liveness', { health: { readinessPath: '/health', livenessPath: '/health' } }, /'health\.livenessPath' \("\/health"\) is the same endpoint as health\.readinessPath/],
    ['missing health', { health: undefined }, /'health' \(undefined\) is required/],
    ['relative path', { health: { readinessPath: 'ready', livenessPath: '/live' } }, /'health\.readinessPath' \("ready"\) must be an absolute URL path/],
    ['health port out of range', { health: { readinessPath: '/r', livenessPath: '/l', port: 65536 } }, /'health\.port' \(65536\)/],
    ['NaN port', { port: NaN }, /'port' \(NaN\)/],
  ])('%s is refused', (_name, props, message) => {
    expect(() => make(props as any)).toThrow(message);
  });
});
