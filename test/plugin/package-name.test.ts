import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check, newApp as newPackedApp, npmCalls, npmShim, PackedPackage, ROOT, run, synth as synthApp } from '../util/packed-app';
import { transpileTree } from '../util/transpile';

/**
 * The validation plugin as a user configures it: by package name.
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-graceful
 *     class: GracefulValidation
 *     version: <the package's version>
 * ```
 *
 * For a package name the cdk8s CLI (cdk8s-cli's `PluginManager`) requires
 * `<plugins dir>/cdk8s-graceful/<version>/node_modules/cdk8s-graceful`, i.e. the package's `main`
 * (`lib/index.js`), and when that is missing first runs
 * `npm install cdk8s-graceful@<version> --no-save --prefix <plugins dir>/cdk8s-graceful/<version>`.
 * It never looks at the app's own `node_modules`.
 *
 * Here, everything is real except the registry: the repository is packed with `npm pack` (its `lib/`
 * transpiled from `src/` first, since `npm test` runs before any compile), a new app in a temporary
 * directory has the tarball installed next to cdk8s, cdk8s-plus-28 and constructs (this repository's
 * copies, linked), and the real `cdk8s synth` runs with an `npm` on its PATH that answers
 * `npm install cdk8s-graceful@<version>` by installing the packed tarball, offline, and links the peer
 * dependencies the registry install would have added. The CLI's install command, its plugins directory
 * layout, the package's entry point and the packed files are what is tested.
 */
const FIXTURES = path.join(ROOT, 'test', 'cli', 'fixtures');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

let work: string;
let pkg: PackedPackage;
let npmShimDir: string;

/** `npm pack` of the repository: the files npm selects from it, with `lib/` built from `src/`. */
function pack(): string {
  const stage = path.join(work, 'stage');
  const listed = JSON.parse(check(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT), 'npm pack --dry-run'));
  for (const file of listed[0].files as { path: string }[]) {
    // built below from the current sources, whatever a previous compile left in the working tree
    if (file.path.startsWith('lib/') || file.path === '.jsii') continue;
    const target = path.join(stage, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file.path), target);
  }
  transpileTree(path.join(ROOT, 'src'), path.join(stage, 'lib'));
  const packed = JSON.parse(check(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], stage), 'npm pack'));
  return path.join(work, packed[0].filename);
}

const newApp = (name: string, main: string) => newPackedApp(work, name, pkg, { 'main.js': main });
const synth = (dir: string) => synthApp(work, dir, npmShimDir);

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-graceful-pkg-'));
  pkg = { name: 'cdk8s-graceful', version: VERSION, tarball: pack(), peers: PEERS };
  // stands in for the registry in the CLI's `npm install cdk8s-graceful@<version> --no-save --prefix <dir>`
  npmShimDir = npmShim(work, pkg);
}, 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the packed files include lib/, the bundled yaml and docs/', () => {
  const listing = check(run('tar', ['-tzf', pkg.tarball], work), 'tar -t').split('\n');
  expect(listing).toEqual(expect.arrayContaining(['package/lib/index.js', 'package/lib/plugin/validation.js', 'package/docs/rules.md', 'package/node_modules/yaml/package.json']));
});

test('a violating app fails synth with the rule\'s message; the plugin is installed once into the plugins directory', () => {
  const manifest = path.join(FIXTURES, 'bad', 'shell-wrapper.yaml');
  const dir = newApp('violating', [
    "const { App, Chart, Include } = require('cdk8s');",
    'const app = new App();',
    "const chart = new Chart(app, 'shop');",
    `new Include(chart, 'manifest', { url: ${JSON.stringify(manifest)} });`,
    'app.synth();',
    '',
  ].join('\n'));
  const res = synth(dir);
  expect(res.out).toContain(`Installing validation plugin: cdk8s-graceful@${VERSION}`);
  expect(res.out).toContain(`Validation Report (cdk8s-graceful@${VERSION})`);
  expect(res.out).toMatch(/Status\s*│ failure/);
  expect(res.out).toMatch(/prestop-missing \[error\] \(1 occurrences\)/);
  expect(res.out).toContain("container 'app' (registry-backed) takes traffic");
  expect(res.out).toContain('has no preStop hook');
  expect(res.out).toContain('Resource Name: Deployment/payments');
  expect(res.out).toContain('Validation failed');
  expect(res.code).not.toBe(0);
  expect(npmCalls(work)).toHaveLength(1);
  expect(fs.existsSync(path.join(work, 'plugins', 'cdk8s-graceful', VERSION, 'node_modules', 'cdk8s-graceful', 'lib', 'index.js'))).toBe(true);
}, 90_000);

// runs after the test above, whose synth installed the plugin
test('a clean app built with the library passes; the installed plugin is reused', () => {
  const dir = newApp('clean', [
    "const { App, Chart, Duration } = require('cdk8s');",
    "const { GracefulJavaService } = require('cdk8s-graceful');",
    'const app = new App();',
    "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
    "new GracefulJavaService(chart, 'orders', {",
    "  metadata: { name: 'orders', labels: { 'app.kubernetes.io/name': 'orders' } },",
    "  image: 'registry.example.com/shop/orders:1.4.2',",
    "  jar: '/app/app.jar',",
    '  traffic: { averageLatency: Duration.millis(150), p99Latency: Duration.millis(1200), p95Concurrency: 60, workerThreads: 200 },',
    '});',
    'app.synth();',
    '',
  ].join('\n'));
  const res = synth(dir);
  expect(res.out).not.toContain('Installing validation plugin');
  expect(res.out).toMatch(/Status\s*│ success/);
  expect(res.out).toMatch(/Errors\s*│ 0 /);
  expect(res.out).toContain('Validations ended succesfully');
  expect(res.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf-8')).toContain('name: orders');
}, 90_000);
