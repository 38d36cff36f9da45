import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: '120', objects: [deployment('a', [javaContainer({ livenessProbe: { httpGet: { path: '/actuator/health/liveness', port: 8080 }, initialDelaySeconds: 120 } })])], expect: ['120 s'] },
    { name: '60', objects: [deployment('a', [javaContainer({ livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 60 } })])] },
  ],
  pass: [
    { name: '59', objects: [deployment('a', [javaContainer({ livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 59 } })])] },
    { name: 'startup-probe', objects: [deployment('a', [javaContainer({ startupProbe: { tcpSocket: { port: 8080 } }, livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 120 } })])] },
    { name: 'not-java', objects: [deployment('m', [{ name: 'm', image: 'mysql:8', livenessProbe: { tcpSocket: { port: 3306 }, initialDelaySeconds: 120 } }])] },
  ],
};
