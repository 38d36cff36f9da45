import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** The real-world corpus sits beside the repository (in CI too). */
export const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real-world');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `cdk8s-graceful` as a real process on the sources (ts-node, transpile only), so it works on a
 * fresh clone before `npx projen compile`: `npm test` runs jest before anything is compiled.
 */
export function cli(args: string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const res = spawnSync(process.execPath, [
    '-r', require.resolve('ts-node/register/transpile-only'),
    path.join(ROOT, 'src', 'cli', 'main.ts'),
    ...args,
  ], {
    cwd: options.cwd ?? FIXTURES,
    input: options.input ?? '',
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'projenrc', 'tsconfig.json') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
