import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compiledMain, CORPUS, ROOT } from './cli';

/*
 * `cdk8s-graceful audit` loads only what auditing needs: not cdk8s, cdk8s-plus-28 or constructs (the constructs'
 * peer dependencies). The CLI runs as a real process with a require hook that refuses those three packages and
 * records every attempt; its report must be the same as without the hook.
 */
const BLOCKED = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

const HOOK = `
const Module = require('module');
const original = Module._load;
const blocked = new Set(${JSON.stringify(BLOCKED)});
Module._load = function (request, parent, isMain) {
  const pkg = request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0];
  if (blocked.has(pkg)) {
    process.stderr.write('BLOCKED ' + request + ' from ' + (parent && parent.filename) + '\\n');
    throw new Error('the audit must not load ' + request);
  }
  return original.apply(this, arguments);
};
`;

let hook: string;
beforeAll(() => {
  hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-hook-')), 'block-peers.js');
  fs.writeFileSync(hook, HOOK);
});
afterAll(() => fs.rmSync(path.dirname(hook), { recursive: true, force: true }));

function run(args: string[], withHook: boolean): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [...(withHook ? ['-r', hook] : []), compiledMain(), ...args], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

// every rule's fail and pass example (every registry, every rule's numbers) and the real-world corpus
const INPUTS = ['rules/examples', path.relative(ROOT, CORPUS)];

test.each([
  ['text report', ['audit', '--fail-on', 'none', ...INPUTS]],
  ['json report', ['audit', '--format', 'json', '--fail-on', 'none', ...INPUTS]],
  ['the rule catalogue', ['rules', '--format', 'json']],
])('%s: no cdk8s, cdk8s-plus-28 or constructs loaded, same output as without the hook', (_name, args) => {
  const blocked = run(args, true);
  expect(blocked.stderr).not.toMatch(/BLOCKED/);
  expect(blocked.code).toBe(0);
  const free = run(args, false);
  expect(blocked.stdout).toBe(free.stdout);
  expect(blocked.stdout.length).toBeGreaterThan(1000);
});

test('the hook does refuse a construct module (the test can fail)', () => {
  const res = spawnSync(process.execPath, ['-r', hook, '-e', 'require("cdk8s")'], {
    encoding: 'utf-8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  expect(res.status).not.toBe(0);
  expect(res.stderr).toMatch(/BLOCKED cdk8s/);
});
