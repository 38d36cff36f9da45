/**
 * Builds the package for another cdk8s-plus major from the same sources, as cdk8s-plus itself ships one
 * package per Kubernetes minor: `cdk8s-graceful` is built against cdk8s-plus-28, `cdk8s-graceful-plus-33`
 * against cdk8s-plus-33. The public types name cdk8s-plus classes (a service's `deployment`, a registry's
 * Secret), so one package cannot serve both: a cdk8s-plus-33 app would get cdk8s-plus-28 installed beside
 * it and two incompatible declarations of every class.
 *
 *   npx ts-node --transpile-only scripts/build-variant.ts 33 [--out <dir>]
 *
 * Stages the packed files of this package with `src/` in a temporary directory, rewrites `cdk8s-plus-28`
 * to `cdk8s-plus-<major>` in the sources (imports and TSDoc), the default `kubernetesVersion` to
 * `1.<major>` (src/plus.ts) and the peer dependency, compiles with jsii and `npm pack`s it into `<dir>`
 * (default `dist/variants/`). Prints the tarball's path. The cdk8s-plus defaults the TSDoc names (resources,
 * security context, startup probe) are the same in cdk8s-plus-28 2.5.6 and cdk8s-plus-33 2.5.57. The variant's cdk8s-plus version must be installed in this repository (a dev
 * dependency, see `.projenrc.ts`); its range is taken from there.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const BASE_MAJOR = '28';
const BASE_PLUS = `cdk8s-plus-${BASE_MAJOR}`;

/** The variants this repository builds and tests. */
export const VARIANT_MAJORS = ['33'];

function run(cmd: string, args: string[], cwd: string): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}) in ${cwd}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

function copyTree(from: string, to: string) {
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

/** Every `.ts` file under `dir` with `cdk8s-plus-28` (imports and text) rewritten; returns how many files changed. */
function rewritePlus(dir: string, plus: string): number {
  let changed = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      changed += rewritePlus(full, plus);
    } else if (e.name.endsWith('.ts')) {
      const text = fs.readFileSync(full, 'utf-8');
      const next = text.split(BASE_PLUS).join(plus);
      if (next !== text) {
        fs.writeFileSync(full, next);
        changed++;
      }
    }
  }
  return changed;
}

/** Replaces `from` by `to` in one file of the stage; fails when `from` is not there (the sources moved on). */
function rewriteExactly(file: string, from: string, to: string) {
  const text = fs.readFileSync(file, 'utf-8');
  if (!text.includes(from)) throw new Error(`${path.basename(file)} no longer contains ${JSON.stringify(from)}: update scripts/build-variant.ts`);
  fs.writeFileSync(file, text.split(from).join(to));
}

/** Builds the variant for a cdk8s-plus major; returns the tarball's path. */
export function buildVariant(major: string, outDir: string): string {
  if (!/^[0-9]+$/.test(major)) throw new Error(`cdk8s-plus major must be a number, got ${JSON.stringify(major)}`);
  const plus = `cdk8s-plus-${major}`;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  const plusVersion: string | undefined = pkg.devDependencies?.[plus];
  // major 28 builds the package itself the same way (the tests use it to compare)
  if (!plusVersion || !fs.existsSync(path.join(ROOT, 'node_modules', plus))) {
    throw new Error(`${plus} is not a dev dependency of this repository (add it in .projenrc.ts and run npx projen)`);
  }
  // staged outside the repository: a .jsii left inside it would be read by jsii-docgen instead of the package's own
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-graceful-plus-${major}-`));
  try {
    return buildIn(stage, major, plus, plusVersion, pkg, outDir);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function buildIn(stage: string, major: string, plus: string, plusVersion: string, pkg: any, outDir: string): string {

  // the files `npm pack` selects, without what is built below
  const listed = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT));
  for (const file of listed[0].files as { path: string }[]) {
    // built below; and never a previous build's staging or output
    if (/^(lib|node_modules|build|dist)\//.test(file.path) || file.path === '.jsii' || file.path === 'package.json') continue;
    const target = path.join(stage, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file.path), target);
  }
  copyTree(path.join(ROOT, 'src'), path.join(stage, 'src'));
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(stage, 'tsconfig.json'));
  const base = major === BASE_MAJOR;
  if (!base && rewritePlus(path.join(stage, 'src'), plus) === 0) throw new Error(`no source imports ${BASE_PLUS}: update scripts/build-variant.ts`);
  if (!base) rewriteExactly(path.join(stage, 'src', 'plus.ts'), "PLUS_KUBERNETES_VERSION = '1.28'", `PLUS_KUBERNETES_VERSION = '1.${major}'`);
  if (!base) rewriteExactly(path.join(stage, 'src', 'graceful-service.ts'), "@default '1.28'", `@default '1.${major}'`);

  const peers = { ...pkg.peerDependencies };
  delete peers[BASE_PLUS];
  peers[plus] = `^${plusVersion.replace(/^[\^~]/, '')}`;
  const variant = {
    ...pkg,
    name: base ? pkg.name : `${pkg.name}-plus-${major}`,
    description: base ? pkg.description : `${pkg.description} Built for ${plus}.`,
    keywords: base ? pkg.keywords : [...(pkg.keywords ?? []), plus],
    peerDependencies: peers,
    devDependencies: undefined,
    scripts: undefined,
  };
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(variant, null, 2) + '\n');
  const readme = path.join(stage, 'README.md');
  if (!base && fs.existsSync(readme)) {
    fs.writeFileSync(readme, `> This is **${variant.name}**: ${pkg.name} built for \`${plus}\`. Install it instead of `
      + `\`${pkg.name}\` in an app that uses ${plus}; everything below applies with that package name.\n\n` + fs.readFileSync(readme, 'utf-8'));
  }

  // dependencies: the bundled ones copied (npm pack bundles them), the others linked for the compiler
  const modules = path.join(stage, 'node_modules');
  fs.mkdirSync(modules);
  for (const dep of pkg.bundledDependencies ?? []) copyTree(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
  for (const dep of [...Object.keys(peers), '@types']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');

  run(process.execPath, [path.join(ROOT, 'node_modules', 'jsii', 'bin', 'jsii'), '--silence-warnings=reserved-word'], stage);
  fs.rmSync(path.join(stage, 'src'), { recursive: true });
  for (const dep of [...Object.keys(peers), '@types']) fs.unlinkSync(path.join(modules, dep));

  fs.mkdirSync(outDir, { recursive: true });
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], stage));
  return path.join(outDir, packed[0].filename);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const major = args.find(a => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--out');
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(ROOT, 'dist', 'variants');
  if (!major) {
    process.stderr.write(`usage: build-variant.ts <cdk8s-plus major: ${VARIANT_MAJORS.join(', ')}> [--out <dir>]\n`);
    process.exit(2);
  }
  try {
    process.stdout.write(buildVariant(major, out) + '\n');
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
