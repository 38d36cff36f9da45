/**
 * Synthesis benchmark: N GracefulJavaServices against N hand-written cdk8s-plus-28
 * Deployment + Service + PodDisruptionBudget trios that set the same fields (see ./workloads.ts).
 *
 *   npm run bench                      # tsc -p bench/tsconfig.json && node bench/out/bench/synth.js
 *   node bench/out/bench/synth.js --n 1000 --runs 7 --warmup-n 50
 *
 * Each run of each side is a fresh child process (peak RSS = that process's maxRSS). One discarded
 * run per side warms the file cache, then the sides alternate for --runs rounds; medians are compared.
 * Prints a table and `time ratio: X.XX` / `memory ratio: X.XX` (library / hand-written). The goal is
 * ≤ 1.2× for both; the exit code does not depend on it.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import type { ChildResult } from './child';
import { Side, SIDES, synth } from './workloads';

const GOAL = 1.2;

const LABEL: Record<Side, string> = {
  library: 'GracefulJavaService',
  hand: 'hand-written cdk8s-plus-28',
};

interface Options {
  readonly n: number;
  readonly runs: number;
  readonly warmupN: number;
}

function parseOptions(argv: string[]): Options {
  const opts = { n: 1000, runs: 7, warmupN: 50 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${key} needs a whole number, got ${JSON.stringify(argv[i + 1])}`);
    }
    switch (key) {
      case '--n': opts.n = value; break;
      case '--runs': opts.runs = value; break;
      case '--warmup-n': opts.warmupN = value; break;
      default: throw new Error(`unknown option ${key} (known: --n, --runs, --warmup-n)`);
    }
  }
  if (opts.n < 1 || opts.runs < 1) {
    throw new Error('--n and --runs must be at least 1');
  }
  return opts;
}

/** Children run as compiled JS; when this file runs under ts-node, they do too (with its compiler loaded). */
function childCommand(): string[] {
  if (__filename.endsWith('.ts')) {
    return ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'child.ts')];
  }
  return [path.join(__dirname, 'child.js')];
}

function runChild(side: Side, opts: Options): ChildResult {
  const res = spawnSync(process.execPath, [...childCommand(), side, String(opts.n), String(opts.warmupN)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(`${side} run failed (exit ${res.status}, signal ${res.signal}):\n${res.stderr}`);
  }
  const line = res.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as ChildResult;
}

/** Small in-process check that both sides synthesize the same manifests; prints the first difference. */
function checkSameOutput(): boolean {
  const lib = synth('library', 3, 'check').split('\n');
  const hand = synth('hand', 3, 'check').split('\n');
  for (let i = 0; i < Math.max(lib.length, hand.length); i++) {
    if (lib[i] !== hand[i]) {
      console.log(`WARNING: the two sides synthesize different YAML; first difference at line ${i + 1}:`);
      console.log(`  library: ${JSON.stringify(lib[i])}`);
      console.log(`  hand:    ${JSON.stringify(hand[i])}`);
      console.log('  update bench/workloads.ts (addHandWrittenService) to match the library.');
      return false;
    }
  }
  return true;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const mib = (kib: number) => kib / 1024;
const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pad = (s: string, w: number) => s.padStart(w);

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const cpus = os.cpus();
  console.log(`cdk8s-graceful synth benchmark: ${opts.n} services per side, median of ${opts.runs} runs, `
    + `in-process warm-up ${opts.warmupN} services`);
  console.log(`Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'})`);
  console.log('');

  const sameSmall = checkSameOutput();

  // Warm-up: one discarded run per side (file cache, disk), then alternate the order every round.
  for (const side of SIDES) runChild(side, opts);
  const results: Record<Side, ChildResult[]> = { library: [], hand: [] };
  for (let r = 0; r < opts.runs; r++) {
    const order = r % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) {
      const res = runChild(side, opts);
      results[side].push(res);
      console.log(`run ${r + 1} ${pad(side, 7)}: ${fmt(res.totalMs)} ms (construct ${fmt(res.constructMs)} + synth ${fmt(res.synthMs)}), `
        + `CPU ${fmt(res.cpuMs)} ms, peak RSS ${fmt(mib(res.maxRssKiB))} MiB`);
    }
  }

  const hashes = new Set([...results.library, ...results.hand].map(r => r.sha256));
  const sameFull = hashes.size === 1;
  const sample = results.library[0];
  console.log('');
  console.log(`output: ${sample.documents} documents, ${fmt(sample.yamlBytes / 1024 / 1024, 2)} MiB of YAML per run; `
    + `library and hand-written output ${sameSmall && sameFull ? 'identical' : 'DIFFERENT (comparison is not like for like)'}`);
  console.log('');

  const summary = Object.fromEntries(SIDES.map(side => {
    const rs = results[side];
    return [side, {
      total: median(rs.map(r => r.totalMs)),
      cpu: median(rs.map(r => r.cpuMs)),
      construct: median(rs.map(r => r.constructMs)),
      synth: median(rs.map(r => r.synthMs)),
      load: median(rs.map(r => r.loadMs)),
      rssBefore: mib(median(rs.map(r => r.rssBeforeKiB))),
      peak: mib(median(rs.map(r => r.maxRssKiB))),
    }];
  })) as Record<Side, { total: number; cpu: number; construct: number; synth: number; load: number; rssBefore: number; peak: number }>;

  const timeRatio = summary.library.total / summary.hand.total;
  const memRatio = summary.library.peak / summary.hand.peak;
  const meets = (r: number) => (r <= GOAL ? 'yes' : 'NO');

  const w = [28, 9, 10, 9, 9, 9, 15, 13];
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(w[0]) : pad(c, w[i]))).join(' '));
  row(['side (medians)', 'time ms', 'construct', 'synth', 'CPU ms', 'load', 'RSS before MiB', 'peak RSS MiB']);
  for (const side of SIDES) {
    const s = summary[side];
    row([LABEL[side], fmt(s.total), fmt(s.construct), fmt(s.synth), fmt(s.cpu), fmt(s.load), fmt(s.rssBefore), fmt(s.peak)]);
  }
  row([
    'library / hand-written',
    `${fmt(timeRatio, 2)}×`,
    `${fmt(summary.library.construct / summary.hand.construct, 2)}×`,
    `${fmt(summary.library.synth / summary.hand.synth, 2)}×`,
    `${fmt(summary.library.cpu / summary.hand.cpu, 2)}×`,
    '', '',
    `${fmt(memRatio, 2)}×`,
  ]);
  row([`meets ≤ ${GOAL}×`, meets(timeRatio), '', '', '', '', '', meets(memRatio)]);
  console.log('');
  console.log(`time ratio: ${fmt(timeRatio, 2)}`);
  console.log(`memory ratio: ${fmt(memRatio, 2)}`);
}

main();
