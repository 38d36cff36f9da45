/**
 * Synthesis benchmark: N GracefulJavaServices against N hand-written cdk8s-plus-28
 * Deployment + Service + PodDisruptionBudget trios that set the same fields (see ./workloads.ts), with every
 * service in one Chart and with one Chart per service (cdk8s validates the app once per chart).
 *
 *   npm run bench                      # tsc -p bench/tsconfig.json && node bench/out/bench/synth.js
 *   node bench/out/bench/synth.js --n 25,200,1000 --layout chart-per-service --runs 5 --warmup-n 50
 *
 * Each run of each side is a fresh child process. One discarded run per side warms the file cache, then the
 * sides alternate for --runs rounds (pairs). Each pair gives a ratio (library / hand-written) of wall time,
 * CPU time (process.cpuUsage: user + system; less sensitive to other load than wall time) and memory growth
 * (peak RSS − RSS before the measured run: what N services cost, without the fixed baseline of a Node
 * process with cdk8s loaded). Prints the median of the pair ratios with their min–max, the library's CPU per
 * service (flat when synth is linear in N), and the load average before and after (the machine may be shared).
 * The goal is ≤ 1.2× CPU; the exit code does not depend on it.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import type { ChildResult } from './child';
import { Layout, LAYOUTS, Side, SIDES, synth } from './workloads';

const GOAL = 1.2;

const LABEL: Record<Side, string> = {
  library: 'GracefulJavaService',
  hand: 'hand-written cdk8s-plus-28',
};

interface Options {
  readonly ns: number[];
  readonly layouts: Layout[];
  readonly runs: number;
  readonly warmupN: number;
}

function parseOptions(argv: string[]): Options {
  let ns = [1000];
  let layouts: Layout[] = [...LAYOUTS];
  let runs = 7;
  let warmupN = 50;
  const whole = (key: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${key} needs a whole number, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    switch (key) {
      case '--n': ns = (value ?? '').split(',').map(v => whole(key, v)); break;
      case '--layout':
        layouts = (value ?? '').split(',') as Layout[];
        for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`--layout takes ${LAYOUTS.join(', ')} (comma-separated), got ${JSON.stringify(l)}`);
        break;
      case '--runs': runs = whole(key, value); break;
      case '--warmup-n': warmupN = whole(key, value); break;
      default: throw new Error(`unknown option ${key} (known: --n, --layout, --runs, --warmup-n)`);
    }
  }
  if (ns.some(n => n < 1) || runs < 1) throw new Error('--n and --runs must be at least 1');
  return { ns, layouts, runs, warmupN };
}

/** Children run as compiled JS; when this file runs under ts-node, they do too (with its compiler loaded). */
function childCommand(): string[] {
  if (__filename.endsWith('.ts')) {
    return ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'child.ts')];
  }
  return [path.join(__dirname, 'child.js')];
}

function runChild(side: Side, n: number, layout: Layout, opts: Options): ChildResult {
  const res = spawnSync(process.execPath, [...childCommand(), side, String(n), String(opts.warmupN), layout], {
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

/** Median of the values with their min–max, e.g. `1.12× (1.05–1.31)`. */
function spread(xs: number[], digits = 2, unit = '×'): string {
  return `${fmt(median(xs), digits)}${unit} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
}

const mib = (kib: number) => kib / 1024;
const fmt = (x: number, digits = 1) => x.toFixed(digits);
const load = () => os.loadavg().map(x => x.toFixed(2)).join(' ');

interface Summary {
  readonly layout: Layout;
  readonly n: number;
  readonly wall: number[];
  readonly cpu: number[];
  readonly growth: number[];
  readonly libCpuPerService: number[];
  readonly handCpuPerService: number[];
  readonly identical: boolean;
}

function measure(layout: Layout, n: number, opts: Options): Summary {
  console.log(`-- ${layout}, ${n} services per side (load average ${load()})`);
  for (const side of SIDES) runChild(side, n, layout, opts); // warm-up, discarded
  const pairs: Record<Side, ChildResult>[] = [];
  for (let r = 0; r < opts.runs; r++) {
    const order = r % 2 === 0 ? SIDES : [...SIDES].reverse();
    const pair = {} as Record<Side, ChildResult>;
    for (const side of order) {
      const res = runChild(side, n, layout, opts);
      pair[side] = res;
      console.log(`run ${r + 1} ${side.padStart(7)}: wall ${fmt(res.totalMs)} ms (construct ${fmt(res.constructMs)} + synth ${fmt(res.synthMs)}), `
        + `CPU ${fmt(res.cpuMs)} ms, memory +${fmt(mib(res.growthKiB))} MiB (peak RSS ${fmt(mib(res.maxRssKiB))} MiB)`);
    }
    pairs.push(pair);
  }
  const hashes = new Set(pairs.flatMap(p => [p.library.sha256, p.hand.sha256]));
  return {
    layout,
    n,
    wall: pairs.map(p => p.library.totalMs / p.hand.totalMs),
    cpu: pairs.map(p => p.library.cpuMs / p.hand.cpuMs),
    growth: pairs.map(p => p.library.growthKiB / Math.max(1, p.hand.growthKiB)),
    libCpuPerService: pairs.map(p => p.library.cpuMs / n),
    handCpuPerService: pairs.map(p => p.hand.cpuMs / n),
    identical: hashes.size === 1,
  };
}

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const cpus = os.cpus();
  console.log(`cdk8s-graceful synth benchmark: ${opts.ns.join(', ')} services per side, layouts ${opts.layouts.join(', ')}, `
    + `${opts.runs} alternated pairs each, in-process warm-up ${opts.warmupN} services`);
  console.log(`Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}); `
    + `load average ${load()} (1, 5, 15 min)`);
  console.log('');
  const sameSmall = checkSameOutput();
  const results: Summary[] = [];
  for (const layout of opts.layouts) {
    for (const n of opts.ns) results.push(measure(layout, n, opts));
  }
  console.log('');
  console.log(`library / hand-written, median of ${opts.runs} pair ratios (min–max); CPU per service: median ms (min–max)`);
  for (const r of results) {
    console.log(`${r.layout} n=${r.n}: CPU ${spread(r.cpu)}, wall ${spread(r.wall)}, memory growth ${spread(r.growth)}; `
      + `CPU per service: library ${spread(r.libCpuPerService, 2, ' ms')}, hand-written ${spread(r.handCpuPerService, 2, ' ms')}; `
      + `output ${sameSmall && r.identical ? 'identical' : 'DIFFERENT (not like for like)'}; meets ≤ ${GOAL}× CPU: ${median(r.cpu) <= GOAL ? 'yes' : 'NO'}`);
  }
  printMarginal(results);
  console.log(`load average after: ${load()}`);
}

/**
 * With several N for a layout: what each further service costs (CPU from N1 to N2, divided by N2 − N1), per
 * side, and the library's extra CPU per service over the hand-written side at each N. The marginal cost leaves
 * out what a run pays once whatever N (module set-up, compiling the library's hot functions), which weighs more at
 * small N; the extra per service shows whether the library adds a cost that grows with N.
 */
function printMarginal(results: Summary[]): void {
  for (const layout of new Set(results.map(r => r.layout))) {
    const rows = results.filter(r => r.layout === layout).sort((a, b) => a.n - b.n);
    if (rows.length < 2) continue;
    const extra = rows.map(r => `${r.n}: ${fmt(median(r.libCpuPerService) - median(r.handCpuPerService), 2)} ms`).join(', ');
    console.log(`${layout}: library CPU per service beyond the hand-written side's (medians): ${extra}`);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const marginal = (perService: (r: Summary) => number[]) =>
        (median(perService(b)) * b.n - median(perService(a)) * a.n) / (b.n - a.n);
      const lib = marginal(r => r.libCpuPerService);
      const hand = marginal(r => r.handCpuPerService);
      console.log(`${layout}: marginal CPU per service from ${a.n} to ${b.n}: library ${fmt(lib, 2)} ms, hand-written ${fmt(hand, 2)} ms, `
        + `ratio ${fmt(lib / hand, 2)}×`);
    }
  }
}

main();
