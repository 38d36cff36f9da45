import { deployment, env, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'no-probe-at-all',
      objects: [deployment('gw', [{ name: 'gw', image: 'acme/gateway:2.1', ports: [{ containerPort: 14001 }] }])],
      expect: ['on port 14001 and has no probe at all', 'never taken out of rotation', 'health endpoint at port 14001 (or tcpSocket {port: 14001}'],
      path: 'spec.template.spec.containers[0].readinessProbe',
    },
    {
      name: 'liveness-only-spring',
      objects: [deployment('a', [javaContainer({ env: env({ SPRING_PROFILES_ACTIVE: 'prod' }), livenessProbe: { httpGet: { path: '/actuator/health/liveness', port: 8080 } } })])],
      expect: ['no readiness probe (only livenessProbe)', 'httpGet {path: /actuator/health/readiness, port: 8080}', 'a different check than the liveness probe'],
    },
    {
      name: 'management-port',
      objects: [deployment('a', [javaContainer({ env: env({ MANAGEMENT_SERVER_PORT: '8081' }) })])],
      expect: ['port: 8081'],
    },
  ],
  pass: [
    { name: 'readiness', objects: [deployment('a', [javaContainer({ readinessProbe: { tcpSocket: { port: 8080 } } })])] },
    { name: 'database', objects: [deployment('db', [{ name: 'db', image: 'postgres:16', ports: [{ containerPort: 5432 }] }])] },
    { name: 'worker-without-traffic', objects: [deployment('w', [{ name: 'w', image: 'acme/worker:1' }])] },
    { name: 'job', objects: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [javaContainer()] } } } }] },
  ],
};
