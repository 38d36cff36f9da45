import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES } from './cli';
import { copiedScripts, isDockerfileName } from '../../src/cli/dockerfile';
import { collectFiles, InputError, load, Locator } from '../../src/cli/load';
import { lineOf, ParsedObject, parseYaml, splitPath } from '../../src/cli/yaml';
import { FindingSeverity } from '../../src/finding';

function objects(text: string, file = 'x.yaml'): ParsedObject[] {
  const parsed = parseYaml(text, file);
  if ('skipped' in parsed) throw new Error(`skipped: ${parsed.skipped.reason}`);
  return parsed.objects;
}

describe('parseYaml', () => {
  test('a duplicate key: skipped with its line and the key named (spring-petclinic-cloud\'s `resources` twice)', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a }\nspec:\n  template:\n    spec:\n      containers:\n'
      + '      - name: app\n        image: x\n        resources: {}\n        "resources": {}\n';
    const r = parseYaml(text, 'd.yaml');
    expect('skipped' in r && r.skipped).toEqual({ file: 'd.yaml', line: 11, reason: "not valid YAML: Map keys must be unique ('resources' appears twice in the same mapping)" });
    // a key that is not a plain name is not echoed
    const odd = parseYaml('"a key with spaces": 1\n"a key with spaces": 2\n', 'o.yaml');
    expect('skipped' in odd && odd.skipped.reason).toBe('not valid YAML: Map keys must be unique');
  });

  test('multi-document YAML: objects with their document index; empty and kind-less documents are ignored', () => {
    const text = [
      '# leading comment only',
      '---',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a',
      '---',
      '',
      '---',
      'replicaCount: 2 # Helm values: no kind',
      '---',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: b',
      '',
    ].join('\n');
    const objs = objects(text);
    expect(objs.map(o => [o.document.object.kind, o.document.object.metadata.name])).toEqual([['ConfigMap', 'a'], ['Service', 'b']]);
    expect(objs.map(o => o.document.file)).toEqual(['x.yaml', 'x.yaml']);
    // index counts every document of the file, including the ignored ones
    expect(objs[1].document.index).toBeGreaterThan(objs[0].document.index!);
  });

  test('an empty file and a comment-only file have no objects and are not skipped', () => {
    expect(objects('')).toEqual([]);
    expect(objects('# nothing here\n')).toEqual([]);
    expect(objects('---\n---\n')).toEqual([]);
  });

  test('kind: List items are expanded, each located at its own item', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'app', 'deploy.yml'), 'utf-8');
    const objs = objects(text, 'deploy.yml');
    expect(objs.map(o => o.document.object.kind)).toEqual(['Deployment', 'ConfigMap']);
    expect(lineOf(objs[0])).toBe(4);
    expect(lineOf(objs[1])).toBe(text.split('\n').findIndex(l => l.includes('kind: ConfigMap')));
    expect(lineOf(objs[0], 'spec.template.spec.containers[0].command')).toBe(text.split('\n').findIndex(l => l.includes('command:')) + 1);
  });

  test('a YAML syntax error skips the whole file with its line', () => {
    const parsed = parseYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: [\n', 'bad.yaml');
    expect('skipped' in parsed && parsed.skipped).toMatchObject({ file: 'bad.yaml', line: expect.any(Number), reason: expect.stringMatching(/^not valid YAML/) });
  });

  test('an unrendered Helm template is skipped, naming the template and how to render it', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'helm', 'deployment.yaml'), 'utf-8');
    const parsed = parseYaml(text, 'deployment.yaml');
    expect('skipped' in parsed).toBe(true);
    const s = (parsed as any).skipped;
    expect(s.line).toBeGreaterThan(0);
    expect(s.reason).toContain('unrendered Helm template');
    expect(s.reason).toContain('{{ include "chart.fullname" . }}');
    expect(s.reason).toContain('helm template');
  });

  test('a Helm template that happens to parse (`name: {{ .Values.x }}`) is skipped, not audited as a map', () => {
    const parsed = parseYaml('kind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n', 't.yaml');
    expect(parsed).toEqual({ skipped: { file: 't.yaml', line: 3, reason: expect.stringContaining('unrendered template placeholder') } });
  });

  test('a bare CI placeholder in a value is read as text, with a note', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'ci', 'deployment.yaml'), 'utf-8');
    const parsed = parseYaml(text, 'ci.yaml');
    expect('objects' in parsed).toBe(true);
    const ok = parsed as { objects: ParsedObject[]; notes: any[] };
    expect(ok.objects[0].document.object.spec.template.spec.containers[0].image).toBe('{{DOCKER_IMAGE}}');
    expect(ok.notes).toEqual([{ file: 'ci.yaml', line: 17, reason: expect.stringContaining('`{{DOCKER_IMAGE}}` read as text') }]);
  });

  test('placeholders in comments and quoted strings do not matter', () => {
    const objs = objects('# image: {{X}}\nkind: Deployment\nmetadata:\n  name: "{{ .Values.name }}"\n');
    expect(objs[0].document.object.metadata.name).toBe('{{ .Values.name }}');
  });

  test('duplicate keys are an error, as for kubectl', () => {
    expect('skipped' in parseYaml('kind: A\nkind: B\n', 'd.yaml')).toBe(true);
  });

  test('merge keys are resolved', () => {
    const objs = objects('base: &b\n  x: 1\nkind: K\nmetadata:\n  <<: *b\n  name: n\n');
    expect(objs[0].document.object.metadata).toEqual({ x: 1, name: 'n' });
  });
});

describe('lineOf', () => {
  const text = [
    'apiVersion: apps/v1', //          1
    'kind: Deployment', //             2
    'metadata:', //                    3
    '  name: web', //                  4
    '  annotations:', //               5
    '    a.b/c.d: "x"', //             6
    'spec:', //                        7
    '  template:', //                  8
    '    spec:', //                    9
    '      containers:', //           10
    '        - name: one', //         11
    '        - name: two', //         12
    '          image: x', //          13
  ].join('\n');
  const obj = objects(text)[0];

  test.each([
    [undefined, 1],
    ['metadata.name', 4],
    ['metadata.annotations["a.b/c.d"]', 6],
    ['spec.template.spec.containers[1]', 12],
    ['spec.template.spec.containers[1].image', 13],
    // missing parts: the deepest part that exists
    ['spec.template.spec.containers[1].lifecycle.preStop', 12],
    ['spec.template.spec.terminationGracePeriodSeconds', 9],
    ['spec.template.spec.containers[5]', 10],
  ])('%s → line %d', (p, line) => {
    expect(lineOf(obj, p)).toBe(line);
  });

  test('splitPath', () => {
    expect(splitPath('spec.template.spec.containers[0].lifecycle.preStop')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'lifecycle', 'preStop']);
    expect(splitPath('metadata.annotations["graceful.cdk8s.io/suppress-x"]')).toEqual(['metadata', 'annotations', 'graceful.cdk8s.io/suppress-x']);
    expect(splitPath("metadata.labels['a.b']")).toEqual(['metadata', 'labels', 'a.b']);
  });
});

describe('Dockerfiles', () => {
  test.each([
    ['Dockerfile', true], ['Containerfile', true], ['Dockerfile.prod', true], ['api.Dockerfile', true], ['api.dockerfile', true],
    ['Dockerfile.dockerignore', false], ['.dockerignore', false], ['Dockerfiles.md', false], ['deploy.yaml', false],
  ])('%s is a Dockerfile: %s', (name, expected) => {
    expect(isDockerfileName(name)).toBe(expected);
  });

  test('COPY/ADD of scripts in the build context: keyed by their path in the image', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-'));
    try {
      fs.writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\njava -jar app.jar\n');
      fs.writeFileSync(path.join(dir, 'entrypoint'), '#!/bin/bash\nexec java -jar app.jar\n');
      fs.writeFileSync(path.join(dir, 'app.jar'), 'PK\u0003\u0004 not a script');
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(path.join(dir, 'bin', 'preStop.sh'), 'sleep 10\n');
      fs.writeFileSync(path.join(dir, 'bin', 'README'), 'text\n');
      const scripts = copiedScripts([
        'FROM builder AS build',
        'WORKDIR /src',
        'COPY start.sh .',
        'FROM eclipse-temurin:17-jre',
        'WORKDIR /app',
        'COPY --chown=1000:1000 start.sh ./',
        'ADD ["entrypoint", "/usr/local/bin/docker-entrypoint"]',
        'COPY app.jar app.jar',
        'COPY bin/ \\',
        '     /opt/bin/',
        'COPY --from=build /src/start.sh /other.sh',
        'COPY *.sh /glob/',
        'COPY ../outside.sh /x.sh',
        'COPY missing.sh /missing.sh',
        'ADD /bin/preStop.sh /home/',
        'COPY /../outside.sh /y.sh',
      ].join('\n'), dir);
      expect(scripts).toEqual({
        '/src/start.sh': '#!/bin/sh\njava -jar app.jar\n',
        '/app/start.sh': '#!/bin/sh\njava -jar app.jar\n',
        '/usr/local/bin/docker-entrypoint': '#!/bin/bash\nexec java -jar app.jar\n',
        '/opt/bin/preStop.sh': 'sleep 10\n',
        // a leading slash still names a file of the build context (Docker reads sources relative to it)
        '/home/preStop.sh': 'sleep 10\n',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('collectFiles', () => {
  test('a directory is walked recursively in name order: YAML and Dockerfiles only', () => {
    const files = collectFiles(['.'], FIXTURES);
    expect(files.map(f => `${f.type} ${f.name}`)).toEqual([
      'dockerfile app/Dockerfile',
      'yaml app/deploy.yml',
      'yaml bad/shell-wrapper.yaml',
      'yaml ci/deployment.yaml',
      'yaml good/orders.yaml',
      'yaml helm/deployment.yaml',
      'yaml helm/values.yaml',
    ]);
  });

  test('a named file is read whatever its name; duplicates are dropped', () => {
    const files = collectFiles(['app/start.sh', 'good', 'good/orders.yaml'], FIXTURES);
    expect(files.map(f => f.name)).toEqual(['app/start.sh', 'good/orders.yaml']);
  });

  test('node_modules and .git are not entered; symlink loops end', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'walk-'));
    try {
      for (const d of ['node_modules/x', '.git', 'a/b']) fs.mkdirSync(path.join(dir, d), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules/x/d.yaml'), 'kind: X\n');
      fs.writeFileSync(path.join(dir, '.git/d.yaml'), 'kind: X\n');
      fs.writeFileSync(path.join(dir, 'a/b/d.yaml'), 'kind: X\n');
      fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a/b/loop'));
      expect(collectFiles([dir], dir).map(f => f.name)).toEqual(['a/b/d.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a path that does not exist is an InputError', () => {
    expect(() => collectFiles(['nope.yaml'], FIXTURES)).toThrow(InputError);
    expect(() => collectFiles(['nope.yaml'], FIXTURES)).toThrow(/nope\.yaml: no such file or directory/);
  });
});

describe('load and Locator', () => {
  test('a broken file is skipped, the others are read in name order; stdin is read for -', () => {
    const loaded = load(['helm', 'bad', '-'], { cwd: FIXTURES, readStdin: () => 'kind: ConfigMap\nmetadata:\n  name: from-stdin\n' });
    expect(loaded.skipped.map(s => s.file)).toEqual(['helm/deployment.yaml']);
    expect(loaded.objects.map(o => `${o.document.file} ${o.document.object.kind}/${o.document.object.metadata?.name}`)).toEqual([
      '<stdin> ConfigMap/from-stdin',
      'bad/shell-wrapper.yaml Deployment/payments',
      'bad/shell-wrapper.yaml Service/payments',
    ]);
  });

  test('the Dockerfile comes with the script it copies', () => {
    const loaded = load(['app'], { cwd: FIXTURES });
    expect(loaded.dockerfiles).toEqual([{
      file: 'app/Dockerfile',
      content: fs.readFileSync(path.join(FIXTURES, 'app', 'Dockerfile'), 'utf-8'),
      scripts: { '/app/start.sh': fs.readFileSync(path.join(FIXTURES, 'app', 'start.sh'), 'utf-8') },
    }]);
  });

  test('findings are located by file, index, kind and name; Dockerfile findings by their line', () => {
    const loaded = load(['bad', 'app'], { cwd: FIXTURES });
    const locator = new Locator(loaded.objects);
    const base = { id: 'x', severity: FindingSeverity.ERROR, message: 'm', remediation: 'r' };
    const svc = { ...base, object: { kind: 'Service', name: 'payments', namespace: 'shop', file: 'bad/shell-wrapper.yaml', index: 1 }, path: 'spec.ports[0]' };
    expect(locator.fileOf(svc)).toBe('bad/shell-wrapper.yaml');
    expect(locator.lineOf(svc)).toBe(42);
    const dep = { ...base, object: { kind: 'Deployment', name: 'payments', file: 'bad/shell-wrapper.yaml' }, path: 'spec.template.spec.containers[0].command' };
    expect(locator.lineOf(dep)).toBe(22);
    const df = { ...base, object: { kind: 'Dockerfile', name: 'app/Dockerfile', file: 'app/Dockerfile' }, path: 'line 6' };
    expect(locator.fileOf(df)).toBe('app/Dockerfile');
    expect(locator.lineOf(df)).toBe(6);
    expect(locator.lineOf({ ...base })).toBeUndefined();
  });
});
