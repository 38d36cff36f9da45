import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildVariant } from '../../scripts/build-variant';
import { check, newApp, npmCalls, npmShim, PackedPackage, ROOT, run, synth } from '../util/packed-app';

/**
 * Each cdk8s-plus build of the package, in a fresh app of its own (docs/cdk8s-plus.md):
 *
 * - `cdk8s-graceful` (cdk8s-plus-28) and `cdk8s-graceful-plus-33` (the same sources built against
 *   cdk8s-plus-33 by scripts/build-variant.ts) are built with jsii and packed exactly as they ship;
 * - a new app with the build and its cdk8s-plus installed compiles a TypeScript main that hands the library
 *   the app's own cdk8s-plus objects and takes the library's back (the compile fails if the two are
 *   different declarations), then the real `cdk8s synth` runs with the plugin loaded by package name;
 * - the control: a cdk8s-plus-33 app with the cdk8s-plus-28 build does not compile, with the error users
 *   met ("separate declarations of a private property").
 */
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;

let work: string;
const builds: { [major: string]: PackedPackage } = {};

function main(plus: string, library: string): string {
  return [
    "import { App, Chart, Duration } from 'cdk8s';",
    `import * as kplus from '${plus}';`,
    `import { GracefulJavaService } from '${library}';`,
    '',
    'const app = new App();',
    "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
    "const runner = new kplus.ServiceAccount(chart, 'runner', { metadata: { name: 'orders-runner' } });",
    "const orders = new GracefulJavaService(chart, 'orders', {",
    "  metadata: { name: 'orders' },",
    "  image: 'registry.example.com/shop/orders:1.4.2',",
    "  jar: '/app/app.jar',",
    '  traffic: { averageLatency: Duration.millis(150), p99Latency: Duration.millis(1200), p95Concurrency: 60, workerThreads: 200 },',
    '  serviceAccount: runner,',
    '});',
    '// the library hands back the app\'s own cdk8s-plus classes',
    'const deployment: kplus.Deployment = orders.deployment;',
    "deployment.metadata.addLabel('team', 'checkout');",
    'app.synth();',
    '',
  ].join('\n');
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [], outDir: '.' },
  files: ['main.ts'],
});

function compile(dir: string) {
  return run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-graceful-plus-'));
  for (const major of ['28', '33']) {
    const tarball = buildVariant(major, path.join(work, 'packs'));
    const name = major === '28' ? 'cdk8s-graceful' : `cdk8s-graceful-plus-${major}`;
    builds[major] = { name, version: VERSION, tarball, peers: ['cdk8s', `cdk8s-plus-${major}`, 'constructs'] };
  }
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test.each(['28', '33'])('a fresh cdk8s-plus-%s app compiles against its build, synthesizes, and loads the plugin by package name', major => {
  const pkg = builds[major];
  const plus = `cdk8s-plus-${major}`;
  const dir = newApp(work, `app-${major}`, pkg, { 'main.ts': main(plus, pkg.name), 'tsconfig.json': TSCONFIG });
  const compiled = compile(dir);
  expect(compiled.stdout + compiled.stderr).toBe('');
  expect(compiled.status).toBe(0);

  // the build depends on its own cdk8s-plus only
  const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg.name, 'package.json'), 'utf-8'));
  expect(Object.keys({ ...installed.dependencies, ...installed.peerDependencies }).filter(d => d.startsWith('cdk8s-plus-'))).toEqual([plus]);
  const declarations = fs.readFileSync(path.join(dir, 'node_modules', pkg.name, 'lib', 'graceful-service.d.ts'), 'utf-8');
  expect(declarations).toContain(`from '${plus}'`);
  expect(declarations).toContain(`@default '1.${major}'`);

  const res = synth(work, dir, npmShim(work, pkg));
  expect(res.out).toContain(`Validation Report (${pkg.name}@${VERSION})`);
  expect(res.out).toMatch(/Status\s*│ success/);
  expect(res.code).toBe(0);
  expect(npmCalls(work)).toContain(`install ${pkg.name}@${VERSION} --no-save --prefix ${path.join(work, 'plugins', pkg.name, VERSION)}`);
  const yaml = fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf-8');
  expect(yaml).toContain('serviceAccountName: orders-runner');
  expect(yaml).toMatch(/terminationGracePeriodSeconds: [0-9]+/);
  expect(yaml).toContain('team: checkout');
}, 180_000);

test('control: a cdk8s-plus-33 app does not compile against the cdk8s-plus-28 build', () => {
  const pkg = { ...builds['28'], peers: ['cdk8s', 'cdk8s-plus-28', 'cdk8s-plus-33', 'constructs'] };
  const dir = newApp(work, 'mixed', pkg, { 'main.ts': main('cdk8s-plus-33', pkg.name), 'tsconfig.json': TSCONFIG }, { plugin: false });
  const compiled = compile(dir);
  expect(compiled.status).not.toBe(0);
  // cdk8s-plus-28's Deployment is not cdk8s-plus-33's (which has more members; with equal members the
  // compiler says "separate declarations of a private property")
  expect(compiled.stdout).toMatch(/main\.ts\(\d+,\d+\): error TS\d+: Type 'Deployment' (is missing the following properties from type 'Deployment'|.*separate declarations)/);
  check(run('test', ['-d', path.join(dir, 'node_modules', 'cdk8s-plus-28')], dir), 'cdk8s-plus-28 linked beside cdk8s-plus-33');
}, 120_000);
