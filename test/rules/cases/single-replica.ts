import { deployment, env, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'unset', objects: [deployment('a', [javaContainer()])], expect: ['spec.replicas not set (default 1)'], path: 'spec.replicas' },
    { name: 'one', objects: [deployment('a', [javaContainer()], { spec: { replicas: 1 } })] },
    {
      name: 'hpa-min-1',
      objects: [deployment('a', [javaContainer()], { spec: { replicas: 3 } }),
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, maxReplicas: 10 } }],
      expect: ['without minReplicas (default 1)'],
    },
    { name: 'registry-worker', objects: [deployment('w', [{ name: 'w', image: 'x/w:1', env: env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }) }])] },
    { name: 'statefulset', objects: [{ ...deployment('s', [javaContainer()]), kind: 'StatefulSet' }], expect: ['StatefulSet s runs a single replica', 'set spec.replicas to 2'] },
    {
      name: 'generic-hpa-min-1',
      objects: [deployment('gw', [{ name: 'gw', image: 'acme/gw:1', ports: [{ containerPort: 14001 }] }], { spec: { replicas: 2 } }),
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'gw' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'gw' }, minReplicas: 1, maxReplicas: 5 } }],
      expect: ['HorizontalPodAutoscaler gw minReplicas 1', 'set minReplicas of gw to 2'],
    },
  ],
  pass: [
    { name: 'two', objects: [deployment('a', [javaContainer()], { spec: { replicas: 2 } })] },
    { name: 'hpa-min-2', objects: [deployment('a', [javaContainer()]), { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, minReplicas: 2 } }] },
    { name: 'database', objects: [deployment('db', [{ name: 'db', image: 'postgres:9.5', ports: [{ containerPort: 5432 }] }])] },
    { name: 'statefulset-of-3', objects: [{ ...deployment('s', [javaContainer()], { spec: { replicas: 3 } }), kind: 'StatefulSet' }] },
    { name: 'worker-without-traffic', objects: [deployment('w', [{ name: 'w', image: 'acme/worker:1' }])] },
    { name: 'templated-replicas', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: { TEMPLATE: 1 }\n  template:\n    spec:\n      containers: [{ name: a, image: eclipse-temurin:21, ports: [{ containerPort: 8080 }] }]\n' },
  ],
};
