/**
 * One measured run of one side, in its own process so that its peak RSS is its own.
 *
 *   node bench/out/bench/child.js <library|hand> <n> <warmup-n>
 *
 * Prints one JSON line (see `ChildResult`) on stdout.
 */
import { createHash } from 'crypto';
import type * as Workloads from './workloads';

export interface ChildResult {
  readonly side: string;
  readonly n: number;
  /** Loading cdk8s, cdk8s-plus-28 and (library side) the library. */
  readonly loadMs: number;
  /** Creating the n services (constructs only). */
  readonly constructMs: number;
  /** app.synthYaml(). */
  readonly synthMs: number;
  /** constructMs + synthMs (wall clock): the figure compared. */
  readonly totalMs: number;
  /** CPU time (user + system, all threads) of the measured construct + synth; less sensitive to other load. */
  readonly cpuMs: number;
  /** RSS just before the measured run, after loading and warm-up (KiB). */
  readonly rssBeforeKiB: number;
  /** Peak RSS of the process (KiB). */
  readonly maxRssKiB: number;
  /** What the measured run added to memory (KiB): peak RSS − RSS before; the figure compared (no fixed baseline in it). */
  readonly growthKiB: number;
  readonly layout: string;
  readonly yamlBytes: number;
  readonly documents: number;
  readonly sha256: string;
}

function main(): void {
  const [side, nArg, warmupArg, layoutArg] = process.argv.slice(2);
  const layout = (layoutArg ?? 'one-chart') as Workloads.Layout;
  if (side !== 'library' && side !== 'hand') {
    throw new Error(`usage: child.js <library|hand> <n> <warmup-n> [one-chart|chart-per-service] (got side ${JSON.stringify(side)})`);
  }
  const n = Number(nArg);
  const warmupN = Number(warmupArg ?? 0);

  const tLoad = process.hrtime.bigint();
  // Loaded here, not at the top, so that module loading is timed separately.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const workloads: typeof Workloads = require('./workloads');
  const loadMs = Number(process.hrtime.bigint() - tLoad) / 1e6;

  if (warmupN > 0) {
    workloads.synth(side, warmupN, 'warmup', layout);
  }

  const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);
  const cpu0 = process.cpuUsage();
  const { constructMs, synthMs, yaml } = workloads.synthTimed(side, n, 'svc', layout);
  const cpu = process.cpuUsage(cpu0);
  const maxRssKiB = process.resourceUsage().maxRSS;

  const result: ChildResult = {
    side,
    n,
    loadMs,
    constructMs,
    synthMs,
    totalMs: constructMs + synthMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeKiB,
    maxRssKiB,
    growthKiB: Math.max(0, maxRssKiB - rssBeforeKiB),
    layout,
    yamlBytes: Buffer.byteLength(yaml),
    documents: yaml.split(/^---$/m).length,
    sha256: createHash('sha256').update(yaml).digest('hex'),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();
