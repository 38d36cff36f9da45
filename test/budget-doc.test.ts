import * as fs from 'fs';
import * as path from 'path';
import { BUDGET_DOC, BUDGET_DOC_COMMAND, BUDGET_DOC_EXAMPLES, beyondP99Percent, budgetExample, derivedNumbers, expectedBudgetDocs } from '../scripts/gen-budget-doc';

test('the numbers in docs/shutdown-budget.md and the example READMEs are the examples\' synthesized numbers', () => {
  for (const [file, expected] of expectedBudgetDocs()) {
    if (fs.readFileSync(file, 'utf-8') !== expected) {
      throw new Error(`${path.relative(path.join(__dirname, '..'), file)} is out of date with the examples' YAML: `
        + `regenerate it with \`${BUDGET_DOC_COMMAND}\` (after the golden YAML) and commit it`);
    }
  }
});

test('docs/shutdown-budget.md works through a Nacos, a Kubernetes-only and a Consul service', () => {
  const doc = fs.readFileSync(BUDGET_DOC, 'utf-8');
  expect(BUDGET_DOC_EXAMPLES).toEqual(['nacos', 'spring-boot', 'consul']);
  for (const name of BUDGET_DOC_EXAMPLES) {
    expect(doc).toContain(`From [examples/${name}](../examples/${name}) as synthesized`);
  }
  // the reasoning's figure is the same arithmetic as the generated one
  expect(doc).toContain('for `n = 60`');
  expect(Math.round(beyondP99Percent(60))).toBe(45);
});

test('why p99 is not a bound: 1 − 0.99^n', () => {
  expect(beyondP99Percent(1)).toBe(1);
  expect(beyondP99Percent(60)).toBe(45.3);
  expect(beyondP99Percent(200)).toBe(86.6);
});

test('the generated sections are built from the annotations, and say so when one is missing', () => {
  const a = {
    'graceful.cdk8s.io/drain': 'max(longest request 30s (default), p99 1s, queue ceil(C95 12 / T 4) = 3 × avg 40ms = 120ms) = 30s → 30s',
    'graceful.cdk8s.io/propagation': 'max(kubernetes-endpoints 10s) = 10s',
    'graceful.cdk8s.io/pre-stop': 'deregistration 0s + propagation 10s = 10s',
    'graceful.cdk8s.io/minimum-grace-period': 'max(… = 55s) = 55s',
  };
  expect(budgetExample('x', a)).toContain('1 − 0.99^12 = 11.4 %');
  expect(derivedNumbers(a)).toContain('- grace period: max(… = 55s) = 55s');
  expect(() => derivedNumbers({})).toThrow(/no graceful\.cdk8s\.io\/pre-stop annotation/);
});
