import { deployment, javaContainer, preStop, RuleCases } from '../util';

const app = (lifecycle: any, pod: any = {}) => [deployment('app', [javaContainer({ lifecycle })], { pod })];

export const cases: RuleCases = {
  fail: [
    { name: 'sleep-equals-default-grace', objects: app(preStop('sleep', '30')), expect: ['waits 30 s', 'is 30 s (not set'], path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command' },
    { name: 'sleep-minutes', objects: app(preStop('/bin/sh', '-c', 'sleep 1m'), { terminationGracePeriodSeconds: 45 }), expect: ['waits 60 s'] },
    { name: 'sleep-suffix-s', objects: app(preStop('sh', '-c', 'sleep 40s'), { terminationGracePeriodSeconds: 40 }), expect: ['waits 40 s'] },
    { name: 'sleeps-add-up', objects: app(preStop('bash', '-c', 'sleep 20; echo x; sleep 15'), { terminationGracePeriodSeconds: 30 }), expect: ['waits 35 s'] },
    { name: 'gnu-sleep-operands-add-up', objects: app(preStop('sleep', '1m', '30s'), { terminationGracePeriodSeconds: 60 }), expect: ['waits 90 s'] },
    { name: 'sleep-action', objects: app({ preStop: { sleep: { seconds: 45 } } }, { terminationGracePeriodSeconds: 40 }), path: 'spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds' },
    { name: 'sleep-from-env', objects: [deployment('app', [javaContainer({ env: [{ name: 'WAIT', value: '50' }], lifecycle: preStop('sh', '-c', 'sleep ${WAIT}') })])], expect: ['waits 50 s'] },
    { name: 'sleep-infinity', objects: app(preStop('sleep', 'infinity')), expect: ['forever'] },
    {
      name: 'graceful-script',
      objects: [deployment('app', [javaContainer({
        env: [{ name: 'GRACEFUL_WAIT_SECONDS', value: '40' }],
        lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'),
      })], { pod: { terminationGracePeriodSeconds: 40 } })],
      expect: ['GRACEFUL_WAIT_SECONDS=40'],
    },
    { name: 'non-java-too', objects: [deployment('web', [{ name: 'n', image: 'nginx:1.27', lifecycle: preStop('sleep', '30') }])] },
  ],
  pass: [
    { name: 'shorter', objects: app(preStop('sleep', '20')) },
    { name: 'longer-grace', objects: app(preStop('sleep', '30'), { terminationGracePeriodSeconds: 60 }) },
    { name: 'conditional-sleep', objects: app(preStop('sh', '-c', 'curl -m 2 localhost:8080/x || sleep 40')) },
    { name: 'sleep-in-if', objects: app(preStop('sh', '-c', 'if [ -f /tmp/x ]; then sleep 40; fi')) },
    { name: 'background-sleep', objects: app(preStop('sh', '-c', 'sleep 40 &')) },
    { name: 'unresolved-variable', objects: app(preStop('sh', '-c', 'sleep $WAIT')) },
    { name: 'script-file', objects: app(preStop('/bin/bash', '-c', '/app/preStop.sh')) },
    { name: 'httpget', objects: app({ preStop: { httpGet: { path: '/prestop', port: 8080 } } }) },
    { name: 'ignored-args-never-run', objects: app(preStop('sh', '-c', 'echo bye', 'sleep 60')) },
  ],
};
