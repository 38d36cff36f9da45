import { deployment, env, javaContainer, RuleCases } from '../util';

const consul = (name: string, vars: { [k: string]: string } = {}, port = 14001) =>
  deployment(name, [javaContainer({ ports: [{ containerPort: port }], env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul', ...vars }) })]);

export const cases: RuleCases = {
  fail: [
    {
      name: 'same-port-default-path',
      objects: [consul('bookstore'), consul('warehouse')],
      count: 2,
      expect: ['port 14001 path /actuator/health', 'Deployment warehouse (service warehouse)'],
      path: 'spec.template.spec.containers[0].env',
    },
    {
      name: 'same-management-port',
      objects: [consul('a', { MANAGEMENT_SERVER_PORT: '8081' }, 8080), consul('b', { MANAGEMENT_SERVER_PORT: '8081' }, 9090)],
      expect: ['port 8081'],
    },
    {
      name: 'same-explicit-path',
      objects: [consul('a', { SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH: '/health' }), consul('b', { SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH: '/health' })],
    },
  ],
  pass: [
    { name: 'different-ports', objects: [consul('invoice', {}, 8082), consul('product', {}, 8081)] },
    { name: 'ttl-heartbeat', objects: [consul('a', { SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED: 'true' }), consul('b', { SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED: 'true' })] },
    { name: 'service-specific-paths', objects: [consul('a', { SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH: '/a/health' }), consul('b', { SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH: '/b/health' })] },
    { name: 'different-consuls', objects: [consul('a', { SPRING_CLOUD_CONSUL_HOST: 'consul-a' }), consul('b', { SPRING_CLOUD_CONSUL_HOST: 'consul-b' })] },
    { name: 'same-service-two-deployments', objects: [consul('a-blue', { SPRING_APPLICATION_NAME: 'a' }), consul('a-green', { SPRING_APPLICATION_NAME: 'a' })] },
    { name: 'one-service', objects: [consul('a')] },
  ],
};
