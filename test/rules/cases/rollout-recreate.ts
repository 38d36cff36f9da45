import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'recreate',
      objects: [deployment('a', [javaContainer()], { spec: { replicas: 3, strategy: { type: 'Recreate' } } })],
      expect: ['stops all 3 pods (spec.replicas 3)', '{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}'],
      path: 'spec.strategy.type',
    },
    {
      name: 'recreate-with-claim',
      objects: [deployment('a', [javaContainer()], { spec: { strategy: { type: 'Recreate' } }, pod: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } })],
      expect: ['PersistentVolumeClaim data', 'may be deliberate', 'once the volume allows two pods'],
    },
  ],
  pass: [
    { name: 'rolling', objects: [deployment('a', [javaContainer()], { spec: { strategy: { type: 'RollingUpdate' } } })] },
    { name: 'default', objects: [deployment('a', [javaContainer()])] },
    { name: 'database', objects: [deployment('db', [{ name: 'db', image: 'mysql:8', ports: [{ containerPort: 3306 }] }], { spec: { strategy: { type: 'Recreate' } } })] },
  ],
};
