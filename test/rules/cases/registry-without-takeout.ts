import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'nacos-sleep-only',
      objects: [deployment('a', [javaContainer({ env: env({ PROJECT_ARGUMENTS: '--spring.cloud.nacos.discovery.server-addr=10.0.0.3:8848' }), lifecycle: preStop('/bin/bash', '-c', 'sleep 3') })])],
      expect: ['registers with Nacos (env PROJECT_ARGUMENTS --spring.cloud.nacos.discovery.server-addr=10.0.0.3:8848)', 'up to 41.5 s'],
    },
    {
      name: 'consul-by-profile-and-tags',
      objects: [deployment('a', [javaContainer({ env: env({ SPRING_PROFILES_ACTIVE: 'consul,prod', SPRING_CLOUD_CONSUL_DISCOVERY_TAGS: 'v1', EUREKA_INSTANCE_METADATAMAP_VERSION: 'v1' }), lifecycle: preStop('sleep', '10') })])],
      expect: ['Consul'],
    },
    {
      name: 'env-from-configmap',
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reg' }, data: { EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' } },
        deployment('a', [javaContainer({ envFrom: [{ configMapRef: { name: 'reg' } }], lifecycle: preStop('sleep', '10') })]),
      ],
      expect: ['Eureka (envFrom ConfigMap reg'],
    },
  ],
  pass: [
    { name: 'takes-out', objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }), lifecycle: preStop('sh', '-c', 'curl -m 3 -X PUT localhost:8500/v1/agent/service/maintenance/a?enable=true; sleep 40') })])] },
    { name: 'no-registry', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '10') })])] },
    { name: 'opaque-script', objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }), lifecycle: preStop('/app/prestop.sh') })])] },
    { name: 'mse-agent', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '10') })], { template: { annotations: { msePilotAutoEnable: 'on' } } })] },
    { name: 'no-prestop-is-the-other-rule', objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }) })])] },
  ],
};
