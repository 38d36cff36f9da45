import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'env',
      objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_NACOS_DISCOVERY_EPHEMERAL: 'false' }) })])],
      path: 'spec.template.spec.containers[0].env[1].value',
    },
    {
      name: 'dotted-env-name',
      objects: [deployment('a', [javaContainer({ env: env({ 'spring.cloud.nacos.discovery.ephemeral': 'false' }) })])],
    },
    {
      name: 'prestop-api',
      objects: [deployment('a', [javaContainer({
        lifecycle: preStop('sh', '-c', 'curl -m 3 -X PUT "http://nacos:8848/nacos/v1/ns/instance?serviceName=a&ip=$POD_IP&port=8080&ephemeral=false&enabled=false"; sleep 40'),
      })])],
      expect: ['persistent Nacos instance'],
    },
  ],
  pass: [
    { name: 'ephemeral-default', objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }) })])] },
    { name: 'ephemeral-true', objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_EPHEMERAL: 'true' }) })])] },
  ],
};
