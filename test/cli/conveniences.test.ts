import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, FIXTURES, ROOT } from './cli';
import { sarifViolations } from './sarif-schema';
import { parseXml, XmlElement } from './xml';
import { formatReport, xmlEscape } from '../../src/cli/format';
import { FindingSeverity } from '../../src/finding';
import { Rules } from '../../src/rules/engine';

// Each test starts a real `cdk8s-graceful` process.
jest.setTimeout(30_000);

const BAD = fs.readFileSync(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), 'utf-8');

/**
 * A temporary repository: `<tmp>/outer/repo/.git`, `repo/app/deploy/bad.yaml`; `files` are written
 * relative to `<tmp>` first.
 */
function workspace(files: Record<string, string> = {}): { dir: string; repo: string; cwd: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-graceful-config-'));
  const repo = path.join(dir, 'outer', 'repo');
  const cwd = path.join(repo, 'app', 'deploy');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(path.join(cwd, 'bad.yaml'), BAD);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, repo, cwd, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function severities(stdout: string): Record<string, string> {
  return Object.fromEntries((JSON.parse(stdout) as any[]).map(f => [f.id, f.severity]));
}

describe('cdk8s-graceful rules', () => {
  test('lists every rule with its severity and title', () => {
    const res = cli(['rules']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+TITLE$/);
    const all = Rules.all();
    expect(lines.length).toBe(all.length + 1);
    all.forEach((r, i) => {
      expect(lines[i + 1]).toMatch(new RegExp(`^${r.id}\\s+${r.severity}\\s+`));
      expect(lines[i + 1].endsWith(r.title)).toBe(true);
    });
  });

  test('--format json gives every field', () => {
    const res = cli(['rules', '--format', 'json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.map((r: any) => r.id)).toEqual(Rules.all().map(r => r.id));
    for (const r of out) {
      expect(Object.keys(r)).toEqual(['id', 'severity', 'title', 'description', 'remediation', 'docs']);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.docs).toMatch(/\/docs\/rules\.md#[a-z0-9-]+$/);
    }
  });

  test.each([
    [['rules', '--format', 'sarif'], /--format must be one of text, json; got 'sarif'/],
    [['rules', 'x.yaml'], /'rules' takes no input; got 'x\.yaml'/],
    [['rules', '--fail-on', 'error'], /unknown option '--fail-on'/],
    [['rules', '--format'], /--format needs a value/],
  ])('usage error %j', (args, message) => {
    const res = cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  test('is in --help', () => {
    expect(cli(['--help']).stdout).toMatch(/cdk8s-graceful rules \[--format text\|json\]/);
    expect(cli(['rules', '--help']).stdout).toMatch(/rules {9}list the rules/);
  });
});

describe('configuration file', () => {
  const base = ['audit', '--format', 'json', 'bad.yaml'];

  test('without a file the defaults apply', () => {
    const w = workspace();
    try {
      const res = cli(base, { cwd: w.cwd });
      expect(res.code).toBe(1);
      expect(severities(res.stdout)['prestop-missing']).toBe('error');
    } finally {
      w.done();
    }
  });

  test('found in the working directory, else the nearest parent, up to the repository root', () => {
    const w = workspace({
      'outer/.cdk8s-graceful.yaml': 'severity: { pdb-missing: error }\n', // above the repository root: never read
      'outer/repo/.cdk8s-graceful.yaml': 'severity: { prestop-missing: info }\n',
    });
    try {
      let res = cli(base, { cwd: w.cwd });
      expect(res.code).toBe(0); // the only error became info
      expect(severities(res.stdout)).toEqual({
        'prestop-missing': 'info',
        'pdb-missing': 'warning',
        'pid1-shell-may-not-exec': 'warning',
        'readiness-probe-missing': 'warning',
        'rollout-max-unavailable-implicit': 'info',
      });

      fs.writeFileSync(path.join(w.repo, 'app', '.cdk8s-graceful.yaml'), 'severity: { pdb-missing: info }\n');
      res = cli(base, { cwd: w.cwd });
      expect(res.code).toBe(1); // the nearest file wins, and only it is read
      expect(severities(res.stdout)).toMatchObject({ 'prestop-missing': 'error', 'pdb-missing': 'info' });

      fs.writeFileSync(path.join(w.cwd, '.cdk8s-graceful.yaml'), 'rules: { exclude: [pdb-missing] }\n');
      res = cli(base, { cwd: w.cwd });
      expect(Object.keys(severities(res.stdout)).sort()).toEqual(['pid1-shell-may-not-exec', 'prestop-missing', 'readiness-probe-missing', 'rollout-max-unavailable-implicit']);
    } finally {
      w.done();
    }
  });

  test('no repository: parents up to the filesystem root are searched', () => {
    const w = workspace({ 'outer/repo/app/.cdk8s-graceful.yaml': 'fail-on: none\n' });
    try {
      fs.rmSync(path.join(w.repo, '.git'), { recursive: true });
      expect(cli(base, { cwd: w.cwd }).code).toBe(0);
    } finally {
      w.done();
    }
  });

  test('--config names the file; --no-config ignores any', () => {
    const w = workspace({
      'other.yaml': 'severity: { pdb-missing: error }\n',
      'outer/repo/.cdk8s-graceful.yaml': 'fail-on: none\n',
    });
    try {
      let res = cli([...base, '--config', path.join(w.dir, 'other.yaml')], { cwd: w.cwd });
      expect(res.code).toBe(1); // fail-on of the found file does not apply
      expect(severities(res.stdout)['pdb-missing']).toBe('error');
      res = cli([...base, '--no-config'], { cwd: w.cwd });
      expect(res.code).toBe(1);
      expect(severities(res.stdout)['pdb-missing']).toBe('warning');
      expect(cli(base, { cwd: w.cwd }).code).toBe(0);
    } finally {
      w.done();
    }
  });

  test('a severity override reaches text, JSON, SARIF and --fail-on', () => {
    const w = workspace({ 'outer/repo/.cdk8s-graceful.yaml': 'severity:\n  prestop-missing: warning\n  pdb-missing: info\n' });
    try {
      const text = cli(['audit', 'bad.yaml'], { cwd: w.cwd });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^ {2}warning prestop-missing /m);
      expect(text.stdout).toMatch(/^ {2}info pdb-missing /m);
      expect(text.stdout).toMatch(/0 errors, 3 warnings, 2 info in 1 file/);

      expect(cli(['audit', '--fail-on', 'warning', 'bad.yaml'], { cwd: w.cwd }).code).toBe(1);

      const sarif = cli(['audit', '--format', 'sarif', 'bad.yaml'], { cwd: w.cwd });
      const log = JSON.parse(sarif.stdout);
      expect(sarifViolations(log)).toEqual([]);
      const run = log.runs[0];
      const level = (id: string) => run.results.find((r: any) => r.ruleId === id).level;
      expect(level('prestop-missing')).toBe('warning');
      expect(level('pdb-missing')).toBe('note');
      const rule = (id: string) => run.tool.driver.rules.find((r: any) => r.id === id);
      expect(rule('prestop-missing').defaultConfiguration.level).toBe('warning');
      expect(rule('pdb-missing').defaultConfiguration.level).toBe('note');
      expect(rule('pid1-shell-may-not-exec').defaultConfiguration.level).toBe('warning');

      const junit = parseXml(cli(['audit', '--format', 'junit', '--fail-on', 'warning', 'bad.yaml'], { cwd: w.cwd }).stdout);
      expect(junit.attributes.failures).toBe('1');
      const failure = junit.children[0].children[0].children.find(c => c.name === 'failure')!;
      expect(failure.text).toMatch(/^warning pid1-shell-may-not-exec/m);
      expect(failure.text).toMatch(/^warning prestop-missing/m);
      expect(failure.text).not.toMatch(/pdb-missing/);
    } finally {
      w.done();
    }
  });

  test('flags win over the file', () => {
    const w = workspace({
      'outer/repo/.cdk8s-graceful.yaml': 'fail-on: none\nrules:\n  include: [pdb-missing, prestop-missing]\n  exclude: [prestop-missing]\n',
    });
    try {
      let res = cli(base, { cwd: w.cwd });
      expect(res.code).toBe(0);
      expect(Object.keys(severities(res.stdout))).toEqual(['pdb-missing']);
      // --fail-on replaces fail-on
      expect(cli([...base, '--fail-on', 'warning'], { cwd: w.cwd }).code).toBe(1);
      // --rules replaces rules.include, and a rule it names runs even though the file excludes it
      res = cli([...base, '--rules', 'prestop-missing,pid1-shell-may-not-exec'], { cwd: w.cwd });
      expect(Object.keys(severities(res.stdout)).sort()).toEqual(['pid1-shell-may-not-exec', 'prestop-missing']);
      // --exclude replaces rules.exclude
      res = cli([...base, '--exclude', 'pdb-missing'], { cwd: w.cwd });
      expect(Object.keys(severities(res.stdout))).toEqual(['prestop-missing']);
    } finally {
      w.done();
    }
  });

  test.each([
    ['rulez: {}\n', /\.cdk8s-graceful\.yaml: rulez: unknown key \(known: rules, severity, fail-on\)/],
    ['rules: { only: [pdb-missing] }\n', /\.cdk8s-graceful\.yaml: rules\.only: unknown key \(known: include, exclude\)/],
    ['rules: { exclude: [no-such-rule] }\n', /\.cdk8s-graceful\.yaml: rules\.exclude: unknown rule id 'no-such-rule' \(known: prestop-missing/],
    ['rules: { include: pdb-missing }\n', /rules\.include: must be a list of rule ids/],
    ['rules: [pdb-missing]\n', /\.cdk8s-graceful\.yaml: rules: must be a mapping/],
    ['severity: { no-such-rule: info }\n', /\.cdk8s-graceful\.yaml: severity\.no-such-rule: unknown rule id 'no-such-rule'/],
    ['severity: { pdb-missing: fatal }\n', /severity\.pdb-missing: must be one of error, warning, info; got "fatal"/],
    ['fail-on: sometimes\n', /\.cdk8s-graceful\.yaml: fail-on: must be one of error, warning, info, none; got "sometimes"/],
    ['- a list\n', /\.cdk8s-graceful\.yaml: must be a mapping/],
    ['severity: {\n', /\.cdk8s-graceful\.yaml: not valid YAML/],
    ['fail-on: none\nfail-on: error\n', /\.cdk8s-graceful\.yaml: not valid YAML/],
  ])('%j is an error naming the file and the key (exit 2)', (text, message) => {
    const w = workspace({ 'outer/repo/.cdk8s-graceful.yaml': text });
    try {
      const res = cli(base, { cwd: w.cwd });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toMatch(/^cdk8s-graceful: \.\.\/\.\.\/\.cdk8s-graceful\.yaml: /);
      expect(res.stdout).toBe('');
    } finally {
      w.done();
    }
  });

  test('an empty file changes nothing; --no-config skips a broken one', () => {
    const w = workspace({ 'outer/repo/.cdk8s-graceful.yaml': '# nothing yet\n' });
    try {
      expect(severities(cli(base, { cwd: w.cwd }).stdout)['prestop-missing']).toBe('error');
      fs.writeFileSync(path.join(w.repo, '.cdk8s-graceful.yaml'), 'nonsense: true\n');
      expect(cli([...base, '--no-config'], { cwd: w.cwd }).code).toBe(1);
    } finally {
      w.done();
    }
  });

  test.each([
    [['--config', 'missing.yaml'], /cdk8s-graceful: missing\.yaml: no such file/],
    [['--config', 'x.yaml', '--no-config'], /--config and --no-config exclude each other/],
    [['--no-config=yes'], /--no-config takes no value/],
    [['--config'], /--config needs a value/],
  ])('%j (exit 2)', (args, message) => {
    const w = workspace();
    try {
      const res = cli(['audit', 'bad.yaml', ...args], { cwd: w.cwd });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
    } finally {
      w.done();
    }
  });

  test('the repository itself has no configuration file that would change the other tests', () => {
    expect(fs.existsSync(path.join(ROOT, '.cdk8s-graceful.yaml'))).toBe(false);
  });
});

describe('JUnit output', () => {
  const testcases = (suite: XmlElement) => suite.children.filter(c => c.name === 'testcase');

  test('one test suite per file, one test case per object; failures at or above --fail-on', () => {
    const res = cli(['audit', '--format', 'junit', 'bad', 'good', 'app']);
    expect(res.code).toBe(1);
    const root = parseXml(res.stdout);
    expect(root.name).toBe('testsuites');
    const suites = root.children;
    expect(suites.every(s => s.name === 'testsuite')).toBe(true);
    expect(suites.map(s => s.attributes.name)).toEqual([...suites.map(s => s.attributes.name)].sort());
    expect(suites.map(s => s.attributes.name)).toEqual(expect.arrayContaining(['bad/shell-wrapper.yaml', 'good/orders.yaml']));
    let tests = 0;
    let failures = 0;
    for (const s of suites) {
      const cases = testcases(s);
      expect(s.attributes.tests).toBe(String(cases.length));
      expect(s.attributes.failures).toBe(String(cases.filter(c => c.children.some(x => x.name === 'failure')).length));
      for (const c of cases) expect(c.attributes.classname).toBe(s.attributes.name);
      tests += cases.length;
      failures += Number(s.attributes.failures);
    }
    expect(root.attributes.tests).toBe(String(tests));
    expect(root.attributes.failures).toBe(String(failures));

    const bad = suites.find(s => s.attributes.name === 'bad/shell-wrapper.yaml')!;
    const names = testcases(bad).map(c => c.attributes.name);
    expect(names).toContain('Deployment/payments -n shop');
    const payments = testcases(bad).find(c => c.attributes.name === 'Deployment/payments -n shop')!;
    const failure = payments.children.find(c => c.name === 'failure')!;
    expect(failure.attributes.type).toBe('prestop-missing');
    expect(failure.attributes.message).toMatch(/^error prestop-missing spec\.template\.spec\.containers\[0\]\.lifecycle\.preStop \(line 20\): container 'app'/);
    expect(failure.text).toMatch(/\n {2}fix: add lifecycle\.preStop\.exec/);
    // warnings below --fail-on error are reported, not failed
    const out = payments.children.find(c => c.name === 'system-out')!;
    expect(out.text).toMatch(/^warning pdb-missing/m);
    expect(out.text).toMatch(/^warning pid1-shell-may-not-exec/m);

    // a passing object is a test case too
    const good = suites.find(s => s.attributes.name === 'good/orders.yaml')!;
    expect(testcases(good).length).toBeGreaterThan(0);
    expect(testcases(good).every(c => c.children.length === 0)).toBe(true);
  });

  test('--fail-on none: no failures, exit 0', () => {
    const res = cli(['audit', '--format', 'junit', '--fail-on', 'none', 'bad']);
    expect(res.code).toBe(0);
    expect(parseXml(res.stdout).attributes.failures).toBe('0');
  });

  test('skipped files are skipped test cases', () => {
    const res = cli(['audit', '--format', 'junit', 'helm']);
    const root = parseXml(res.stdout);
    const skipped = root.children.flatMap(testcases).filter(c => c.children.some(x => x.name === 'skipped'));
    expect(skipped.length).toBeGreaterThan(0);
    expect(root.attributes.skipped).toBe(String(skipped.length));
  });

  test('everything is escaped, credentials are redacted', () => {
    const nasty = 'a<b>&"c\' \u0001\u0008 \uD800 ]]> <!-- x -->';
    const xml = formatReport({
      findings: [{
        finding: {
          id: 'prestop-missing',
          severity: FindingSeverity.ERROR,
          message: `${nasty} NACOS_PASSWORD=hunter2`,
          remediation: `${nasty} curl -u admin:s3cret http://x`,
          path: nasty,
          object: { kind: 'Deployment', name: nasty, file: `${nasty}.yaml` },
        },
        file: `${nasty}.yaml`,
        line: 3,
      }, {
        finding: { id: 'pdb-missing', severity: FindingSeverity.WARNING, message: 'token=abc123', remediation: 'r' },
      }],
      rules: [],
      skipped: [{ file: `${nasty}.yml`, line: 1, reason: `${nasty} NACOS_PASSWORD=x1` }],
      fileCount: 2,
      files: [`${nasty}.yaml`, `${nasty}.yml`],
      judged: [{ file: `${nasty}.yaml`, object: `Deployment/${nasty}` }],
    }, 'junit');
    const root = parseXml(xml);
    expect(xml).not.toMatch(/hunter2|s3cret|abc123|x1/);
    const all = (e: XmlElement): XmlElement[] => [e, ...e.children.flatMap(all)];
    const failure = all(root).find(e => e.name === 'failure')!;
    expect(failure.attributes.message).toContain('a<b>&"c\'  ');
    expect(failure.text).toContain('NACOS_PASSWORD=<redacted>');
    expect(all(root).filter(e => e.name === 'testsuite').map(s => s.attributes.name)).toEqual(
      [`${nasty.replace(/[\u0001\u0008\uD800]/g, '')}.yaml`, `${nasty.replace(/[\u0001\u0008\uD800]/g, '')}.yml`, '(no file)']);
  });

  test('xmlEscape', () => {
    expect(xmlEscape('<a href="x">&\'\n\t\u0000')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;&#9;');
  });
});

test('the pre-commit hook runs the audit on YAML files and Dockerfiles', () => {
  const hooks = fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf-8');
  expect(hooks).toMatch(/^- id: cdk8s-graceful-audit$/m);
  expect(hooks).toMatch(/^ {2}entry: cdk8s-graceful audit$/m);
  const files = new RegExp(/^ {2}files: '(.*)'$/m.exec(hooks)![1]);
  for (const f of ['k8s/deploy.yaml', 'a.yml', 'Dockerfile', 'svc/Dockerfile.prod', 'api.Dockerfile', 'Containerfile']) expect(f).toMatch(files);
  for (const f of ['README.md', 'Dockerfile.md.txt/x.json', 'src/main.ts']) expect(f).not.toMatch(files);
});
