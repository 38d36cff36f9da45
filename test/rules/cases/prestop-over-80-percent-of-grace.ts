import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'sleep-25-of-30', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '25') })])], expect: ['83 %', 'ceil(25 s / 0.8) = 32 s'] },
    {
      name: 'graceful-script-counts-calls',
      objects: [deployment('a', [javaContainer({
        env: env({ GRACEFUL_WAIT_SECONDS: '36', GRACEFUL_CALL_TIMEOUT_SECONDS: '3', GRACEFUL_TAKEOUT_URL: 'http://127.0.0.1:8081/actuator/serviceregistry' }),
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'),
      })], { pod: { terminationGracePeriodSeconds: 48 } })],
      expect: ['up to 39 s (waits 36 s + calls bounded by 3 s)', '= 49 s'],
    },
  ],
  pass: [
    { name: 'exactly-80', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '24') })])] },
    { name: 'exceeds-is-the-other-rule', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '30') })])] },
    { name: 'not-java', objects: [deployment('a', [{ name: 'n', image: 'nginx:1.27', lifecycle: preStop('sleep', '25') }])] },
    {
      name: 'library-output',
      objects: [deployment('a', [javaContainer({
        env: env({ GRACEFUL_WAIT_SECONDS: '36', GRACEFUL_CALL_TIMEOUT_SECONDS: '3', GRACEFUL_TAKEOUT_URL: 'http://127.0.0.1:8081/actuator/serviceregistry' }),
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'),
      })], { pod: { terminationGracePeriodSeconds: 49 } })],
    },
  ],
};
