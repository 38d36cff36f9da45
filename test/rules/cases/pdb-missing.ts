import { deployment, javaContainer, RuleCases } from '../util';

const app = (replicas: number, ns?: string) => {
  const d = deployment('pay', [javaContainer()], { spec: { replicas } });
  if (ns) d.metadata.namespace = ns;
  return d;
};
const service = (ns?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'pay', ...(ns ? { namespace: ns } : {}) }, spec: { selector: { app: 'pay' } } });
const pdb = (selector: any, ns?: string) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', ...(ns ? { namespace: ns } : {}) }, spec: { maxUnavailable: 1, selector } });

export const cases: RuleCases = {
  fail: [
    { name: 'service-in-input', objects: [app(3), service()], expect: ['runs 3 replicas', 'one may live in a file or chart the audit was not given', 'matchLabels {app: pay} and maxUnavailable: 1 (2 of 3 pods'], path: 'spec.selector' },
    { name: 'deployment-alone', objects: [app(3)], expect: ['the input holds no PodDisruptionBudget'] },
    { name: 'generic-workload', objects: [deployment('gw', [{ name: 'gw', image: 'acme/gw:1', ports: [{ containerPort: 14001 }] }], { spec: { replicas: 2 } })] },
    { name: 'other-pdb-in-namespace', objects: [app(2), pdb({ matchLabels: { app: 'other' } })], expect: ['1 PodDisruptionBudget in its namespace, none selecting it'] },
    { name: 'pdb-in-other-namespace', objects: [app(2, 'shop'), service('shop'), pdb({ matchLabels: { app: 'pay' } }, 'billing')] },
  ],
  pass: [
    { name: 'pdb-selects', objects: [app(3), service(), pdb({ matchLabels: { app: 'pay' } })] },
    { name: 'pdb-expression', objects: [app(3), pdb({ matchExpressions: [{ key: 'app', operator: 'In', values: ['pay', 'x'] }] })] },
    { name: 'not-serving', objects: [deployment('w', [{ name: 'w', image: 'acme/worker:1' }], { spec: { replicas: 3 } })] },
    { name: 'single-replica-is-the-other-rule', objects: [app(1), service()] },
    { name: 'not-java', objects: [{ ...deployment('pay', [{ name: 'n', image: 'nginx', ports: [{ containerPort: 80 }] }], { spec: { replicas: 3 } }) }, service()] },
  ],
};
