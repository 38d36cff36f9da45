import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'java-with-port', objects: [deployment('orders', [javaContainer()])], path: 'spec.template.spec.containers[0].lifecycle.preStop', expect: ['port 8080'] },
    {
      name: 'registry-without-ports',
      objects: [deployment('worker', [{ name: 'w', image: 'registry.example.com/worker:1', env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }) }])],
      expect: ['registered with Nacos', 'consumers still hold the instance', 'localhost:8080/actuator/serviceregistry', /sleep [0-9]+/],
    },
    {
      // a generic workload: its own port, no registry call, a sleep that fits the default grace period
      name: 'generic-port-14001',
      objects: [deployment('gw', [{ name: 'gw', image: 'acme/gateway:2.1', ports: [{ containerPort: 14001 }] }])],
      expect: ['port 14001', 'sleep: {seconds: 10}', 'terminationGracePeriodSeconds 30 s (default) already covers it', /^(?![\s\S]*serviceregistry)/],
    },
    {
      name: 'selected-by-service',
      objects: [deployment('web', [{ name: 'web', image: 'acme/web:1' }]),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }],
      expect: ['its pods are selected by a Service'],
    },
    {
      name: 'spring-graceful-grace-raised',
      objects: [deployment('orders', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'graceful' }) })])],
      expect: ['raise terminationGracePeriodSeconds from 30 s (default) to at least 50 s', 'shutdown phase 30 s'],
    },
    {
      // JHipster: the actuator under /management, as its probes show
      name: 'actuator-base-path-from-probes',
      objects: [deployment('store', [javaContainer({
        ports: [{ containerPort: 8082 }],
        env: env({ EUREKA_CLIENT_SERVICE_URL_DEFAULTZONE: 'http://admin@registry:8761/eureka' }),
        readinessProbe: { httpGet: { path: '/management/health/readiness', port: 8082 } },
      })])],
      expect: ['localhost:8082/management/serviceregistry'],
    },
    {
      name: 'registry-on-its-management-port',
      objects: [deployment('pay', [javaContainer({
        ports: [{ containerPort: 9000 }],
        env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', MANAGEMENT_SERVER_PORT: '9001' }),
      })])],
      expect: ['port 9000', 'localhost:9001/actuator/serviceregistry', 'curl -sS -m 3'],
    },
    {
      name: 'actuator-probe-is-spring',
      objects: [deployment('svc', [{ name: 's', image: 'registry.example.com/svc:1', ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/actuator/health', port: 8080 } } }])],
      expect: ['actuator'],
    },
    {
      name: 'second-container',
      objects: [deployment('two', [javaContainer({ lifecycle: preStop('sleep', '10') }), javaContainer({ name: 'b' })])],
      path: 'spec.template.spec.containers[1].lifecycle.preStop',
      count: 1,
    },
    {
      name: 'statefulset-in-a-list',
      objects: [{ apiVersion: 'v1', kind: 'List', items: [{ ...deployment('st', [javaContainer()]), kind: 'StatefulSet' }] }],
      path: 'items[0].spec.template.spec.containers[0].lifecycle.preStop',
    },
  ],
  pass: [
    { name: 'with-prestop', objects: [deployment('orders', [javaContainer({ lifecycle: preStop('sleep', '10') })])] },
    { name: 'native-sleep', objects: [deployment('orders', [javaContainer({ lifecycle: { preStop: { sleep: { seconds: 10 } } } })])] },
    { name: 'postgres', objects: [deployment('db', [{ name: 'db', image: 'postgres:16', ports: [{ containerPort: 5432 }], env: env({ POSTGRES_PASSWORD: 'x' }) }])] },
    { name: 'redis', objects: [deployment('cache', [{ name: 'r', image: 'redis:7', ports: [{ containerPort: 6379 }] }])] },
    { name: 'nginx', objects: [deployment('web', [{ name: 'n', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }])] },
    { name: 'nacos-server', objects: [deployment('nacos', [{ name: 'n', image: 'nacos/nacos-server:v2.3.0', ports: [{ containerPort: 8848 }], env: env({ MODE: 'standalone', SPRING_DATASOURCE_PLATFORM: 'mysql' }) }])] },
    { name: 'istio-sidecar-only', objects: [deployment('web', [javaContainer({ lifecycle: preStop('sleep', '10') }), { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', ports: [{ containerPort: 15090 }] }])] },
    { name: 'java-without-ports', objects: [deployment('batch', [javaContainer({ ports: undefined })])] },
    { name: 'job', objects: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [javaContainer()] } } } }] },
    {
      name: 'suppressed',
      objects: [deployment('orders', [javaContainer()], { metadata: { annotations: { 'graceful.cdk8s.io/suppress-prestop-missing': 'gRPC only; clients retry' } } })],
    },
    {
      name: 'suppressed-on-template',
      objects: [deployment('orders', [javaContainer()], { template: { annotations: { 'graceful.cdk8s.io/suppress-prestop-missing': 'drained by the mesh' } } })],
    },
  ],
};
