import { deployment, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'sh-script-file',
      objects: [deployment('a', [javaContainer({ lifecycle: preStop('sh', '/opt/app/prestop.sh') })], { pod: { terminationGracePeriodSeconds: 60 } })],
      expect: ['runs /opt/app/prestop.sh', 'cannot verify', '80 % of terminationGracePeriodSeconds 60 s (48 s, leaving 12 s for the drain)', 'finishes within 48 s'],
      path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command',
    },
    { name: 'script-in-sh-c', objects: [deployment('a', [javaContainer({ lifecycle: preStop('/bin/sh', '-c', '/app/stop.sh') })])], expect: ['/app/stop.sh', '24 s'] },
    { name: 'script-as-command', objects: [deployment('a', [{ name: 'gw', image: 'acme/gw:1', ports: [{ containerPort: 14001 }], lifecycle: preStop('/usr/local/bin/drain.sh') }])] },
  ],
  pass: [
    { name: 'readable-hook', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sh', '-c', 'sleep 10') })])] },
    { name: 'library-script', objects: [deployment('a', [javaContainer({ lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh'), env: [{ name: 'GRACEFUL_WAIT_SECONDS', value: '10' }] })])] },
    { name: 'http-get', objects: [deployment('a', [javaContainer({ lifecycle: { preStop: { httpGet: { path: '/prestop', port: 8080 } } } })])] },
    { name: 'proxy', objects: [deployment('n', [{ name: 'n', image: 'nginx:1.27', ports: [{ containerPort: 80 }], lifecycle: preStop('/usr/local/bin/drain.sh') }])] },
  ],
};
