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
    [['audit', '--format', 'xml', '.'], /--format must be one of text, json, sarif; got 'xml'/],
    [['audit', '--format'], /--format needs a value/],
    [['audit', '--fail-on=fatal', '.'], /--fail-on must be one of error, warning, info, none; got 'fatal'/],
    [['audit', '--rules', 'no-such-rule', '.'], /unknown rule id 'no-such-rule'/],
    [['audit', '-', '-'], /standard input \(-\) can be given only once/],
    [['audit', 'good', 'missing.yaml'], /missing\.yaml: no such file or directory/],
  ])('%j', (args, message) => {
    const res = cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
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
  expect(lines).toEqual([
    expect.stringMatching(/^cdk8s-graceful: helm\/deployment\.yaml:\d+: skipped: .*unrendered Helm template .*helm template/),
    'cdk8s-graceful: ci/deployment.yaml:17: note: template placeholder `{{DOCKER_IMAGE}}` read as text; the audit sees the file as it is before CI substitutes it',
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
