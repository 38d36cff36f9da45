import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const app = (command: string[], extra: any = {}) => [deployment('a', [javaContainer({ lifecycle: preStop(...command), ...extra })])];

export const cases: RuleCases = {
  fail: [
    {
      name: 'eureka-status',
      objects: app(['/bin/sh', '-c', 'curl -m 3 -X PUT "http://eureka:8761/eureka/apps/EM/$HOSTNAME:em:1025/status?value=OUT_OF_SERVICE"']),
      expect: ['returns without waiting', 'up to 95 s', 'Eureka server response cache 30 s + client fetch 30 s + Spring Cloud LoadBalancer cache TTL 35 s'],
    },
    { name: 'serviceregistry-exec-form', objects: app(['curl', '-m', '3', '-X', 'POST', 'localhost:8080/actuator/serviceregistry?status=DOWN']) },
    { name: 'sleep-before-takeout', objects: app(['sh', '-c', 'sleep 10; curl -m 3 -X POST http://localhost:8080/actuator/deregister']) },
    {
      name: 'nacos-api-with-ribbon',
      objects: app(['sh', '-c', 'curl -m 3 -X PUT "http://nacos:8848/nacos/v1/ns/instance?serviceName=a&ip=$POD_IP&port=8080&enabled=false"'],
        { env: env({ RIBBON_SERVERLISTREFRESHINTERVAL: '30000' }) }),
      expect: ['Nacos 2.x/3.x push 6.5 s', 'Ribbon server-list refresh 30 s', '= 36.5 s'],
    },
    {
      name: 'graceful-script-without-wait',
      objects: [deployment('a', [javaContainer({
        env: env({ GRACEFUL_WAIT_SECONDS: '0', GRACEFUL_TAKEOUT_URL: 'http://127.0.0.1:8081/actuator/serviceregistry' }),
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'),
      })])],
    },
  ],
  pass: [
    { name: 'waits', objects: app(['sh', '-c', 'curl -m 3 -X PUT localhost:8080/offline && sleep 40']) },
    { name: 'waits-in-variable', objects: app(['sh', '-c', 'curl -m 3 -X PUT localhost:8080/offline; sleep $WAIT']) },
    { name: 'not-a-takeout', objects: app(['sh', '-c', 'curl -m 3 localhost:8080/actuator/health']) },
    { name: 'script-file', objects: app(['sh', '-c', '/app/prestop.sh']) },
    {
      name: 'graceful-script-waits',
      objects: [deployment('a', [javaContainer({
        env: env({ GRACEFUL_WAIT_SECONDS: '20', GRACEFUL_TAKEOUT_URL: 'http://127.0.0.1:8081/actuator/serviceregistry' }),
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'),
      })])],
    },
  ],
};
