import { deployment, javaContainer, RuleCases } from '../util';

const annotated = (annotations: any, where: 'metadata' | 'template' = 'metadata') =>
  [deployment('a', [javaContainer()], where === 'metadata' ? { metadata: { annotations } } : { template: { annotations } })];

export const cases: RuleCases = {
  fail: [
    { name: 'empty-reason', objects: annotated({ 'graceful.cdk8s.io/suppress-single-replica': '' }), expect: ['empty reason'], path: 'metadata.annotations["graceful.cdk8s.io/suppress-single-replica"]' },
    { name: 'blank-reason-on-template', objects: annotated({ 'graceful.cdk8s.io/suppress-prestop-missing': '  ' }, 'template'), path: 'spec.template.metadata.annotations["graceful.cdk8s.io/suppress-prestop-missing"]' },
    { name: 'unknown-rule', objects: annotated({ 'graceful.cdk8s.io/suppress-prestop-mising': 'typo' }), expect: ['\'prestop-mising\', which is not a rule'] },
  ],
  pass: [
    { name: 'with-reason', objects: annotated({ 'graceful.cdk8s.io/suppress-single-replica': 'singleton scheduler' }) },
    { name: 'other-annotations', objects: annotated({ 'graceful.cdk8s.io/drain': 'x' }) },
  ],
};
