/**
 * Audit benchmark: how much does `cdk8s-graceful audit` add to the CLI's own reading of the YAML, and how
 * fast does the CLI start?
 *
 *   npm run bench:audit          # tsc -p bench/tsconfig.json && node bench/out/bench/audit.js
 *   node bench/out/bench/audit.js --n 10000,100000 --runs 5 --startup-runs 10
 *
 * Input (./audit-workload.ts): services as a cluster holds them — ConfigMap (read through envFrom), Deployment,
 * Service, PodDisruptionBudget (4 of 5), HorizontalPodAutoscaler (1 of 7) — half of them registered with Consul
 * with the same health check, written as ONE multi-document YAML file without anchors or aliases, N objects.
 *
 * Each measured run is a fresh child process (`--child parse|audit <file>`), so its memory is its own:
 *
 *   parse   the CLI's loader on the file (`parseYaml`: parseAllDocuments with the CLI's options and
 *           LineCounter, the template scan, the object bookkeeping): what any run of the CLI pays
 *   audit   the same, then `audit()` with every rule
 *
 * The two alternate for --runs rounds (pairs). Each pair gives ratios (audit / parse) of wall time, CPU time
 * (process.cpuUsage) and memory growth (peak RSS − RSS after loading the modules and reading the file); the
 * medians of the pair ratios are printed with their min–max, with the absolute figures. The goal is audit ≤ 1.3×
 * parse. A child that exceeds Node's default heap is reported as such (re-run with
 * NODE_OPTIONS=--max-old-space-size=<MiB>).
 *
 * Start-up: `node <cli> audit --fail-on none <small file>` against `node bare-parse.js <small file>` (node,
 * the yaml package, parseAllDocuments + toJS), alternated, CPU time of each process measured by a preloaded
 * module (the same for both). Goal: ≤ 1.5×.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { workloadYaml } from './audit-workload';

const GOAL = 1.3;
const STARTUP_GOAL = 1.5;

interface Options {
  readonly ns: number[];
  readonly runs: number;
  readonly startupRuns: number;
}

function parseOptions(argv: string[]): Options {
  let ns = [10_000, 100_000];
  let runs = 5;
  let startupRuns = 10;
  const whole = (key: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${key} needs a whole number, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    switch (key) {
      case '--n': ns = (argv[i + 1] ?? '').split(',').map(v => whole(key, v)); break;
      case '--runs': runs = whole(key, argv[i + 1]); break;
      case '--startup-runs': startupRuns = whole(key, argv[i + 1]); break;
      default: throw new Error(`unknown option ${key} (known: --n, --runs, --startup-runs)`);
    }
  }
  if (ns.some(n => n < 1) || runs < 1) throw new Error('--n and --runs must be at least 1');
  return { ns, runs, startupRuns };
}

interface ChildResult {
  readonly mode: 'parse' | 'audit';
  readonly objects: number;
  readonly findings: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** of which audit() (audit mode) */
  readonly auditMs: number;
  readonly rssBeforeKiB: number;
  readonly maxRssKiB: number;
  readonly heapLimitMiB: number;
}

/** One measured run, in this (child) process. */
function child(mode: 'parse' | 'audit', file: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parseYaml } = require('../src/cli/yaml') as typeof import('../src/cli/yaml');
  const { audit, Rules } = require('../src/rules/engine') as typeof import('../src/rules/engine');
  const v8 = require('v8') as typeof import('v8');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const text = fs.readFileSync(file, 'utf-8');
  const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const parsed = parseYaml(text, 'bench.yaml');
  if ('skipped' in parsed) throw new Error(`the workload did not parse: ${parsed.skipped.reason}`);
  let findings = 0;
  let auditMs = 0;
  if (mode === 'audit') {
    const ta = process.hrtime.bigint();
    findings = audit({ documents: parsed.objects.map(o => o.document) }, { rules: Rules.all() }).length;
    auditMs = Number(process.hrtime.bigint() - ta) / 1e6;
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    mode,
    objects: parsed.objects.length,
    findings,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    auditMs,
    rssBeforeKiB,
    maxRssKiB: process.resourceUsage().maxRSS,
    heapLimitMiB: Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(mode: 'parse' | 'audit', file: string): ChildResult | { failed: string } {
  const res = spawnSync(process.execPath, [__filename, '--child', mode, file], { encoding: 'utf-8', maxBuffer: 16 * 1024 * 1024 });
  if (res.status !== 0) {
    const heap = /heap out of memory|Allocation failed/.test(res.stderr ?? '');
    return { failed: heap ? 'exceeded Node\'s default heap (JavaScript heap out of memory)' : `exit ${res.status ?? res.signal}: ${res.stderr?.slice(-500)}` };
  }
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as ChildResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const spread = (xs: number[], digits = 2, unit = '×') => `${fmt(median(xs), digits)}${unit} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
const mib = (kib: number) => kib / 1024;
const load = () => os.loadavg().map(x => x.toFixed(2)).join(' ');

function measure(n: number, runs: number, dir: string): string {
  const file = path.join(dir, `workload-${n}.yaml`);
  fs.writeFileSync(file, workloadYaml(n));
  const bytes = fs.statSync(file).size;
  console.log(`-- ${n} objects, ${fmt(bytes / 2 ** 20, 1)} MiB of YAML (load average ${load()})`);
  const pairs: { parse: ChildResult; audit: ChildResult }[] = [];
  for (let r = 0; r < runs; r++) {
    const order: ('parse' | 'audit')[] = r % 2 === 0 ? ['parse', 'audit'] : ['audit', 'parse'];
    const pair: Partial<Record<'parse' | 'audit', ChildResult>> = {};
    for (const mode of order) {
      const res = runChild(mode, file);
      if ('failed' in res) {
        const line = `${n} objects: the ${mode} run ${res.failed}`;
        console.log(line);
        return line;
      }
      pair[mode] = res;
      console.log(`run ${r + 1} ${mode.padStart(5)}: wall ${fmt(res.wallMs)} ms, CPU ${fmt(res.cpuMs)} ms${mode === 'audit' ? ` (audit() ${fmt(res.auditMs)} ms)` : ''}, `
        + `memory +${fmt(mib(res.maxRssKiB - res.rssBeforeKiB), 0)} MiB (peak RSS ${fmt(mib(res.maxRssKiB), 0)} MiB)`);
    }
    pairs.push(pair as { parse: ChildResult; audit: ChildResult });
  }
  const a = pairs[0].audit;
  const growth = (c: ChildResult) => Math.max(1, c.maxRssKiB - c.rssBeforeKiB);
  const cpu = pairs.map(p => p.audit.cpuMs / p.parse.cpuMs);
  return `${n} objects (${a.objects} read, ${a.findings} findings): audit / parse CPU ${spread(cpu)}, `
    + `wall ${spread(pairs.map(p => p.audit.wallMs / p.parse.wallMs))}, memory growth ${spread(pairs.map(p => growth(p.audit) / growth(p.parse)))}; `
    + `parse ${fmt(median(pairs.map(p => p.parse.cpuMs)), 0)} ms CPU, audit() ${fmt(median(pairs.map(p => p.audit.auditMs)), 0)} ms wall, `
    + `peak RSS ${fmt(mib(median(pairs.map(p => p.audit.maxRssKiB))), 0)} MiB (heap limit ${a.heapLimitMiB} MiB); `
    + `meets ≤ ${GOAL}× CPU: ${median(cpu) <= GOAL ? 'yes' : 'NO'}`;
}

/** CPU time of a short process, reported by a preloaded module at exit. */
function cpuOf(args: string[], preload: string): number {
  const res = spawnSync(process.execPath, ['-r', preload, ...args], { encoding: 'utf-8' });
  const m = /STARTUP-CPU (\d+(?:\.\d+)?)/.exec(res.stderr ?? '');
  if (!m) throw new Error(`no CPU report from ${args.join(' ')} (exit ${res.status}): ${res.stderr}`);
  return Number(m[1]);
}

function startup(runs: number, dir: string): string {
  const preload = path.join(dir, 'cpu-report.js');
  fs.writeFileSync(preload, 'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write(`STARTUP-CPU ${(u.user + u.system) / 1000}\\n`); });\n');
  const small = path.join(dir, 'small.yaml');
  fs.writeFileSync(small, workloadYaml(4));
  const cliMain = path.join(__dirname, '..', 'src', 'cli', 'main.js');
  const bare = path.join(__dirname, 'bare-parse.js');
  const ratios: number[] = [];
  const cli: number[] = [];
  const parse: number[] = [];
  cpuOf([bare, small], preload);
  cpuOf([cliMain, 'audit', '--fail-on', 'none', small], preload);
  for (let r = 0; r < runs; r++) {
    let b: number;
    let c: number;
    if (r % 2 === 0) {
      b = cpuOf([bare, small], preload);
      c = cpuOf([cliMain, 'audit', '--fail-on', 'none', small], preload);
    } else {
      c = cpuOf([cliMain, 'audit', '--fail-on', 'none', small], preload);
      b = cpuOf([bare, small], preload);
    }
    cli.push(c);
    parse.push(b);
    ratios.push(c / b);
  }
  return `start-up on a ${workloadYaml(4).split('\n').length}-line file: CLI / bare yaml parse CPU ${spread(ratios)}; `
    + `CLI ${fmt(median(cli), 0)} ms, bare parse ${fmt(median(parse), 0)} ms CPU (medians); meets ≤ ${STARTUP_GOAL}×: ${median(ratios) <= STARTUP_GOAL ? 'yes' : 'NO'}`;
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1] as 'parse' | 'audit', argv[2]);
  const opts = parseOptions(argv);
  const cpus = os.cpus();
  console.log(`cdk8s-graceful audit benchmark: ${opts.ns.join(', ')} objects, ${opts.runs} alternated pairs each; start-up ${opts.startupRuns} pairs`);
  console.log(`Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}); `
    + `load average ${load()} (1, 5, 15 min)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-audit-bench-'));
  try {
    const lines = [startup(opts.startupRuns, dir)];
    console.log(lines[0]);
    for (const n of opts.ns) lines.push(measure(n, opts.runs, dir));
    console.log('');
    console.log('medians of pair ratios (min–max):');
    for (const l of lines) console.log(l);
    console.log(`load average after: ${load()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
