import { deployment, javaContainer, RuleCases } from '../util';

const app = (replicas: number) => deployment('pay', [javaContainer()], { spec: { replicas } });
const pdb = (spec: any) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pay-pdb' }, spec: { selector: { matchLabels: { app: 'pay' } }, ...spec } });

export const cases: RuleCases = {
  fail: [
    {
      name: 'max-unavailable-0',
      objects: [app(3), pdb({ maxUnavailable: 0 })],
      expect: ['PodDisruptionBudget pay-pdb (maxUnavailable 0) selects Deployment pay with 3 replicas', 'allows 0 disruptions', 'set maxUnavailable: 1', '2 of 3 pods'],
      path: 'spec.maxUnavailable',
    },
    { name: 'min-available-equals-replicas', objects: [app(2), pdb({ minAvailable: 2 })], expect: ['minAvailable 2', 'replace minAvailable with maxUnavailable: 1'] },
    { name: 'min-available-100-percent', objects: [app(4), pdb({ minAvailable: '100%' })], expect: ['"100%"'] },
    { name: 'max-unavailable-0-percent', objects: [app(2), pdb({ maxUnavailable: '0%' })] },
    { name: 'single-replica', objects: [app(1), pdb({ minAvailable: 1 })], expect: ['run at least 2 replicas of Deployment pay'] },
  ],
  pass: [
    { name: 'one-allowed', objects: [app(3), pdb({ maxUnavailable: 1 })] },
    { name: 'min-below-replicas', objects: [app(3), pdb({ minAvailable: 2 })] },
    { name: 'percent-below', objects: [app(4), pdb({ minAvailable: '50%' })] },
    { name: 'selects-nothing-of-the-input', objects: [app(2), { ...pdb({ maxUnavailable: 0 }), spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'other' } } } }] },
    { name: 'database', objects: [deployment('pay', [{ name: 'db', image: 'postgres:16', ports: [{ containerPort: 5432 }] }], { spec: { replicas: 1 } }), pdb({ minAvailable: 1 })] },
  ],
};
