/**
 * `npm run drill`: plays the drill (test/e2e/fixtures/drill.ts) and prints its table. Options:
 * `--scale N` (time scale, default 10), `--path kubernetes|nacos|eureka|consul` (repeatable; default kubernetes and nacos),
 * `--config <name>` (repeatable), `--serial` (one pod replacement at a time instead of one per path).
 * Needs Linux, a JDK and `unshare` (as root or with user namespaces), curl.
 */
import { ALL_PATHS, CONFIGS, ConfigName, DEFAULT_TIME_SCALE, PathName, runDrill, table } from './fixtures/drill';
import { probeUnshare } from './fixtures/harness';

function values(flag: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === flag && process.argv[i + 1] !== undefined) out.push(process.argv[i + 1]);
  });
  return out;
}

async function main(): Promise<void> {
  const probe = probeUnshare();
  if (!('flags' in probe)) {
    throw new Error(`the drill runs the JVM as PID 1 of a PID namespace: ${probe.reason}`);
  }
  const scale = Number(values('--scale')[0] ?? DEFAULT_TIME_SCALE);
  if (!(scale >= 1)) throw new Error(`--scale must be a number >= 1, got ${values('--scale')[0]}`);
  const paths = values('--path') as PathName[];
  const configs = values('--config') as ConfigName[];
  for (const p of paths) if (!ALL_PATHS.includes(p)) throw new Error(`--path ${p}: expected one of ${ALL_PATHS.join(', ')}`);
  for (const c of configs) if (!CONFIGS.includes(c)) throw new Error(`--config ${c}: expected one of ${CONFIGS.join(', ')}`);
  const report = await runDrill({
    unshareFlags: probe.flags,
    scale,
    paths: paths.length ? paths : undefined,
    configs: configs.length ? configs : undefined,
    parallelPaths: !process.argv.includes('--serial'),
    progress: line => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${table(report)}\n`);
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
