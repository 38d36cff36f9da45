/**
 * The rules' example files (rules/examples/<rule-id>/), over the registry of rules: every rule has a fail and
 * a pass file, no folder is without a rule, every fail file is reported by its rule and every pass file is
 * clean for it. The same files are `Rule.examples` and the catalogue's snippets (docs/rules.md), and they
 * ship in the npm package.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, FindingSeverity, Rule, Rules } from '../../src';
import { GracefulConfigError } from '../../src/errors';
import { exampleInput, isDockerfileExample } from '../../src/rules/catalogue';
import { audit } from '../../src/rules/engine';
import { EXAMPLE_FILE_NAME, exampleFiles, EXAMPLES_DIR, readExamples } from '../../src/rules/example-files';

const ROOT = path.join(__dirname, '..', '..');
const rules = Rules.all();
const files = rules.flatMap(r => exampleFiles(r.id).map(f => ({ id: r.id, file: `${r.id}/${f.name}`, ...f })));

function findingsOf(rule: Rule, file: string): Finding[] {
  return audit(exampleInput(fs.readFileSync(file, 'utf8'), path.basename(file).replace(/\.(yaml|Dockerfile)$/, '')), { rules: [rule] });
}

test('the folder is rules/examples at the root, the same from src/rules and from the compiled lib/rules', () => {
  expect(path.relative(ROOT, EXAMPLES_DIR).split(path.sep).join('/')).toBe('rules/examples');
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions;
  expect({ rootDir: tsconfig.rootDir, outDir: tsconfig.outDir }).toEqual({ rootDir: 'src', outDir: 'lib' });
});

test('every rule has at least one fail and one pass file, and exactly one fail.* and one pass.* for the catalogue', () => {
  for (const r of rules) {
    const kinds = exampleFiles(r.id).map(f => f.kind);
    expect({ id: r.id, fail: kinds.includes('fail'), pass: kinds.includes('pass') }).toEqual({ id: r.id, fail: true, pass: true });
    expect(() => readExamples(r.id)).not.toThrow();
  }
});

test('no folder without a rule, and no file with a name the tests would not run', () => {
  const ids = rules.map(r => r.id);
  for (const entry of fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true })) {
    expect({ folder: entry.name, isFolder: entry.isDirectory(), hasRule: ids.includes(entry.name) })
      .toEqual({ folder: entry.name, isFolder: true, hasRule: true });
    for (const name of fs.readdirSync(path.join(EXAMPLES_DIR, entry.name))) {
      const file = `${entry.name}/${name}`;
      expect({ file, named: EXAMPLE_FILE_NAME.test(name) }).toEqual({ file, named: true });
    }
  }
});

test.each(files.filter(f => f.kind === 'fail').map(f => ({ ...f })))('$file is reported by its rule', ({ id, path: file }) => {
  const rule = Rules.byId(id)!;
  const found = findingsOf(rule, file);
  expect(found.length).toBeGreaterThan(0);
  for (const f of found) {
    expect({ id: f.id, severity: f.severity }).toEqual({ id, severity: rule.severity });
    expect(f.object?.name).toBeTruthy();
    expect(f.path).toBeTruthy();
  }
});

test.each(files.filter(f => f.kind === 'pass').map(f => ({ ...f })))('$file is clean for its rule', ({ id, path: file }) => {
  expect(findingsOf(Rules.byId(id)!, file).map(f => `${f.path} ${f.message}`)).toEqual([]);
});

test.each(files.map(f => ({ ...f })))('$file is what its extension says (the catalogue labels it by content)', ({ path: file, dockerfile }) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(isDockerfileExample(text)).toBe(dockerfile);
  expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
});

test('Rule.examples of a built-in rule is the text of its fail.* and pass.* files', () => {
  for (const r of rules) {
    const dir = path.join(EXAMPLES_DIR, r.id);
    const text = (kind: string) => fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(n => n === `${kind}.yaml` || n === `${kind}.Dockerfile`)!), 'utf8');
    expect(r.examples).toEqual({ fail: text('fail'), pass: text('pass') });
  }
});

describe('a rule written outside the library', () => {
  class Custom extends Rule {
    constructor(id: string, examples?: { fail: string; pass: string }) {
      super({ id, severity: FindingSeverity.INFO, title: 't', description: 'd', remediation: 'r', examples });
    }
    public check(): Finding[] {
      return [];
    }
  }

  test('keeps the examples it passes inline, even under a built-in rule\'s id', () => {
    expect(new Custom('my-rule', { fail: 'a: 1\n', pass: 'a: 2\n' }).examples).toEqual({ fail: 'a: 1\n', pass: 'a: 2\n' });
    expect(new Custom('single-replica', { fail: 'f', pass: 'p' }).examples).toEqual({ fail: 'f', pass: 'p' });
  });

  test('without examples and without a folder: constructed fine, and asking for its examples says what to do', () => {
    const rule = new Custom('no-examples-here');
    expect(() => rule.examples).toThrow(GracefulConfigError);
    expect(() => rule.examples).toThrow(/'examples' \(not given\) and .*no-examples-here has no fail\.yaml or fail\.Dockerfile\. Fix: pass examples: \{ fail, pass \}/);
  });
});

test('the npm package ships every example file where lib/rules looks for it', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const packed = new Set<string>(JSON.parse(out)[0].files.map((f: { path: string }) => f.path));
  const missing = files.map(f => `rules/examples/${f.file}`).filter(p => !packed.has(p));
  expect(missing).toEqual([]);
  expect(files.length).toBeGreaterThanOrEqual(2 * rules.length);
});
