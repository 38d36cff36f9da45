import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GracefulValidation } from '../../src/plugin';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'cli', 'fixtures');

/** A stand-in for the cdk8s CLI's ValidationContext: records what the plugin reports. */
function fakeContext(manifests: string[]) {
  const violations: any[] = [];
  const logs: string[] = [];
  let submitted: { status: string; metadata: any } | undefined;
  return {
    context: {
      manifests,
      logger: { log: (m: string) => logs.push(m) },
      report: {
        addViolation: (v: any) => violations.push(v),
        submit: (status: string, metadata: any) => {
          submitted = { status, metadata };
        },
      },
    },
    violations,
    logs,
    submitted: () => submitted,
  };
}

describe('GracefulValidation (in process)', () => {
  test('properties are checked when the plugin is created', () => {
    expect(() => new GracefulValidation({ failOn: 'fatal' })).toThrow("GracefulValidation: 'failOn' must be one of error, warning, info, none; got 'fatal'");
    expect(() => new GracefulValidation({ failon: 'error' } as any)).toThrow("GracefulValidation: unknown property 'failon' (known: failOn, rules, exclude)");
    expect(() => new GracefulValidation({ rules: 'all' } as any)).toThrow("GracefulValidation: 'rules' must be a list of rule ids");
    expect(() => new GracefulValidation({ exclude: ['no-such-rule'] })).toThrow("GracefulValidation: unknown rule id 'no-such-rule'");
    expect(() => new GracefulValidation()).not.toThrow();
  });

  test('a manifest without workloads passes; a file that does not parse is logged and left out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      const broken = path.join(dir, 'broken.k8s.yaml');
      fs.writeFileSync(broken, 'kind: [\n');
      const ctx = fakeContext([path.join(FIXTURES, 'helm', 'values.yaml'), broken]);
      await new GracefulValidation({ failOn: 'info' }).validate(ctx.context);
      expect(ctx.violations).toEqual([]);
      expect(ctx.submitted()).toEqual({ status: 'success', metadata: expect.objectContaining({ 'Fail on': 'info', 'Errors': '0' }) });
      expect(ctx.logs).toEqual([expect.stringMatching(/broken\.k8s\.yaml:\d+: skipped: not valid YAML/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every finding is a violation with the object, its JSON path and line, and the manifest', async () => {
    const manifest = path.join(FIXTURES, 'bad', 'shell-wrapper.yaml');
    const ctx = fakeContext([manifest]);
    await new GracefulValidation({ failOn: 'none' }).validate(ctx.context);
    expect(ctx.submitted()!.status).toBe('success');
    for (const v of ctx.violations) {
      expect(v).toEqual({
        ruleName: expect.stringMatching(/^[a-z0-9-]+ \[(error|warning|info)\]$/),
        recommendation: expect.any(String),
        fix: expect.stringContaining('docs/rules.md#'),
        // the Deployment and the Service share the name payments: each is named with its kind
        violatingResources: [{ resourceName: expect.stringMatching(/^(Deployment|Service)\/payments$/), locations: [expect.any(String)], manifestPath: manifest }],
      });
    }
  });
});

/**
 * The real cdk8s CLI (`cdk8s synth`) on a small JS app in a temporary directory, with the plugin
 * configured in its cdk8s.yaml. The plugin is loaded from a local path (`./…`), which the CLI requires
 * directly: nothing is installed. The CLI process runs with ts-node so it can load the plugin's
 * TypeScript sources (the same module `lib/plugin` compiles to).
 */
function synth(manifest: string, properties: Record<string, unknown>, app?: string[]):
{ code: number | null; stdout: string; stderr: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-plugin-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  // as in a user's app: the package is in node_modules and cdk8s.yaml points into it
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk8s-graceful'), 'dir');
  fs.writeFileSync(path.join(dir, 'main.js'), app ? app.join('\n') : [
    "const { App, Chart, Include } = require('cdk8s');",
    'const app = new App();',
    "const chart = new Chart(app, 'shop');",
    `new Include(chart, 'manifest', { url: ${JSON.stringify(manifest)} });`,
    'app.synth();',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    // the app runs the library's TypeScript sources through ts-node when it uses the constructs
    `app: ${app ? `node -r ${require.resolve('ts-node/register/transpile-only')} main.js` : 'node main.js'}`,
    'output: dist',
    'validations:',
    '  - package: ./node_modules/cdk8s-graceful/src/plugin',
    '    class: GracefulValidation',
    '    version: 0.0.0',
    `    properties: ${JSON.stringify(properties)}`,
    '',
  ].join('\n'));
  const res = spawnSync(process.execPath, [
    '-r', require.resolve('ts-node/register/transpile-only'),
    path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'),
    'synth', '--no-check-upgrade', '--plugins-dir', path.join(dir, 'plugins'),
  ], {
    cwd: dir,
    encoding: 'utf-8',
    env: {
      ...process.env,
      // the app's `require('cdk8s')` resolves to this repository's copy
      NODE_PATH: path.join(ROOT, 'node_modules'),
      TS_NODE_PROJECT: path.join(ROOT, 'projenrc', 'tsconfig.json'),
      NO_COLOR: '1',
      // the default (print), not the test suite's ignore (test/setup-env.ts): a test reads the printed warnings
      CDK8S_GRACEFUL_WARNINGS: '',
    },
  });
  if (res.error) throw res.error;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, dir };
}

describe('cdk8s synth with the plugin (real cdk8s CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

  test('a violating app: the report lists the findings and synth fails (failOn error)', () => {
    const res = synth(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), { failOn: 'error' });
    dirs.push(res.dir);
    const out = res.stdout + res.stderr;
    expect(out).toContain('Validation Report (');
    expect(out).toMatch(/Status\s*│ failure/);
    expect(out).toMatch(/\[error\] \(\d+ occurrences?\)/);
    expect(out).toContain('Resource Name: Deployment/payments');
    expect(out).toContain('Validation failed');
    expect(res.code).not.toBe(0);
    // nothing was installed
    expect(fs.existsSync(path.join(res.dir, 'plugins'))).toBe(false);
    // the manifests were still written
    expect(fs.readFileSync(path.join(res.dir, 'dist', 'shop.k8s.yaml'), 'utf-8')).toContain('name: payments');
  }, 60_000);

  test('the same app with failOn none: the findings are reported, synth succeeds', () => {
    const res = synth(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), { failOn: 'none' });
    dirs.push(res.dir);
    expect(res.stdout).toMatch(/Status\s*│ success/);
    expect(res.stdout).toMatch(/\[error\] \(\d+ occurrences?\)/);
    expect(res.stdout).toContain('Validations ended succesfully');
    expect(res.code).toBe(0);
  }, 60_000);

  test('the constructs\' warnings are printed during synth, and each finding names the construct of its own object', () => {
    // 80 s given as the average latency (milliseconds were meant): a grace period above the autoscaler's 600 s
    const res = synth('', { failOn: 'none' }, [
      "const { App, Chart, Duration } = require('cdk8s');",
      "const { GracefulJavaService } = require('cdk8s-graceful/src');",
      'const app = new App();',
      "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
      "new GracefulJavaService(chart, 'orders', { image: 'example/orders:1', jar: '/app/app.jar', metadata: { name: 'orders' },",
      '  traffic: { averageLatency: Duration.seconds(80), p99Latency: Duration.seconds(90), p95Concurrency: 60, workerThreads: 5 } });',
      'app.synth();',
      '',
    ]);
    dirs.push(res.dir);
    expect(res.stderr).toMatch(/^\[shop\/orders\] warning grace-period-above-autoscaler-limit: terminationGracePeriodSeconds \d+s is above .*\. Fix: /m);
    expect(res.code).toBe(0);
    // The Deployment, the Service and the PodDisruptionBudget are all named orders: cdk8s' own metadata maps
    // the name to one of them; the report names the Deployment's construct for the Deployment's finding.
    const own = JSON.parse(fs.readFileSync(path.join(res.dir, 'dist', 'construct-metadata.json'), 'utf-8'));
    const deploymentPath = JSON.parse(fs.readFileSync(path.join(res.dir, 'dist', 'construct-metadata.graceful.json'), 'utf-8'))
      .resources.find((r: any) => r.kind === 'Deployment').path;
    expect(own.resources.orders.path).not.toBe(deploymentPath);
    expect(res.stdout).toContain(`Construct Path: ${deploymentPath}`);
    expect(res.stdout).toContain('Resource Name: Deployment/orders');
  }, 120_000);

  test('a clean app passes', () => {
    const res = synth(path.join(FIXTURES, 'good', 'orders.yaml'), { failOn: 'error' });
    dirs.push(res.dir);
    expect(res.stdout).toMatch(/Status\s*│ success/);
    expect(res.stdout).toMatch(/Errors\s*│ 0 /);
    expect(res.stdout).toContain('Validations ended succesfully');
    expect(res.code).toBe(0);
  }, 60_000);
});
