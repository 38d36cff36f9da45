import { deployment, javaContainer, RuleCases } from '../util';

const probes = (l: any, r: any, image?: string) => [deployment('a', [javaContainer({ livenessProbe: l, readinessProbe: r, ...(image ? { image } : {}) })])];

export const cases: RuleCases = {
  fail: [
    {
      name: 'same-http',
      objects: probes({ httpGet: { path: '/actuator/health', port: 8080 }, initialDelaySeconds: 60 }, { httpGet: { path: '/actuator/health', port: 8080 }, periodSeconds: 5 }),
      expect: ['httpGet HTTP :8080/actuator/health'],
      path: 'spec.template.spec.containers[0].livenessProbe',
    },
    { name: 'same-grpc', objects: probes({ grpc: { port: 9090 } }, { grpc: { port: 9090 } }) },
    {
      name: 'generic-same-http',
      objects: [deployment('gw', [{
        name: 'gw',
        image: 'acme/gw:1',
        ports: [{ containerPort: 14001 }],
        livenessProbe: { httpGet: { path: '/health', port: 14001 } },
        readinessProbe: { httpGet: { path: '/health', port: 14001 } },
      }])],
      expect: ['keep readiness on httpGet HTTP :14001/health', /^(?![\s\S]*actuator)/],
    },
    { name: 'same-exec', objects: probes({ exec: { command: ['cat', '/tmp/ok'] } }, { exec: { command: ['cat', '/tmp/ok'] } }) },
  ],
  pass: [
    { name: 'groups', objects: probes({ httpGet: { path: '/actuator/health/liveness', port: 8080 } }, { httpGet: { path: '/actuator/health/readiness', port: 8080 } }) },
    { name: 'same-tcp', objects: probes({ tcpSocket: { port: 8080 } }, { tcpSocket: { port: 8080 } }) },
    { name: 'different-grpc-services', objects: probes({ grpc: { port: 9090, service: 'live' } }, { grpc: { port: 9090, service: 'ready' } }) },
    { name: 'different-ports', objects: probes({ tcpSocket: { port: 8081 } }, { tcpSocket: { port: 8080 } }) },
    { name: 'only-readiness', objects: probes(undefined, { httpGet: { path: '/actuator/health', port: 8080 } }) },
    { name: 'not-java', objects: [deployment('r', [{ name: 'r', image: 'redis:7', livenessProbe: { tcpSocket: { port: 6379 } }, readinessProbe: { tcpSocket: { port: 6379 } } }])] },
  ],
};
