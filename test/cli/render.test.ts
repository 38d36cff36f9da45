import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './cli';
import { InputError, load } from '../../src/cli/load';
import { findOnPath, renderDirectory } from '../../src/cli/render';
import { audit } from '../../src/rules/engine';

const FIXTURES = path.join(__dirname, 'render-fixtures');
const KUBECTL = findOnPath('kubectl', process.env.PATH);

/** The Deployment a chart renders to, as `helm template` prints it (`---`, then `# Source:`). */
const RENDERED_DEPLOYMENT = fs.readFileSync(path.join(FIXTURES, 'kustomize', 'base', 'deployment.yaml'), 'utf-8')
  .replace('name: orders', 'name: release-name-orders');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-render-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A stand-in for `helm` (the real one is not installed on the build machines): a POSIX sh script on a
 * PATH of its own that records its arguments, one per line, and prints what `helm template` prints for
 * the chart. `body` replaces the printing (to fail, hang or flood).
 */
function stubHelm(body?: string): string {
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  const output = path.join(tmp, 'rendered.yaml');
  fs.writeFileSync(output, '---\n# Source: orders/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: release-name-orders\n'
    + 'spec:\n  selector: { app: orders }\n  ports: [{ port: 80, targetPort: 8080 }]\n'
    + `---\n# Source: orders/templates/deployment.yaml\n${RENDERED_DEPLOYMENT}`);
  fs.writeFileSync(path.join(bin, 'helm'), [
    '#!/bin/sh',
    `for a in "$@"; do printf '%s\\n' "$a"; done > '${path.join(tmp, 'args')}'`,
    body ?? `cat '${output}'`,
    '',
  ].join('\n'), { mode: 0o755 });
  return bin;
}

/** The chart copied to a directory whose name a shell would split and expand. */
function chartCopy(): string {
  const dir = path.join(tmp, 'my chart; $(touch pwned)');
  fs.cpSync(path.join(FIXTURES, 'chart', 'orders'), dir, { recursive: true });
  return dir;
}

describe('a Helm chart directory', () => {
  test('is rendered with helm template (no shell: the path reaches helm as one argument); findings name the template', () => {
    const bin = stubHelm();
    const chart = chartCopy();
    const loaded = load([chart], { cwd: tmp, searchPath: bin });
    expect(fs.readFileSync(path.join(tmp, 'args'), 'utf-8')).toBe(`template\n${chart}\n`);
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
    expect(loaded.skipped).toEqual([]);
    const files = loaded.objects.map(o => `${o.document.object.kind} ${o.document.file}`);
    expect(files).toEqual([
      // in helm's order
      'Service my chart; $(touch pwned)/templates/service.yaml (helm template my chart; $(touch pwned))',
      'Deployment my chart; $(touch pwned)/templates/deployment.yaml (helm template my chart; $(touch pwned))',
    ]);
    const findings = audit({ documents: loaded.objects.map(o => o.document) });
    const onDeployment = findings.filter(f => f.object?.kind === 'Deployment');
    expect(onDeployment.length).toBeGreaterThan(0);
    for (const f of onDeployment) {
      expect(f.object).toMatchObject({ name: 'release-name-orders', file: expect.stringContaining('/templates/deployment.yaml (helm template ') });
    }
  });

  test('a chart met while walking a directory is rendered, not read template by template', () => {
    const bin = stubHelm();
    const loaded = load(['chart'], { cwd: FIXTURES, searchPath: bin });
    expect(loaded.skipped).toEqual([]);
    expect(loaded.objects.map(o => o.document.file)).toContain('chart/orders/templates/deployment.yaml (helm template chart/orders)');
  });

  test('a Dockerfile beside the chart is still read; the chart\'s YAML only through helm', () => {
    const bin = stubHelm();
    const app = path.join(tmp, 'app');
    fs.cpSync(path.join(FIXTURES, 'chart', 'orders'), app, { recursive: true });
    fs.writeFileSync(path.join(app, 'Dockerfile'), 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app/app.jar\nENTRYPOINT ["java", "-jar", "/app/app.jar"]\n');
    const loaded = load(['app'], { cwd: tmp, searchPath: bin });
    expect(loaded.files.map(f => [f.name, f.type, f.render?.kind])).toEqual([['app', 'yaml', 'helm'], ['app/Dockerfile', 'dockerfile', undefined]]);
    expect(loaded.skipped).toEqual([]);
  });

  test('without helm on PATH the templates are skipped as before, with a note saying why', () => {
    const loaded = load(['chart'], { cwd: FIXTURES, searchPath: path.join(tmp, 'empty') });
    expect(loaded.objects).toEqual([]);
    expect(loaded.skipped).toEqual([expect.objectContaining({ file: 'chart/orders/templates/deployment.yaml', reason: expect.stringMatching(/helm template/) })]);
    expect(loaded.notes).toEqual([{ file: 'chart/orders', reason: expect.stringMatching(/^a Helm chart, but helm is not on PATH: .*`helm template chart\/orders` piped into `-`$/) }]);
  });

  test('helm failing is an input error naming the chart, the command, the exit code and what helm said (CLI exit 2)', () => {
    const bin = stubHelm("echo 'Error: template: orders/templates/deployment.yaml:4: function \"oops\" not defined' >&2; exit 1");
    expect(() => load(['chart'], { cwd: FIXTURES, searchPath: bin })).toThrow(InputError);
    expect(() => load(['chart'], { cwd: FIXTURES, searchPath: bin }))
      .toThrow(/^chart\/orders: helm template chart\/orders failed: exit code 1: Error: template: orders\/templates\/deployment.yaml:4: function "oops" not defined$/);
    const res = cli(['audit', 'chart'], { cwd: FIXTURES, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('helm template chart/orders failed: exit code 1');
  });

  test('helm is stopped after the time limit and its output is bounded', () => {
    const chart = path.join(FIXTURES, 'chart', 'orders');
    const hang = stubHelm('exec sleep 30');
    expect(() => renderDirectory('helm', chart, 'orders', path.join(hang, 'helm'), { timeoutMs: 1_000, maxBytes: 1024 }))
      .toThrow(/^orders: helm template orders failed: did not finish within 1 s \(stopped\)$/);
    fs.rmSync(hang, { recursive: true });
    const flood = stubHelm('i=0; while [ $i -lt 200 ]; do echo "# 0123456789012345678901234567890123456789"; i=$((i+1)); done');
    expect(() => renderDirectory('helm', chart, 'orders', path.join(flood, 'helm'), { timeoutMs: 30_000, maxBytes: 1024 }))
      .toThrow(/^orders: helm template orders failed: printed more than 1024 bytes/);
  });
});

describe('a kustomization directory', () => {
  (KUBECTL ? test : test.skip)('is built with the real kubectl kustomize: the overlay\'s names and namespace, the kustomization named', () => {
    const loaded = load(['kustomize/overlays/prod'], { cwd: FIXTURES });
    expect(loaded.notes).toEqual([]);
    expect(loaded.objects.map(o => [o.document.object.kind, o.document.object.metadata.namespace, o.document.object.metadata.name, o.document.file]))
      .toEqual([['Deployment', 'shop', 'prod-orders', 'kustomize/overlays/prod/kustomization.yaml (kubectl kustomize kustomize/overlays/prod)']]);
    const findings = audit({ documents: loaded.objects.map(o => o.document) });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every(f => f.object?.name === 'prod-orders' && f.object.file?.endsWith('(kubectl kustomize kustomize/overlays/prod)'))).toBe(true);
  });

  test('without kubectl on PATH its files are read as they are, with a note', () => {
    const loaded = load(['kustomize/overlays/prod', 'kustomize/base'], { cwd: FIXTURES, searchPath: path.join(tmp, 'empty') });
    expect(loaded.notes).toEqual([
      { file: 'kustomize/base', reason: expect.stringMatching(/^a kustomization, but kubectl is not on PATH: its files are read as they are/) },
      { file: 'kustomize/overlays/prod', reason: expect.stringMatching(/kubectl is not on PATH/) },
    ]);
    expect(loaded.objects.filter(o => o.document.object.kind === 'Deployment').map(o => o.document.object.metadata.name)).toEqual(['orders']);
  });

  (KUBECTL ? test : test.skip)('SARIF points at the kustomization file (it exists in the repository), the rendered line in the properties', () => {
    const res = cli(['audit', '--format', 'sarif', 'kustomize/overlays/prod'], { cwd: FIXTURES });
    expect(res.code).toBe(1);
    const results = JSON.parse(res.stdout).runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'kustomize/overlays/prod/kustomization.yaml', uriBaseId: '%SRCROOT%' } });
      expect(fs.existsSync(path.join(FIXTURES, r.locations[0].physicalLocation.artifactLocation.uri))).toBe(true);
      expect(r.properties).toMatchObject({ renderedBy: 'kubectl kustomize kustomize/overlays/prod', renderedLine: expect.any(Number) });
    }
  });

  (KUBECTL ? test : test.skip)('kubectl failing (a resource that does not exist) is an input error', () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    expect(() => load(['broken'], { cwd: tmp })).toThrow(/^broken: kubectl kustomize broken failed: exit code 1: .*missing\.yaml/s);
  });
});
