import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, FIXTURES, ROOT } from './cli';
import { sarifViolations } from './sarif-schema';

// Each test starts a real `cdk8s-graceful` process (ts-node on the sources).
jest.setTimeout(30_000);

describe('usage: exit code 2', () => {
  test.each([
    [[], /Usage: cdk8s-graceful audit/],
    [['audit'], /no input/],
    [['lint', '.'], /unknown command 'lint'/],
    [['audit', '--formats', 'json', '.'], /unknown option '--formats'/],
    [['audit', '--format', 'xml', '.'], /--format must be one of text, json, json-report, sarif, junit; got 'xml'/],
    [['audit', '--format'], /--format needs a value/],
    [['audit', '--fail-on=fatal', '.'], /--fail-on must be one of error, warning, info, none; got 'fatal'/],
    [['audit', '--rules', 'no-such-rule', '.'], /unknown rule id 'no-such-rule'/],
    [['audit', '-', '-'], /standard input \(-\) can be given only once/],
    [['audit', 'good', 'missing.yaml'], /missing\.yaml: no such file or directory/],
  ])('%j', (args, message) => {
    const res = cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/cdk8s-graceful: internal error|\n\s+at \S+ \(/);
    expect(res.stdout).toBe('');
  });

  test('an unreadable file named on the command line', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unreadable-'));
    try {
      const file = path.join(dir, 'secret.yaml');
      fs.writeFileSync(file, 'kind: ConfigMap\n');
      fs.chmodSync(file, 0o000);
      const res = cli(['audit', file]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/secret\.yaml: cannot read \(permission denied\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a directory with nothing to audit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    try {
      fs.writeFileSync(path.join(dir, 'README.md'), '# nothing\n');
      const res = cli(['audit', dir]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/nothing to audit/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('--help and --version exit 0', () => {
  const help = cli(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: cdk8s-graceful audit/);
  expect(help.stdout).toMatch(/--fail-on/);
  expect(cli(['audit', '--help']).stdout).toBe(help.stdout);
  const version = cli(['--version']);
  expect(version.code).toBe(0);
  expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version}\n`);
});

test('a file with no Kubernetes workload: exit 0, "no findings"', () => {
  const res = cli(['audit', 'helm/values.yaml']);
  expect(res).toEqual({ code: 0, stdout: 'no findings in 1 file\n', stderr: '' });
});

test('a broken file next to good ones: one message for it on stderr, the others are audited', () => {
  const res = cli(['audit', '--format', 'json', '--fail-on', 'none', 'helm', 'good', 'ci']);
  expect(res.code).toBe(0);
  const lines = res.stderr.trim().split('\n');
  // in file order (ci/ before helm/), whatever order the inputs were given in
  expect(lines).toEqual([
    'cdk8s-graceful: ci/deployment.yaml:17: note: template placeholder `{{DOCKER_IMAGE}}` read as text; the audit sees the file as it is before CI substitutes it',
    expect.stringMatching(/^cdk8s-graceful: helm\/deployment\.yaml:\d+: skipped: .*unrendered Helm template .*helm template/),
  ]);
  expect(() => JSON.parse(res.stdout)).not.toThrow();
});

test('output is deterministic: the same input twice gives the same bytes, whatever the argument order', () => {
  const a = cli(['audit', '--format', 'sarif', '--fail-on', 'none', 'bad', 'app', 'good']);
  const b = cli(['audit', '--format', 'sarif', '--fail-on', 'none', 'good', 'bad', 'app']);
  expect(a.code).toBe(0);
  expect(b.stdout).toBe(a.stdout);
  expect(sarifViolations(JSON.parse(a.stdout))).toEqual([]);
});

test('stdin (-) is read as YAML and named <stdin>', () => {
  const yaml = fs.readFileSync(path.join(FIXTURES, 'helm', 'values.yaml'), 'utf-8')
    + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
  const res = cli(['audit', '-'], { input: yaml });
  expect(res).toEqual({ code: 0, stdout: 'no findings in 1 file\n', stderr: '' });
  const broken = cli(['audit', '-'], { input: 'kind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n' });
  expect(broken.code).toBe(0);
  expect(broken.stderr).toMatch(/^cdk8s-graceful: <stdin>:3: skipped: unrendered template placeholder/);
});

describe('findings and exit codes', () => {
  test('the library\'s own output (examples/spring-boot) is clean: exit 0', () => {
    const res = cli(['audit', '--fail-on', 'info', 'good']);
    expect(res).toEqual({ code: 0, stdout: 'no findings in 1 file\n', stderr: '' });
  });

  test('a shell-wrapped JVM without preStop: exit 1 with the error; --fail-on none: exit 0, same report', () => {
    const res = cli(['audit', 'bad/shell-wrapper.yaml']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^bad\/shell-wrapper\.yaml\n/);
    expect(res.stdout).toMatch(
      /\n {2}error prestop-missing Deployment\/payments -n shop spec\.template\.spec\.containers\[0\]\.lifecycle\.preStop \(line 20\): .*Nacos.*\n {4}fix: /);
    expect(res.stdout).toMatch(/\n {2}warning pid1-shell-may-not-exec Deployment\/payments -n shop spec\.template\.spec\.containers\[0\]\.command \(line 22\): /);
    expect(res.stdout).toMatch(/\n\d+ errors?, \d+ warnings?, \d+ info in 1 file\n$/);
    const none = cli(['audit', '--fail-on', 'none', 'bad/shell-wrapper.yaml']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(res.stdout);
  });

  test('--fail-on warning fails on a warning-only file; --exclude takes the rule away', () => {
    expect(cli(['audit', 'ci']).code).toBe(0);
    expect(cli(['audit', '--fail-on', 'warning', 'ci']).code).toBe(1);
    expect(cli(['audit', '--fail-on', 'warning', '--exclude', 'pid1-shell-may-not-exec', 'ci']).code).toBe(0);
  });

  test('json: the same findings as text, with file and line', () => {
    const res = cli(['audit', '--format', 'json', 'bad']);
    expect(res.code).toBe(1);
    const findings = JSON.parse(res.stdout);
    expect(findings).toContainEqual({
      file: 'bad/shell-wrapper.yaml',
      line: 20,
      id: 'prestop-missing',
      severity: 'error',
      object: { kind: 'Deployment', name: 'payments', namespace: 'shop' },
      path: 'spec.template.spec.containers[0].lifecycle.preStop',
      message: expect.stringContaining('no preStop hook'),
      remediation: expect.any(String),
      fix: [
        { path: 'spec.template.spec.containers[0].lifecycle.preStop', value: { exec: { command: ['sh', '-c', expect.stringMatching(/; sleep \d+$/)] } } },
        { path: 'spec.template.spec.terminationGracePeriodSeconds', value: expect.any(Number) },
      ],
    });
    expect(findings.every((f: any) => f.file === 'bad/shell-wrapper.yaml' && f.line > 0)).toBe(true);
  });

  test('sarif: valid, every rule listed, results located', () => {
    const res = cli(['audit', '--format', 'sarif', 'bad']);
    expect(res.code).toBe(1);
    const sarif = JSON.parse(res.stdout);
    expect(sarifViolations(sarif)).toEqual([]);
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.find((r: any) => r.id === 'prestop-missing')).toEqual(expect.objectContaining({
      defaultConfiguration: { level: 'error' },
      helpUri: expect.stringMatching(/docs\/rules\.md#.+/),
    }));
    // every helpUri points at a heading of docs/rules.md (GitHub's anchor slugs)
    const md = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf-8');
    const anchors = new Set([...md.matchAll(/^#+ (.*)$/gm)].map(m => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    for (const rule of rules) expect(anchors).toContain(rule.helpUri.split('#')[1]);
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'prestop-missing');
    expect(result.level).toBe('error');
    expect(rules[result.ruleIndex].id).toBe('prestop-missing');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'bad/shell-wrapper.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 20 },
    });
    expect(result.locations[0].logicalLocations).toEqual([{ name: 'payments', fullyQualifiedName: 'shop/Deployment/payments', kind: 'resource' }]);
  });

  test('a directory: the Dockerfile is audited with the start script it copies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-'));
    try {
      fs.cpSync(FIXTURES, path.join(dir, 'repo'), { recursive: true });
      // not entered
      fs.mkdirSync(path.join(dir, 'repo', 'node_modules', 'dep'), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), path.join(dir, 'repo', 'node_modules', 'dep', 'x.yaml'));
      const res = cli(['audit', '--format', 'json', 'repo'], { cwd: dir });
      expect(res.code).toBe(1);
      const files = [...new Set(JSON.parse(res.stdout).map((f: any) => f.file))];
      expect(files).toEqual(['repo/app/Dockerfile', 'repo/bad/shell-wrapper.yaml', 'repo/ci/deployment.yaml']);
      expect(res.stderr).toMatch(/repo\/helm\/deployment\.yaml:\d+: skipped/);
      const docker = JSON.parse(res.stdout).find((f: any) => f.file === 'repo/app/Dockerfile');
      // start.sh (copied to /app/start.sh) runs java without exec: the script's text was read
      expect(docker).toEqual(expect.objectContaining({ id: 'pid1-shell-without-exec', severity: 'error', line: 6, message: expect.stringContaining('java $JAVA_OPTS') }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stdin with findings', () => {
    const res = cli(['audit', '--format', 'json', '-'], { input: fs.readFileSync(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), 'utf-8') });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toContainEqual(expect.objectContaining({ file: '<stdin>', line: 20, id: 'prestop-missing' }));
  });
});
