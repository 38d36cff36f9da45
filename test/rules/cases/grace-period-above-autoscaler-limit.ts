import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: '601', objects: [deployment('a', [javaContainer()], { pod: { terminationGracePeriodSeconds: 601 } })], expect: ['601 s', '600 s'], path: 'spec.template.spec.terminationGracePeriodSeconds' },
    { name: 'any-workload', objects: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { spec: { terminationGracePeriodSeconds: 3600, containers: [{ name: 'p', image: 'postgres:16' }] } } } }] },
  ],
  pass: [
    { name: '600', objects: [deployment('a', [javaContainer()], { pod: { terminationGracePeriodSeconds: 600 } })] },
    { name: 'job', objects: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { terminationGracePeriodSeconds: 900, containers: [javaContainer()] } } } }] },
  ],
};
