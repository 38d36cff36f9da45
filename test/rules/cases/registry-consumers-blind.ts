import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const TAKEOUT = 'curl -m 3 -X POST localhost:8081/actuator/serviceregistry?status=OUT_OF_SERVICE';
const app = (vars: Record<string, string>, script = `${TAKEOUT}; sleep 40`) =>
  [deployment('a', [javaContainer({ env: env(vars), lifecycle: preStop('sh', '-c', script) })], { pod: { terminationGracePeriodSeconds: 60 } })];

export const cases: RuleCases = {
  fail: [
    {
      name: 'consul-query-passing-default',
      objects: app({ SPRING_CLOUD_CONSUL_HOST: 'consul' }),
      expect: ['registers with Consul (env SPRING_CLOUD_CONSUL_HOST)', 'leaves spring.cloud.consul.discovery.query-passing at its default false',
        'ConsulDiscoveryProperties.java L184', 'SPRING_CLOUD_CONSUL_DISCOVERY_QUERYPASSING=true'],
      path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command',
    },
    {
      name: 'consul-query-passing-false',
      objects: app({ 'SPRING_CLOUD_CONSUL_HOST': 'consul', 'spring.cloud.consul.discovery.query-passing': 'false' }),
      expect: ['sets spring.cloud.consul.discovery.query-passing=false (env spring.cloud.consul.discovery.query-passing)'],
    },
    {
      name: 'eureka-filter-off',
      objects: app({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/', EUREKA_CLIENT_FILTERONLYUPINSTANCES: 'false' }),
      expect: ['registers with Eureka', 'sets eureka.client.filter-only-up-instances=false', 'EUREKA_CLIENT_FILTERONLYUPINSTANCES=true'],
    },
  ],
  pass: [
    { name: 'consul-query-passing-true', objects: app({ SPRING_CLOUD_CONSUL_HOST: 'consul', SPRING_CLOUD_CONSUL_DISCOVERY_QUERYPASSING: 'true' }) },
    { name: 'eureka-default-only-up', objects: app({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }) },
    { name: 'consul-without-takeout', objects: app({ SPRING_CLOUD_CONSUL_HOST: 'consul' }, 'sleep 40') },
    { name: 'nacos-removes-from-healthy-selection', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }) },
    { name: 'no-registry', objects: app({}) },
  ],
};
