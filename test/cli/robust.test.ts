// The CLI as a real process against hostile input: huge streams, other encodings, missing, empty or
// unreadable input, inputs in another order. It must not hang, crash, or pass what it could not read.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, compiledMain, FIXTURES, ROOT } from './cli';
import { decode, STDIN_NAME } from '../../src/cli/load';
import { EXIT, run } from '../../src/cli/main';

jest.setTimeout(60_000);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-robust-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh directory under `tmp` with these files. */
function dir(name: string, files: { [file: string]: string | Buffer }): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(d, file), content);
  return d;
}

/** Runs `sh -c script` with `$0` the CLI's entry point, for what needs a shell (closing or redirecting stdin). */
function sh(script: string) {
  const res = spawnSync('sh', ['-c', script, compiledMain()], {
    cwd: FIXTURES, encoding: 'utf-8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM16LE = Buffer.from([0xff, 0xfe]);
const BOM16BE = Buffer.from([0xfe, 0xff]);
const NO_CRASH = /RangeError|internal error|Maximum call stack/;

describe('large input: no stack overflow', () => {
  test('a stream of 150k small objects (ConfigMaps and Deployments) is audited', () => {
    const parts: string[] = [];
    for (let i = 0; i < 150_000; i++) {
      parts.push(i % 10 === 0
        ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: example/app:1\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`);
    }
    // last, a workload with findings: the whole stream was read, and its line is found
    parts.push(fs.readFileSync(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), 'utf-8'));
    const d = dir('large', { 'stream.yaml': parts.join('---\n') });
    const res = cli(['audit', '--format', 'json', '--fail-on', 'none', 'stream.yaml'], { cwd: d });
    expect(res.stderr).not.toMatch(NO_CRASH);
    expect(res.code).toBe(EXIT.CLEAN);
    const findings = JSON.parse(res.stdout);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f: any) => f.file === 'stream.yaml' && f.line > 700_000)).toBe(true);
  }, 300_000);

  test('a Dockerfile COPY with 250k sources is audited', () => {
    const sources: string[] = [];
    for (let i = 0; i < 250_000; i++) sources.push(`f${i}.sh`);
    const d = dir('copy', { Dockerfile: `FROM eclipse-temurin:21\nCOPY ${sources.join(' ')} /app/\nCOPY ["a.sh", ${sources.map(s => JSON.stringify(s)).join(', ')}, "/b/"]\nENTRYPOINT ["java", "-jar", "/app/app.jar"]\n` });
    const res = cli(['audit', '--fail-on', 'none', 'Dockerfile'], { cwd: d });
    expect(res.stderr).not.toMatch(NO_CRASH);
    expect(res.code).toBe(EXIT.CLEAN);
    expect(res.stdout).toMatch(/in 1 file\n$/);
  }, 120_000);
});

describe('encodings: decoded by byte-order mark', () => {
  const manifest = fs.readFileSync(path.join(FIXTURES, 'bad', 'shell-wrapper.yaml'), 'utf-8');
  const dockerfile = fs.readFileSync(path.join(FIXTURES, 'app', 'Dockerfile'), 'utf-8');
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n'); // what PowerShell writes

  let expected: { code: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    const d = dir('utf8', { 'm.yaml': manifest, 'Dockerfile': dockerfile });
    expected = cli(['audit', '--format', 'json', 'm.yaml', 'Dockerfile'], { cwd: d });
    expect(expected.code).toBe(EXIT.FINDINGS);
    expect(JSON.parse(expected.stdout).length).toBeGreaterThan(1);
  });

  test.each([
    ['UTF-8 with BOM', (s: string) => Buffer.concat([BOM8, Buffer.from(s)])],
    ['UTF-16LE with BOM', (s: string) => Buffer.concat([BOM16LE, Buffer.from(s, 'utf16le')])],
    ['UTF-16LE with BOM and CRLF (PowerShell >)', (s: string) => Buffer.concat([BOM16LE, Buffer.from(crlf(s), 'utf16le')])],
    ['UTF-16BE with BOM', (s: string) => Buffer.concat([BOM16BE, utf16be(s)])],
  ])('%s: the same findings as UTF-8', (name, encode) => {
    const d = dir(name.replace(/\W+/g, '-'), { 'm.yaml': encode(manifest), 'Dockerfile': encode(dockerfile) });
    const res = cli(['audit', '--format', 'json', 'm.yaml', 'Dockerfile'], { cwd: d });
    if (name.includes('CRLF')) {
      // the same findings at the same lines (a message may quote a line, which then ends in \r)
      expect(res.code).toBe(expected.code);
      const strip = (json: string) => JSON.parse(json).map((f: any) => `${f.id} ${f.file}:${f.line}`);
      expect(strip(res.stdout)).toEqual(strip(expected.stdout));
      expect(res.stderr).toBe(expected.stderr);
    } else {
      expect(res).toEqual(expected);
    }
  });

  test('UTF-16LE with BOM on standard input', () => {
    const res = cli(['audit', '--format', 'json', '-'], { cwd: tmp, input: Buffer.concat([BOM16LE, Buffer.from(manifest, 'utf16le')]) });
    expect(res.code).toBe(EXIT.FINDINGS);
    expect(JSON.parse(res.stdout).map((f: any) => f.file)).toContain(STDIN_NAME);
  });

  test.each([
    ['UTF-16LE without BOM', Buffer.from(manifest, 'utf16le'), /u\.yaml: contains NUL bytes: binary, or UTF-16\/UTF-32 without a byte-order mark/],
    ['UTF-32LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('k\0\0\0')]), /u\.yaml: is UTF-32, which is not read; save it as UTF-8/],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), /u\.yaml: contains NUL bytes/],
    ['UTF-16LE cut off', Buffer.concat([BOM16LE, Buffer.from('kind: X', 'utf16le'), Buffer.from([0x20])]), /u\.yaml: is cut off: UTF-16LE/],
  ])('%s: rejected with a message naming the file, exit 2', (name, bytes, message) => {
    const d = dir(`bad-${name.replace(/\W+/g, '-')}`, { 'u.yaml': bytes, 'ok.yaml': 'kind: ConfigMap\nmetadata:\n  name: x\n' });
    const res = cli(['audit', '.'], { cwd: d });
    expect(res.code).toBe(EXIT.USAGE);
    expect(res.stderr).toMatch(new RegExp(`^cdk8s-graceful: ${message.source}`));
    expect(res.stdout).toBe('');
  });

  test('decode', () => {
    expect(decode(Buffer.from('kind: X\n'))).toEqual({ text: 'kind: X\n' });
    expect(decode(Buffer.concat([BOM8, Buffer.from('kind: X\n')]))).toEqual({ text: 'kind: X\n' });
    expect(decode(Buffer.concat([BOM16LE, Buffer.from('kind: ä\n', 'utf16le')]))).toEqual({ text: 'kind: ä\n' });
    expect(decode(Buffer.concat([BOM16BE, utf16be('kind: ä\n')]))).toEqual({ text: 'kind: ä\n' });
    expect(decode(Buffer.concat([BOM16LE, Buffer.from('a\0b', 'utf16le')]))).toEqual({ problem: expect.stringMatching(/NUL characters/) });
    expect(decode(Buffer.alloc(0))).toEqual({ text: '' });
  });
});

describe('missing, empty or unreadable input: exit 2', () => {
  test.each([
    ['empty', ''],
    ['blank', '  \n\n'],
  ])('%s standard input', (_, input) => {
    const res = cli(['audit', '-'], { input });
    expect(res).toEqual({
      code: EXIT.USAGE,
      stdout: '',
      stderr: 'cdk8s-graceful: <stdin>: standard input is empty (did the command before the pipe fail?); pass --allow-empty to accept an empty input\n',
    });
  });

  test('--allow-empty: an empty standard input is accepted, and stderr says so', () => {
    const res = cli(['audit', '--allow-empty', '-'], { input: '' });
    expect(res).toEqual({
      code: EXIT.CLEAN,
      stdout: 'no findings in 1 file\n',
      stderr: 'cdk8s-graceful: <stdin>: note: standard input is empty; accepted because of --allow-empty\n',
    });
    expect(cli(['audit', '--allow-empty=yes', '-']).stderr).toMatch(/--allow-empty takes no value/);
  });

  test('closed standard input', () => {
    const res = sh(`"${process.execPath}" "$0" audit - <&-`);
    expect(res.code).toBe(EXIT.USAGE);
    expect(res.stderr).toMatch(/^cdk8s-graceful: <stdin>: (standard input is empty|cannot be read)/);
  });

  test('standard input that cannot be read (a directory)', () => {
    const res = sh(`"${process.execPath}" "$0" audit - < "${tmp}"`);
    expect(res).toEqual({ code: EXIT.USAGE, stdout: '', stderr: 'cdk8s-graceful: <stdin>: cannot be read (is a directory)\n' });
  });

  test('named paths that do not exist: all of them named, in name order, whatever the argument order', () => {
    const a = cli(['audit', 'nope.yaml', 'good', 'missing/x.yaml']);
    const b = cli(['audit', 'missing/x.yaml', 'nope.yaml', 'good']);
    expect(a).toEqual({
      code: EXIT.USAGE,
      stdout: '',
      stderr: 'cdk8s-graceful: missing/x.yaml: no such file or directory\ncdk8s-graceful: nope.yaml: no such file or directory\n',
    });
    expect(b).toEqual(a);
  });

  const root = process.getuid?.() === 0;
  (root ? test.skip : test)('a named file without read permission (not as root: root reads it anyway)', () => {
    const d = dir('noperm', { 'x.yaml': 'kind: ConfigMap\n' });
    fs.chmodSync(path.join(d, 'x.yaml'), 0);
    const res = cli(['audit', 'x.yaml'], { cwd: d });
    expect(res).toEqual({ code: EXIT.USAGE, stdout: '', stderr: 'cdk8s-graceful: x.yaml: cannot be read (permission denied)\n' });
  });

  (root ? test.skip : test)('a subdirectory without read permission in a walked directory', () => {
    const d = dir('noperm-dir', { 'ok.yaml': 'kind: ConfigMap\n' });
    fs.mkdirSync(path.join(d, 'locked'));
    fs.chmodSync(path.join(d, 'locked'), 0);
    try {
      const res = cli(['audit', '.'], { cwd: d });
      expect(res).toEqual({ code: EXIT.USAGE, stdout: '', stderr: 'cdk8s-graceful: locked: cannot read directory (permission denied)\n' });
    } finally {
      fs.chmodSync(path.join(d, 'locked'), 0o755);
    }
  });

  test('an input that fails when read (permission denied): named, exit 2, no report', () => {
    let stdout = '';
    let stderr = '';
    const readStdin = () => {
      throw Object.assign(new Error('EACCES: permission denied, read'), { code: 'EACCES' });
    };
    const code = run(['audit', 'good', '-', 'bad'], { cwd: FIXTURES, stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, readStdin });
    expect({ code, stdout, stderr }).toEqual({ code: EXIT.USAGE, stdout: '', stderr: 'cdk8s-graceful: <stdin>: cannot be read (permission denied)\n' });
  });
});

describe('output does not depend on the order of the inputs', () => {
  test.each(['text', 'json', 'sarif'])('%s: stdout and stderr byte for byte', format => {
    const stdin = fs.readFileSync(path.join(FIXTURES, 'good', 'orders.yaml'), 'utf-8');
    const a = cli(['audit', '--format', format, 'helm', 'good', 'ci', '-', 'app', 'bad/shell-wrapper.yaml'], { input: stdin });
    const b = cli(['audit', '--format', format, 'bad/shell-wrapper.yaml', 'app', '-', 'ci', 'good', 'helm'], { input: stdin });
    expect(a.code).toBe(EXIT.FINDINGS);
    expect(a.stderr).toMatch(/ci\/deployment\.yaml:17: note: .*\n.*helm\/deployment\.yaml:\d+: skipped: /);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toBe(a.stderr);
    expect(b.code).toBe(a.code);
  });
});
