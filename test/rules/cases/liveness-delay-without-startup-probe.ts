import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: '120',
      objects: [deployment('a', [javaContainer({ livenessProbe: { httpGet: { path: '/actuator/health/liveness', port: 8080 }, initialDelaySeconds: 120 } })])],
      expect: ['initialDelaySeconds 120 s', 'failureThreshold 3 × periodSeconds 10 s = 30 s', '120 s + 2 × 10 s + timeoutSeconds 1 s = 141 s', 'failureThreshold 15'],
    },
    {
      // a short delay, but longer than its own window: judged from the probe's numbers, not from a fixed 60 s
      name: '20-over-a-10-s-window',
      objects: [deployment('a', [{
        name: 'gw',
        image: 'acme/gw:1',
        ports: [{ containerPort: 14001 }],
        livenessProbe: { tcpSocket: { port: 14001 }, initialDelaySeconds: 20, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 },
      }])],
      expect: ['= 10 s)', '20 s + 1 × 5 s + timeoutSeconds 3 s = 28 s', 'periodSeconds 5 and failureThreshold 6'],
    },
    { name: '60', objects: [deployment('a', [javaContainer({ livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 60 } })])] },
  ],
  pass: [
    { name: 'within-window', objects: [deployment('a', [javaContainer({ livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 59, periodSeconds: 20 } })])] },
    { name: 'equal-to-window', objects: [deployment('a', [javaContainer({ livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 30 } })])] },
    { name: 'templated-period', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: eclipse-temurin:21\n          ports: [{containerPort: 8080}]\n          livenessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 90, periodSeconds: {T: 1}}\n' },
    { name: 'startup-probe', objects: [deployment('a', [javaContainer({ startupProbe: { tcpSocket: { port: 8080 } }, livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 120 } })])] },
    { name: 'not-java', objects: [deployment('m', [{ name: 'm', image: 'mysql:8', livenessProbe: { tcpSocket: { port: 3306 }, initialDelaySeconds: 120 } }])] },
  ],
};
