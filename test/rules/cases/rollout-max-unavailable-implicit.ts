import { deployment, javaContainer, RuleCases } from '../util';

const d = (spec: any) => [deployment('a', [javaContainer()], { spec })];

export const cases: RuleCases = {
  fail: [
    {
      name: 'default-at-3',
      objects: d({ replicas: 3 }),
      expect: ['maxUnavailable is not explicit: "25%" (not set: Kubernetes\' default) rounds down to 0 pods at 3 replicas', 'from 4 replicas it is 1 pod',
        'maxUnavailable: 0'],
      path: 'spec.strategy.rollingUpdate.maxUnavailable',
    },
    { name: 'default-at-1', objects: d({}), expect: ['at 1 replica (spec.replicas not set (default 1))'] },
    { name: 'percent-at-2', objects: d({ replicas: 2, strategy: { rollingUpdate: { maxUnavailable: '40%' } } }), expect: ['"40%"', 'from 3 replicas it is 1 pod'] },
    {
      name: 'hpa-scales-past-it',
      objects: [deployment('a', [javaContainer()]),
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, minReplicas: 2, maxReplicas: 6 } }],
      expect: ['HorizontalPodAutoscaler a scales it up to 6'],
    },
    { name: 'surge-0', objects: d({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 0 } } }), expect: ['maxUnavailable: 0 and maxSurge: 1'] },
  ],
  pass: [
    { name: 'explicit-0', objects: d({ replicas: 3, strategy: { rollingUpdate: { maxUnavailable: 0 } } }) },
    { name: 'explicit-0-percent', objects: d({ replicas: 3, strategy: { rollingUpdate: { maxUnavailable: '0%' } } }) },
    { name: 'four-is-the-other-rule', objects: d({ replicas: 4 }) },
    { name: 'explicit-pod-count', objects: d({ replicas: 2, strategy: { rollingUpdate: { maxUnavailable: 1 } } }) },
    { name: 'recreate', objects: d({ replicas: 2, strategy: { type: 'Recreate' } }) },
    { name: 'statefulset', objects: [{ ...deployment('s', [javaContainer()], { spec: { replicas: 2 } }), kind: 'StatefulSet' }] },
    { name: 'not-serving', objects: [deployment('w', [{ name: 'w', image: 'acme/worker:1' }], { spec: { replicas: 2 } })] },
  ],
};
