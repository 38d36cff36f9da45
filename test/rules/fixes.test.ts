/**
 * Structured fixes (Finding.fix): on every fail input of every rule (its cases and its example files), the
 * fixes of the rule's findings are applied to the objects and the input is audited again with every rule: the
 * rule no longer reports the fixed objects, and no rule reports anything it did not report before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { input, RuleCases } from './util';
import { AuditInput, Finding, Rules } from '../../src/rules';
import { exampleInput } from '../../src/rules/catalogue';
import { audit } from '../../src/rules/engine';
import { applyFixes } from '../../src/rules/serving';

const EXAMPLES = path.join(__dirname, '..', '..', 'rules', 'examples');

function casesOf(id: string): RuleCases {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./cases/${id}`).cases;
}

function failInputs(id: string): [string, AuditInput][] {
  const dir = path.join(EXAMPLES, id);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.startsWith('fail') && f.endsWith('.yaml')) : [];
  return [
    ...files.map((f): [string, AuditInput] => [`rules/examples/${id}/${f}`, exampleInput(fs.readFileSync(path.join(dir, f), 'utf8'), f)]),
    ...casesOf(id).fail.filter(f => f.dockerfile === undefined).map((f): [string, AuditInput] => [`case ${f.name}`, input(f)]),
  ];
}

const key = (f: Finding) => `${f.id} ${f.object?.kind}/${f.object?.name} ${f.object?.file}#${f.object?.index} ${f.path}`;

function fixed(given: AuditInput, findings: Finding[]): AuditInput {
  return {
    ...given,
    documents: given.documents.map(d => {
      const fixes = findings.filter(f => f.object?.file === d.file && f.object?.index === d.index).flatMap(f => f.fix ?? []);
      return fixes.length === 0 ? d : { ...d, object: applyFixes(d.object, fixes) };
    }),
  };
}

const rows = Rules.all().flatMap(rule => failInputs(rule.id).map(([name, given]) => ({ id: rule.id, name, given })));
const withFixes = rows.filter(r => audit(r.given).some(f => f.id === r.id && f.fix !== undefined));

test('the rules touched by the tier-1 work carry structured fixes on their fail inputs', () => {
  const ids = new Set(withFixes.map(r => r.id));
  for (const id of ['prestop-missing', 'grace-below-prestop-and-shutdown', 'prestop-over-80-percent-of-grace', 'rollout-max-unavailable',
    'rollout-max-unavailable-implicit', 'rollout-recreate', 'pdb-blocks-disruption', 'liveness-delay-without-startup-probe',
    'readiness-probe-missing', 'shell-less-image-runs-shell']) {
    expect([id, ids.has(id)]).toEqual([id, true]);
  }
});

test.each(withFixes.map(r => [r.id, r.name, r]))('%s, %s: the fix clears the rule and sets off no other', (_id, _name, r) => {
  const before = audit(r.given);
  const applied = before.filter(f => f.id === r.id && f.fix !== undefined);
  const after = audit(fixed(r.given, applied));
  const fixedObjects = new Set(applied.map(f => `${f.object?.file}#${f.object?.index}`));
  expect(after.filter(f => f.id === r.id && fixedObjects.has(`${f.object?.file}#${f.object?.index}`)).map(f => f.message)).toEqual([]);
  const old = new Set(before.map(key));
  expect(after.filter(f => !old.has(key(f))).map(f => `${f.id}: ${f.message}`)).toEqual([]);
});

test('applyFixes sets nested values, creates missing mappings, removes on null, leaves the input alone', () => {
  const o = { spec: { minAvailable: 2, template: { spec: { containers: [{ name: 'a' }] } } } };
  const out = applyFixes(o, [
    { path: 'spec.template.spec.containers[0].lifecycle.preStop', value: { sleep: { seconds: 10 } } },
    { path: 'spec.minAvailable', value: null },
    { path: 'spec.maxUnavailable', value: 1 },
  ]);
  expect(out).toEqual({ spec: { maxUnavailable: 1, template: { spec: { containers: [{ name: 'a', lifecycle: { preStop: { sleep: { seconds: 10 } } } }] } } } });
  expect(o.spec.minAvailable).toBe(2);
});
