import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { validateAll } from './util/k8s';

const ROOT = path.join(__dirname, '..');
const GOLDEN = path.join(__dirname, 'golden');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter(d => fs.existsSync(path.join(ROOT, 'examples', d, 'main.ts')));

/** Runs an example app the way `cdk8s synth` does (a separate Node process), against the sources. */
function synthExample(name: string): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  try {
    execFileSync(process.execPath, [
      '-r', require.resolve('ts-node/register/transpile-only'),
      '-r', path.join(__dirname, 'util', 'resolve-self.js'),
      path.join(ROOT, 'examples', name, 'main.ts'),
    ], {
      cwd: outdir,
      env: { ...process.env, CDK8S_OUTDIR: outdir, TS_NODE_PROJECT: path.join(ROOT, 'projenrc', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(outdir).sort()) {
      files[f] = fs.readFileSync(path.join(outdir, f), 'utf-8');
    }
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('there is an example per registry next to the Kubernetes-only one', () => {
  expect(EXAMPLES).toEqual(expect.arrayContaining(['spring-boot', 'nacos', 'consul', 'eureka']));
});

describe.each(EXAMPLES)('examples/%s', (name) => {
  let first: Record<string, string>;
  beforeAll(() => {
    first = synthExample(name);
  }, 60_000);

  test('synthesizes manifests that pass the Kubernetes schema', () => {
    const files = Object.keys(first);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-')), f);
      fs.writeFileSync(tmp, first[f]);
      const docs = Yaml.load(tmp);
      expect(docs.length).toBeGreaterThan(0);
      validateAll(docs);
    }
  });

  test('has a cdk8s.yaml so `cdk8s synth` works there', () => {
    const config = fs.readFileSync(path.join(ROOT, 'examples', name, 'cdk8s.yaml'), 'utf-8');
    expect(config).toMatch(/^app: .*main\.ts$/m);
  });

  test('a second synth in a new process is byte-identical', () => {
    expect(synthExample(name)).toEqual(first);
  }, 60_000);

  // The reviewed YAML of every example is committed: a change of a fact, a default or the rendering shows
  // up as a diff of test/golden/<example>/ in review. Regenerate with UPDATE_GOLDEN=1 and read the diff.
  test('matches the committed golden YAML (test/golden/<example>/)', () => {
    const dir = path.join(GOLDEN, name);
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const [f, text] of Object.entries(first)) fs.writeFileSync(path.join(dir, f), text);
    }
    const golden: Record<string, string> = {};
    for (const f of fs.readdirSync(dir).sort()) golden[f] = fs.readFileSync(path.join(dir, f), 'utf-8');
    expect(first).toEqual(golden);
  });
});

test('examples/spring-boot derives the numbers report 002 hard-codes', () => {
  const yaml = synthExample('spring-boot')['shop.k8s.yaml'];
  // report 002: terminationGracePeriodSeconds 300, `sleep 30`, timeout-per-shutdown-phase 5m, one probe endpoint.
  // Derived: preStop 10 s + Spring's 30 s phase + JVM allowance 5 s + buffer 10 s.
  expect(yaml).toContain('terminationGracePeriodSeconds: 55');
  expect(yaml).toMatch(/preStop:\n\s+exec:\n\s+command:\n\s+- sleep\n\s+- "10"/);
  expect(yaml).toMatch(/name: SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE\n\s+value: 30s/);
  expect(yaml).toContain('path: /actuator/health/readiness');
  expect(yaml).toContain('path: /actuator/health/liveness');
  expect(yaml).toContain('graceful.cdk8s.io/termination-grace-period: 55s (derived minimum)');
}, 60_000);

test('the registry examples derive different waits and grace periods, as the facts say they should', () => {
  const grace = (yaml: string) => Number(/terminationGracePeriodSeconds: (\d+)/.exec(yaml)![1]);
  const wait = (yaml: string) => Number(/name: GRACEFUL_WAIT_SECONDS\n\s+value: "(\d+)"/.exec(yaml)![1]);
  const nacos = synthExample('nacos')['shop.k8s.yaml'];
  const consul = synthExample('consul')['billing.k8s.yaml'];
  const eureka = synthExample('eureka')['store.k8s.yaml'];
  // Nacos 2.x push ≤ 6.5 s + Spring Cloud LoadBalancer 35 s (rounded up); Consul agent sync 3 s + 35 s; Eureka 30 + 30 + Ribbon 30 s.
  expect([wait(nacos), wait(consul), wait(eureka)]).toEqual([42, 38, 90]);
  // preStop (wait + bounded registry calls) + Spring's 30 s phase (Consul: its declared 30 s exports), JVM allowance 5 s, buffer 10 s
  expect([grace(nacos), grace(consul), grace(eureka)]).toEqual([48 + 30 + 5 + 10, 41 + 30 + 5 + 10, 93 + 30 + 5 + 10]);
  // Every example's Spring phase is at least Spring's own 30 s default (or the declared longest request).
  for (const yaml of [nacos, consul, eureka]) {
    expect(Number(/name: SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE\n\s+value: (\d+)s/.exec(yaml)![1])).toBeGreaterThanOrEqual(30);
  }
  // Spring Cloud Alibaba's own sleep is switched off in the Nacos example, and budgeted nowhere else.
  expect(nacos).toMatch(/name: SPRING_CLOUD_NACOS_DISCOVERY_GRACEFULSHUTDOWNWAITTIME\n\s+value: "0"/);
  expect(nacos).toContain('graceful.cdk8s.io/registry: nacos 2.x');
  expect(consul).toContain('name: SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED');
  expect(eureka).toMatch(/graceful.cdk8s.io\/propagation: max\(kubernetes-endpoints 10s, eureka-consumers\s+90s\) = 90s/);
}, 120_000);
