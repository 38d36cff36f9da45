import { deployment, javaContainer, RuleCases } from '../util';

const d = (spec: any) => [deployment('a', [javaContainer()], { spec })];

export const cases: RuleCases = {
  fail: [
    { name: 'default-at-4', objects: d({ replicas: 4 }), expect: ['"25%" (not set: Kubernetes\' default), 1 pod of 4'], path: 'spec.strategy.rollingUpdate.maxUnavailable' },
    { name: 'explicit-1-of-1', objects: d({ replicas: 1, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }), expect: ['1 pod of 1', 'maxUnavailable: 0: new pods start (maxSurge 1)'] },
    { name: 'surge-0', objects: d({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }), expect: ['maxUnavailable: 0 and maxSurge: 1'] },
    { name: 'generic-image', objects: [deployment('g', [{ name: 'g', image: 'acme/gateway:2', ports: [{ containerPort: 14001 }] }], { spec: { replicas: 8 } })], expect: ['2 pods of 8'] },
    { name: '50-percent-of-6', objects: d({ replicas: 6, strategy: { rollingUpdate: { maxUnavailable: '50%' } } }), expect: ['3 pods of 6'] },
    {
      name: 'hpa-min',
      objects: [deployment('a', [javaContainer()]),
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, minReplicas: 8, maxReplicas: 10 } }],
      expect: ['2 pods of 8 (HorizontalPodAutoscaler a minReplicas 8)'],
    },
  ],
  pass: [
    { name: 'zero', objects: d({ replicas: 4, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }) },
    { name: 'default-rounds-down-below-4', objects: d({ replicas: 3 }) },
    { name: 'recreate', objects: d({ replicas: 4, strategy: { type: 'Recreate' } }) },
    { name: 'infrastructure', objects: [deployment('n', [{ name: 'n', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }], { spec: { replicas: 4 } })] },
    { name: 'not-serving', objects: [deployment('w', [{ name: 'w', image: 'acme/worker:1' }], { spec: { replicas: 4 } })] },
    { name: 'statefulset', objects: [{ ...deployment('s', [javaContainer()], { spec: { replicas: 4 } }), kind: 'StatefulSet' }] },
  ],
};
