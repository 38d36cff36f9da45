import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'java-with-port', objects: [deployment('orders', [javaContainer()])], path: 'spec.template.spec.containers[0].lifecycle.preStop', expect: ['port 8080'] },
    {
      name: 'registry-without-ports',
      objects: [deployment('worker', [{ name: 'w', image: 'registry.example.com/worker:1', env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }) }])],
      expect: ['registered with Nacos', 'consumers still hold the instance'],
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
