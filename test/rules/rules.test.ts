/**
 * Every rule against its pass and fail fixtures (test/rules/cases/<rule-id>.ts) and its catalogue examples.
 * Meta checks: every rule has fixtures of both kinds, and every finding names its object, a path, a message
 * and a remediation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Fixture, findingsOf, RuleCases } from './util';
import { Finding, FindingSeverity, Rules } from '../../src/rules';
import { exampleInput } from '../../src/rules/catalogue';
import { audit } from '../../src/rules/engine';

const rules = Rules.all();

function casesOf(id: string): RuleCases {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./cases/${id}`).cases;
}

function describeFinding(f: Finding): string {
  return `${f.path ?? ''} ${f.message} ${f.remediation}`;
}

function expectWellFormed(f: Finding, ruleId: string): void {
  expect(f.id).toBe(ruleId);
  expect(Object.values(FindingSeverity)).toContain(f.severity);
  expect(f.object?.kind).toBeTruthy();
  expect(f.object?.name).toBeTruthy();
  expect(f.path).toBeTruthy();
  expect(f.message.length).toBeGreaterThan(20);
  expect(f.remediation.length).toBeGreaterThan(10);
}

test('every rule has a fixture file with pass and fail cases, and no fixture file is orphaned', () => {
  const files = fs.readdirSync(path.join(__dirname, 'cases')).map(f => f.replace(/\.ts$/, '')).sort();
  expect(files).toEqual(rules.map(r => r.id).sort());
  for (const r of rules) {
    const c = casesOf(r.id);
    expect({ id: r.id, pass: c.pass.length > 0, fail: c.fail.length > 0 }).toEqual({ id: r.id, pass: true, fail: true });
  }
});

describe.each(rules.map(r => ({ id: r.id })))('$id', ({ id }) => {
  const c = casesOf(id);
  const rule = Rules.byId(id)!;

  test.each(c.fail.map(f => ({ f, name: f.name })))('reports: $name', ({ f }: { f: Fixture }) => {
    const found = findingsOf(id, f);
    expect(found.length).toBeGreaterThan(0);
    if (f.count !== undefined) expect(found).toHaveLength(f.count);
    for (const x of found) {
      expectWellFormed(x, id);
      expect(x.severity).toBe(rule.severity);
    }
    if (f.path !== undefined) expect(found[0].path).toBe(f.path);
    const text = found.map(describeFinding).join('\n');
    for (const e of f.expect ?? []) {
      if (typeof e === 'string') expect(text).toContain(e);
      else expect(text).toMatch(e);
    }
  });

  test.each(c.pass.map(f => ({ f, name: f.name })))('does not report: $name', ({ f }: { f: Fixture }) => {
    expect(findingsOf(id, f).map(describeFinding)).toEqual([]);
  });

  test('its catalogue examples fail and pass it', () => {
    const fail = audit(exampleInput(rule.examples.fail), { rules: [rule] });
    const pass = audit(exampleInput(rule.examples.pass), { rules: [rule] });
    expect(fail.length).toBeGreaterThan(0);
    expect(pass.map(describeFinding)).toEqual([]);
  });
});

test('no rule throws on odd input', () => {
  const odd = [null, 42, 'text', [], {}, { kind: 'Deployment' }, { kind: 'Deployment', spec: { template: { spec: { containers: 'x' } } } },
    { kind: 'Deployment', metadata: { name: { templated: true } }, spec: { template: { spec: { containers: [null, 1, { name: 'a', env: 'x', lifecycle: { preStop: 'x' } }] } } } },
    { kind: 'Pod', spec: { containers: [{ name: 'a', command: 'java', args: [1, { a: 1 }], lifecycle: { preStop: { exec: { command: [] } } } }] } },
    { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'eclipse-temurin' }] } } } } } },
    { kind: 'List', items: [null, { kind: 'Service' }] }];
  expect(() => audit({ documents: odd.map(object => ({ object })), dockerfiles: [{ file: 'D', content: '' }, { file: 'E', content: 'FROM\nCMD\nENTRYPOINT [' }] })).not.toThrow();
});
