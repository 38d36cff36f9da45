import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const app = (annotations: any, extra: any = {}, labels?: any) => [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '20'), ...extra })],
  { template: { annotations, ...(labels ? { labels: { app: 'a', ...labels } } : {}) }, pod: { terminationGracePeriodSeconds: 90 } })];

export const cases: RuleCases = {
  fail: [
    { name: 'default-drain', objects: app({ 'sidecar.istio.io/inject': 'true' }), expect: ['drains for 5 s (Istio\'s default terminationDrainDuration)', 'needs preStop 20 s = 20 s'], path: 'spec.template.metadata.annotations' },
    {
      name: 'drain-too-short-with-phase',
      objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': '{"terminationDrainDuration": "30s"}' }, { env: env({ SERVER_SHUTDOWN: 'graceful' }) }),
      expect: ['drains for 30 s', 'preStop 20 s + shutdown phase 30 s = 50 s', '"terminationDrainDuration": "50s"'],
    },
    {
      name: 'exit-on-zero',
      objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': '{"terminationDrainDuration": "1m", "proxyMetadata": {"EXIT_ON_ZERO_ACTIVE_CONNECTIONS": "true"}}' }),
      expect: ['EXIT_ON_ZERO_ACTIVE_CONNECTIONS makes the agent exit 5 s after SIGTERM', 'remove proxyMetadata EXIT_ON_ZERO_ACTIVE_CONNECTIONS'],
    },
    {
      name: 'drain-duration-below-need',
      objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': '{"terminationDrainDuration": "2m"}' }, { env: env({ SERVER_SHUTDOWN: 'graceful' }) }),
      expect: ['Envoy stops accepting connections after drainDuration 45 s (Istio\'s default)', '= 50 s', '"drainDuration": "50s"'],
    },
    { name: 'label', objects: app(undefined, {}, { 'sidecar.istio.io/inject': 'true' }) },
    { name: 'yaml-config-1m', objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': 'terminationDrainDuration: 15s\n' }) },
    {
      name: 'namespace-injection',
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
        { ...deployment('a', [javaContainer({ lifecycle: preStop('sleep', '20') })]), metadata: { name: 'a', namespace: 'shop' } }],
    },
  ],
  pass: [
    { name: 'long-drain', objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': '{"terminationDrainDuration": "1m"}' }) },
    { name: 'native-sidecar', objects: app({ 'sidecar.istio.io/inject': 'true', 'sidecar.istio.io/nativeSidecar': 'true' }) },
    {
      name: 'long-drain-and-termination',
      objects: app({ 'sidecar.istio.io/inject': 'true', 'proxy.istio.io/config': '{"drainDuration": "60s", "terminationDrainDuration": "60s"}' },
        { env: env({ SERVER_SHUTDOWN: 'graceful' }) }),
    },
    { name: 'no-istio', objects: app({}) },
    { name: 'inject-false', objects: app({ 'sidecar.istio.io/inject': 'false' }) },
    { name: 'short-prestop', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '3') })], { template: { annotations: { 'sidecar.istio.io/inject': 'true' } } })] },
  ],
};
