import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const TAKEOUT = 'curl -m 3 -X POST localhost:8080/actuator/serviceregistry?status=DOWN';
const app = (vars: { [k: string]: string }, script: string, args?: string[]) =>
  [deployment('a', [javaContainer({ env: env(vars), args, lifecycle: preStop('sh', '-c', script) })], { pod: { terminationGracePeriodSeconds: 200 } })];

export const cases: RuleCases = {
  fail: [
    {
      name: 'nacos-default-cache',
      objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }, `${TAKEOUT}; sleep 30`),
      expect: ['registers with Nacos', 'waits 30 s after the take-out', 'Nacos 2.x/3.x push 6.5 s (one failed push; 1.x polls: up to 10 s) + Spring Cloud LoadBalancer cache TTL 35 s (default) = 41.5 s', 'last 11.5 s'],
    },
    {
      name: 'eureka-default-zone',
      objects: app({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }, `${TAKEOUT}; sleep 60`),
      expect: ['= 95 s'],
    },
    {
      name: 'eureka-fetch-interval-from-args',
      objects: app({}, `${TAKEOUT}; sleep 40`, ['--eureka.client.service-url.defaultZone=http://eureka:8761/eureka/', '--eureka.client.registry-fetch-interval-seconds=5']),
      expect: ['client fetch 5 s', '= 70 s'],
    },
    {
      name: 'field-report-002',
      objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' },
        'curl -m 3 -X POST localhost:8080/actuator/deregister; sleep 30; curl -m 3 -X POST localhost:8080/actuator/shutdown; sleep 5'),
      expect: ['waits 30 s after the take-out'],
    },
    { name: 'consul', objects: app({ SPRING_CLOUD_CONSUL_HOST: 'consul' }, `${TAKEOUT}; sleep 20`), expect: ['Consul agent sync 3 s (ConsulDiscoveryClient reads Consul live)', '= 38 s'] },
    {
      name: 'ttl-from-env',
      objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_LOADBALANCER_CACHE_TTL: '10s' }, `${TAKEOUT}; sleep 5`),
      expect: ['load-balancer cache TTL 10 s (env SPRING_CLOUD_LOADBALANCER_CACHE_TTL)', '= 16.5 s'],
    },
    {
      name: 'consumer-cache-declared-too-long',
      objects: [deployment('a', [javaContainer({ env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }), lifecycle: preStop('sh', '-c', `${TAKEOUT}; sleep 30`) })],
        { metadata: { annotations: { 'graceful.cdk8s.io/consumer-cache-seconds': '60' } }, pod: { terminationGracePeriodSeconds: 200 } })],
      expect: ['consumer cache 60 s (annotation graceful.cdk8s.io/consumer-cache-seconds)', '= 63 s'],
    },
    {
      name: 'shared-nacos-addr-in-java-opts',
      objects: app({ JAVA_OPTS: '-Dspring.cloud.nacos.server-addr=nacos:8848' }, `${TAKEOUT}; sleep 10`),
    },
  ],
  pass: [
    { name: 'long-enough', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }, `${TAKEOUT}; sleep 42`) },
    { name: 'cache-disabled', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_LOADBALANCER_CACHE_ENABLED: 'false' }, `${TAKEOUT}; sleep 7`) },
    {
      name: 'nacos-loadbalancer-no-cache',
      objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_LOADBALANCER_NACOS_ENABLED: 'true' }, `${TAKEOUT}; sleep 7`),
    },
    {
      name: 'consumer-cache-declared',
      objects: [deployment('a', [javaContainer({ env: env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }), lifecycle: preStop('sh', '-c', `${TAKEOUT}; sleep 90`) })],
        { template: { annotations: { 'graceful.cdk8s.io/consumer-cache-seconds': '30' } }, pod: { terminationGracePeriodSeconds: 200 } })],
    },
    { name: 'no-registry-detected', objects: app({}, `${TAKEOUT}; sleep 5`) },
    { name: 'nacos-config-only', objects: app({ SPRING_CLOUD_NACOS_CONFIG_SERVER_ADDR: 'nacos:8848' }, `${TAKEOUT}; sleep 5`) },
    { name: 'nacos-discovery-disabled', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_NACOS_DISCOVERY_ENABLED: 'false' }, `${TAKEOUT}; sleep 5`) },
    { name: 'two-registries-no-guess', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_CONSUL_HOST: 'consul' }, `${TAKEOUT}; sleep 5`) },
    {
      name: 'metadata-only-no-profile',
      objects: app({ EUREKA_INSTANCE_METADATAMAP_VERSION: 'v1', SPRING_CLOUD_NACOS_DISCOVERY_METADATA_VERSION: 'v1' }, `${TAKEOUT}; sleep 5`),
    },
    { name: 'mse-has-no-published-numbers', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sh', '-c', 'timeout 3 wget -q http://127.0.0.1:54199/offline; sleep 5') })], { template: { annotations: { msePilotAutoEnable: 'on' } } })] },
    { name: 'no-takeout-is-the-other-rule', objects: app({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }, 'sleep 5') },
  ],
};
