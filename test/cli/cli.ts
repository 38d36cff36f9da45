import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transpileTree } from '../util/transpile';

export const ROOT = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** Real public manifests and Dockerfiles, with their provenance in each file's header. */
export const CORPUS = path.join(__dirname, '..', 'fixtures', 'real-world');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let compiled: string | undefined;

/**
 * The CLI's entry point as JavaScript: every file of `src/` transpiled once per test file into a
 * temporary directory (with the package.json the CLI reads its version from). `npm test` runs jest
 * before anything is compiled, so `lib/` cannot be relied on; transpiling once costs about as much as
 * one ts-node start, and each CLI process then starts in a fraction of that.
 */
export function compiledMain(): string {
  if (compiled) return compiled;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-graceful-cli-'));
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  transpileTree(path.join(ROOT, 'src'), path.join(out, 'src'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  compiled = path.join(out, 'src', 'cli', 'main.js');
  return compiled;
}

/** Runs `cdk8s-graceful` as a real process (`node …/cli/main.js <args>`). */
export function cli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const res = spawnSync(process.execPath, [compiledMain(), ...args], {
    cwd: options.cwd ?? FIXTURES,
    input: options.input ?? '',
    encoding: 'utf-8',
    // the transpiled files live outside the repository: dependencies (yaml) come from its node_modules
    env: { ...process.env, ...options.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
