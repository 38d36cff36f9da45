/**
 * Large-stream benchmark: objects per second and peak RSS of `cdk8s-graceful audit` on one big YAML stream.
 *
 *   npx tsc -p bench/tsconfig.json && node bench/out/bench/stream.js            # 100,000 objects
 *   node bench/out/bench/stream.js --n 50000
 *
 * Writes N small objects (half ConfigMaps, half single-container Deployments, alternating) as ONE
 * multi-document YAML file into a temporary directory, then audits it in a child process (so that the
 * peak RSS is the audit's own) with `run(['audit', '--format', 'json', '--fail-on', 'none', file])`,
 * the report written to a discarded sink. Prints one JSON line: objects, bytes, wall ms, objects/s,
 * peak RSS (MiB) and the findings' output size.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../src/cli/main';

function objectYaml(i: number): string {
  return i % 2 === 0
    ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n  namespace: shop\ndata:\n  LOG_LEVEL: info\n  FEATURE: "on"\n`
    : `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { app: app-${i} }\n`
      + `  template:\n    metadata:\n      labels: { app: app-${i} }\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app-${i}:1.0\n`
      + '        ports: [{ containerPort: 8080 }]\n        readinessProbe: { httpGet: { path: /actuator/health/readiness, port: 8080 } }\n';
}

function child(file: string): void {
  let outBytes = 0;
  const start = process.hrtime.bigint();
  const code = run(['audit', '--format', 'json', '--fail-on', 'none', file], {
    cwd: path.dirname(file),
    stdout: t => { outBytes += Buffer.byteLength(t); },
    stderr: t => process.stderr.write(t),
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ code, ms, maxRssKiB: process.resourceUsage().maxRSS, outBytes }) + '\n');
}

function main(argv: string[]): void {
  if (argv[0] === '--child') return child(argv[1]);
  let n = 100_000;
  if (argv[0] === '--n') n = Number(argv[1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--n needs a whole number ≥ 1');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-stream-'));
  try {
    const file = path.join(dir, 'stream.yaml');
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < n; i++) fs.writeSync(fd, `${i > 0 ? '---\n' : ''}${objectYaml(i)}`);
    fs.closeSync(fd);
    const bytes = fs.statSync(file).size;
    const res = spawnSync(process.execPath, [__filename, '--child', file], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (res.status !== 0) throw new Error(`the audit process failed (${res.status ?? res.signal})`);
    const r = JSON.parse(res.stdout.trim().split('\n').pop()!);
    console.log(JSON.stringify({
      objects: n,
      yamlMiB: +(bytes / 2 ** 20).toFixed(1),
      wallMs: Math.round(r.ms),
      objectsPerSecond: Math.round(n / (r.ms / 1000)),
      peakRssMiB: Math.round(r.maxRssKiB / 1024),
      exitCode: r.code,
      reportMiB: +(r.outBytes / 2 ** 20).toFixed(1),
      node: process.version,
      cpus: os.cpus().length,
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
