import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const app = (...command: string[]) => [deployment('a', [javaContainer({ lifecycle: preStop(...command) })], { pod: { terminationGracePeriodSeconds: 60 } })];

export const cases: RuleCases = {
  fail: [
    { name: 'curl', objects: app('sh', '-c', 'curl -X PUT http://eureka:8761/eureka/apps/A/x/status?value=OUT_OF_SERVICE; sleep 30'), expect: ['curl has no overall timeout', '--max-time'] },
    { name: 'curl-connect-timeout-only', objects: app('sh', '-c', 'curl --connect-timeout 2 -X POST localhost:8080/offline; sleep 30') },
    { name: 'wget', objects: app('/bin/sh', '-c', 'wget http://127.0.0.1:54199/offline 2>/tmp/null;sleep 30;exit 0'), expect: ['900 s', 'timeout 3'] },
    { name: 'exec-form-curl', objects: app('curl', '-X', 'POST', 'http://localhost:8080/actuator/shutdown') },
    { name: 'two-calls', objects: app('sh', '-c', 'curl -m 2 localhost:8080/offline; sleep 30; curl -X POST localhost:8080/actuator/shutdown'), count: 1 },
  ],
  pass: [
    { name: 'curl-m', objects: app('sh', '-c', 'curl -m 3 -X POST localhost:8080/offline; sleep 30') },
    { name: 'curl-max-time-eq', objects: app('sh', '-c', 'curl --max-time=3 -X POST localhost:8080/offline; sleep 30') },
    { name: 'curl-m-attached', objects: app('sh', '-c', 'curl -m3 localhost:8080/offline; sleep 30') },
    { name: 'wget-T', objects: app('sh', '-c', 'wget -T 3 -q localhost:8080/offline; sleep 30') },
    { name: 'wget-timeout-eq', objects: app('sh', '-c', 'wget --timeout=3 -q localhost:8080/offline; sleep 30') },
    { name: 'timeout-prefix', objects: app('sh', '-c', 'timeout 3 wget -q http://127.0.0.1:54199/offline; sleep 30') },
    { name: 'timeout-with-signal', objects: app('sh', '-c', 'timeout -s KILL 3 curl localhost:8080/offline; sleep 30') },
    {
      name: 'library-script',
      objects: [deployment('a', [javaContainer({
        env: env({ GRACEFUL_WAIT_SECONDS: '30', GRACEFUL_TAKEOUT_URL: 'http://127.0.0.1:8081/actuator/serviceregistry' }),
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh', 'curl', '-X', 'PUT', 'http://consul:8500/v1/agent/service/maintenance/a?enable=true'),
      })], { pod: { terminationGracePeriodSeconds: 60 } })],
    },
  ],
};
