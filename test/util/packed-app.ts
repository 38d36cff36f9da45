import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/*
 * A new cdk8s app in a temporary directory with a packed build of this package installed, as a user gets
 * it: the tarball unpacked under the package's name, the peer dependencies linked from this repository's
 * node_modules, and the real cdk8s CLI. Shared by the tests that load the plugin by package name and the
 * ones that prove each cdk8s-plus build in its own app.
 */

export const ROOT = path.join(__dirname, '..', '..');

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { cwd, env, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return res;
}

export function check(res: SpawnSyncReturns<string>, what: string): string {
  if (res.status !== 0) throw new Error(`${what} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/** A packed package and what it needs beside it. */
export interface PackedPackage {
  /** Its name in package.json, e.g. `cdk8s-graceful-plus-33`. */
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
  /** Peer dependencies, linked from this repository's node_modules. */
  readonly peers: string[];
}

/**
 * An `npm` for the cdk8s CLI's plugin install (`npm install <name>@<version> --no-save --prefix <dir>`):
 * installs the tarball offline and links the peers the registry install would have added. Every call is
 * appended to `<work>/npm-calls.log`. Returns the directory to put first on PATH.
 */
export function npmShim(work: string, pkg: PackedPackage): string {
  const realNpm = check(run('sh', ['-c', 'command -v npm'], work), 'command -v npm').trim();
  const dir = path.join(work, `bin-${pkg.name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'npm'), [
    '#!/bin/sh',
    `echo "$*" >> '${path.join(work, 'npm-calls.log')}'`,
    `[ "$1" = install ] && [ "$2" = '${pkg.name}@${pkg.version}' ] && [ "$3" = --no-save ] && [ "$4" = --prefix ] || { echo "unexpected npm call: $*" >&2; exit 1; }`,
    `'${realNpm}' install '${pkg.tarball}' --no-save --prefix "$5" --offline --legacy-peer-deps --no-audit --no-fund --ignore-scripts || exit 1`,
    ...pkg.peers.map(p => `ln -s '${path.join(ROOT, 'node_modules', p)}' "$5/node_modules/${p}"`),
    '',
  ].join('\n'), { mode: 0o755 });
  return dir;
}

/** The npm calls the shims answered so far. */
export function npmCalls(work: string): string[] {
  const log = path.join(work, 'npm-calls.log');
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').trim().split('\n') : [];
}

/**
 * A cdk8s app in `<work>/<name>`: package.json, the tarball installed, the peers linked, `files` written
 * (e.g. `main.js`), and cdk8s.yaml running `node main.js` with the plugin named by package unless `plugin` is false.
 */
export function newApp(work: string, name: string, pkg: PackedPackage, files: { [file: string]: string },
  opts: { plugin?: boolean } = {}): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const repoPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name,
    private: true,
    dependencies: { ...Object.fromEntries(pkg.peers.map(p => [p, repoPkg.devDependencies[p]])), [pkg.name]: `file:${pkg.tarball}` },
  }, null, 2));
  // what `npm install` puts into node_modules for the tarball: its contents under the package's name
  const installed = path.join(dir, 'node_modules', pkg.name);
  fs.mkdirSync(installed, { recursive: true });
  check(run('tar', ['-xzf', pkg.tarball, '-C', installed, '--strip-components=1'], dir), 'tar');
  for (const peer of pkg.peers) fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(dir, 'node_modules', peer), 'dir');
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'app: node main.js',
    'output: dist',
    ...(opts.plugin === false ? [] : [
      'validations:',
      `  - package: ${pkg.name}`,
      '    class: GracefulValidation',
      `    version: ${pkg.version}`,
      '    properties:',
      '      failOn: error',
    ]),
    '',
  ].join('\n'));
  return dir;
}

/** The real `cdk8s synth` in an app, with `shimDir` first on PATH. */
export function synth(work: string, dir: string, shimDir: string): { code: number | null; out: string } {
  const res = run(process.execPath, [
    path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'),
    'synth', '--no-check-upgrade', '--plugins-dir', path.join(work, 'plugins'),
  ], dir, { ...process.env, PATH: `${shimDir}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' });
  return { code: res.status, out: res.stdout + res.stderr };
}
