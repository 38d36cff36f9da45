/**
 * Audit benchmark: how much does `cdk8s-graceful audit` add to merely reading the YAML?
 *
 *   npm run bench:audit          # tsc -p bench/tsconfig.json && node --expose-gc bench/out/bench/audit.js
 *   node --expose-gc bench/out/bench/audit.js --n 10000 --runs 7 --warmup 2
 *
 * Generates N varied Deployments (some with preStop hooks, probes, Spring / JVM environment, shell
 * wrappers, grace periods), serializes them to ONE multi-document YAML string, then measures in this
 * process, alternating the two sides every round:
 *
 *   parse          `parseAllDocuments` + `toJS` of every document, with the options the CLI uses
 *   parse + audit  what `cdk8s-graceful audit` does with a file: the CLI's YAML loader (`parseYaml`:
 *                  the same parse plus its template check and object bookkeeping) and `audit()` with
 *                  `Rules.all()`; the audit's own share is timed separately
 *
 * Prints the medians and `ratio: X.XX` ((parse + audit) / parse). The goal is ≤ 1.5×; the exit code does
 * not depend on it. For information it also times the whole CLI (`cdk8s-graceful audit -` with the YAML
 * on standard input and text output: loader, audit, locating every finding's line, formatting) a few
 * times after the measured rounds.
 */
import * as os from 'os';
import { parseAllDocuments, stringify } from 'yaml';
import { run } from '../src/cli/main';
import { YAML_OPTIONS, parseYaml } from '../src/cli/yaml';
import { audit, Rules } from '../src/rules/engine';

const GOAL = 1.5;

interface Options {
  readonly n: number;
  readonly runs: number;
  readonly warmup: number;
}

function parseOptions(argv: string[]): Options {
  const opts = { n: 10_000, runs: 7, warmup: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${key} needs a whole number, got ${JSON.stringify(argv[i + 1])}`);
    switch (key) {
      case '--n': opts.n = value; break;
      case '--runs': opts.runs = value; break;
      case '--warmup': opts.warmup = value; break;
      default: throw new Error(`unknown option ${key} (known: --n, --runs, --warmup)`);
    }
  }
  if (opts.n < 1 || opts.runs < 1) throw new Error('--n and --runs must be at least 1');
  return opts;
}

// ---------------------------------------------------------------------------------------------------
// Workload: deterministic variety (feature i depends on i modulo small primes, so combinations vary).

const REGISTRIES = ['nacos', 'consul', 'eureka', 'none'] as const;

function preStop(i: number): any {
  switch (i % 6) {
    case 0: return undefined;
    case 1: return { exec: { command: ['sleep', String(5 + (i % 4) * 5)] } };
    case 2: return {
      exec: {
        command: ['sh', '-c', 'curl -s -X POST http://127.0.0.1:8081/actuator/serviceregistry -d \'{"status":"DOWN"}\' '
      + `-H 'Content-Type: application/json'; sleep ${10 + (i % 3) * 10}`],
      },
    };
    case 3: return { httpGet: { path: '/actuator/shutdown', port: 8081 } };
    case 4: return { exec: { command: ['/bin/sh', '/app/preStop.sh'] } };
    default: return { sleep: { seconds: 10 + (i % 5) * 5 } };
  }
}

function probes(i: number, port: number): any {
  const mgmt = i % 2 === 0 ? port + 1 : port;
  const out: any = {};
  if (i % 5 !== 0) {
    out.readinessProbe = { httpGet: { path: '/actuator/health/readiness', port: mgmt }, periodSeconds: 10, failureThreshold: 3 };
  }
  if (i % 5 !== 0 && i % 3 !== 0) {
    out.livenessProbe = { httpGet: { path: i % 7 === 0 ? '/actuator/health/readiness' : '/actuator/health/liveness', port: mgmt }, periodSeconds: 10 };
  }
  if (i % 4 === 0) {
    out.startupProbe = i % 8 === 0
      ? { tcpSocket: { port }, failureThreshold: 3, periodSeconds: 10 }
      : { httpGet: { path: '/actuator/health/liveness', port: mgmt }, failureThreshold: 30, periodSeconds: 10 };
  }
  return out;
}

function env(i: number, registry: string): any[] {
  const out: any[] = [{ name: 'SPRING_PROFILES_ACTIVE', value: i % 2 ? 'prod' : 'staging' }];
  if (i % 3 !== 0) out.push({ name: 'SERVER_SHUTDOWN', value: 'graceful' });
  if (i % 4 === 1) out.push({ name: 'SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', value: `${10 + (i % 6) * 5}s` });
  if (i % 5 === 2) out.push({ name: 'JAVA_OPTS', value: '-Xms512m -Xmx1g -XX:+UseG1GC' });
  if (registry === 'nacos') out.push({ name: 'SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR', value: 'nacos-headless.infra:8848' });
  if (registry === 'consul') out.push({ name: 'SPRING_CLOUD_CONSUL_HOST', value: 'consul.infra' });
  if (registry === 'eureka') out.push({ name: 'EUREKA_CLIENT_SERVICEURL_DEFAULTZONE', value: 'http://eureka.infra:8761/eureka/' });
  out.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  return out;
}

function command(i: number): any {
  switch (i % 4) {
    case 0: return { command: ['java', '-jar', '/app/app.jar'] };
    case 1: return { command: ['sh', '-c', 'java $JAVA_OPTS -jar /app/app.jar'] };
    case 2: return { command: ['/bin/sh', '-c', 'exec java $JAVA_OPTS -jar /app/app.jar'] };
    default: return {};
  }
}

/** Deployment number `i` of the workload. */
export function deployment(i: number): any {
  const name = `svc-${i}`;
  const registry = REGISTRIES[i % REGISTRIES.length];
  const port = 8080 + (i % 3) * 10;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': `shop-${i % 50}` };
  const hook = preStop(i);
  const grace = [undefined, 30, 60, 90, 120][i % 5];
  const container: any = {
    name: 'app',
    image: `registry.example.com/team-${i % 20}/${name}:1.${i % 30}.${i % 7}`,
    ...command(i),
    ports: [{ name: 'http', containerPort: port }, ...(i % 2 === 0 ? [{ name: 'management', containerPort: port + 1 }] : [])],
    env: env(i, registry),
    ...probes(i, port),
    ...(hook ? { lifecycle: { preStop: hook } } : {}),
    resources: { requests: { cpu: `${250 + (i % 4) * 250}m`, memory: `${512 + (i % 3) * 256}Mi` }, limits: { memory: `${1024 + (i % 3) * 512}Mi` } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: `ns-${i % 12}`,
      labels,
      ...(i % 9 === 0 ? { annotations: { 'graceful.cdk8s.io/suppress-prestop-missing': 'batch worker, not registered' } } : {}),
    },
    spec: {
      replicas: 1 + (i % 4),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      ...(i % 3 === 0 ? {} : { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: i % 2 ? '25%' : 1, maxUnavailable: i % 6 === 1 ? 1 : 0 } } }),
      ...(i % 4 === 0 ? { minReadySeconds: 30 } : {}),
      template: {
        metadata: {
          labels,
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port + 1), ...(registry === 'nacos' ? { registry: 'nacos' } : {}) },
        },
        spec: {
          ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
          containers: [container, ...(i % 10 === 0 ? [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.20.0' }] : [])],
        },
      },
    },
  };
}

/** The whole workload as one multi-document YAML string. */
export function workloadYaml(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(stringify(deployment(i)));
  return parts.join('---\n');
}

// ---------------------------------------------------------------------------------------------------

/** Side (a): only the parse, as the CLI does it. */
function parseOnly(text: string): number {
  let count = 0;
  for (const doc of parseAllDocuments(text, YAML_OPTIONS) as any[]) {
    if (doc.toJS({ maxAliasCount: 1000 })?.kind) count++;
  }
  return count;
}

/** The whole CLI on the text as standard input; returns the exit code and the output's length. */
function wholeCli(text: string): { code: number; outputChars: number } {
  let outputChars = 0;
  const code = run(['audit', '--fail-on', 'none', '-'], {
    cwd: process.cwd(),
    readStdin: () => text,
    stdout: t => { outputChars += t.length; },
    stderr: t => { outputChars += t.length; },
  });
  return { code, outputChars };
}

/** Side (b): the CLI's loader, then the audit. */
function parseAndAudit(text: string): { objects: number; findings: number; auditMs: number } {
  const parsed = parseYaml(text, 'bench.yaml');
  if ('skipped' in parsed) throw new Error(`the workload did not parse: ${parsed.skipped.reason}`);
  const t0 = process.hrtime.bigint();
  const findings = audit({ documents: parsed.objects.map(o => o.document) }, { rules: Rules.all() });
  const auditMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { objects: parsed.objects.length, findings: findings.length, auditMs };
}

function timed<T>(fn: () => T): { ms: number; result: T } {
  (global as any).gc?.();
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const cpus = os.cpus();
  const rules = Rules.all();
  console.log(`cdk8s-graceful audit benchmark: ${opts.n} Deployments in one YAML string, ${rules.length} rules, `
    + `median of ${opts.runs} runs after ${opts.warmup} warm-up run(s) per side`);
  console.log(`Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'})`
    + `${(global as any).gc ? '' : '; run with --expose-gc for a GC between runs'}`);

  const gen = timed(() => workloadYaml(opts.n));
  const text = gen.result;
  console.log(`workload: ${fmt(text.length / 1024 / 1024, 2)} MiB, ${text.split('\n').length} lines (generated in ${fmt(gen.ms, 0)} ms)`);
  console.log('');

  for (let w = 0; w < opts.warmup; w++) {
    parseOnly(text);
    parseAndAudit(text);
  }
  const parse: number[] = [];
  const total: number[] = [];
  const auditOnly: number[] = [];
  let findings = 0;
  let objects = 0;
  for (let r = 0; r < opts.runs; r++) {
    const runParse = () => {
      const t = timed(() => parseOnly(text));
      parse.push(t.ms);
      objects = t.result;
    };
    const runAudit = () => {
      const t = timed(() => parseAndAudit(text));
      total.push(t.ms);
      auditOnly.push(t.result.auditMs);
      findings = t.result.findings;
      if (t.result.objects !== objects && objects !== 0) throw new Error(`sides read different object counts: ${objects} vs ${t.result.objects}`);
    };
    if (r % 2 === 0) {
      runParse(); runAudit();
    } else {
      runAudit(); runParse();
    }
    console.log(`run ${r + 1}: parse ${fmt(parse[r])} ms, parse + audit ${fmt(total[r])} ms (audit ${fmt(auditOnly[r])} ms)`);
  }

  const cliRuns: number[] = [];
  let cliOutput = 0;
  for (let r = 0; r < Math.min(3, opts.runs); r++) {
    const c = timed(() => wholeCli(text));
    if (c.result.code !== 0) throw new Error(`the CLI exited with ${c.result.code}`);
    cliRuns.push(c.ms);
    cliOutput = c.result.outputChars;
  }

  const p = median(parse);
  const t = median(total);
  const a = median(auditOnly);
  const ratio = t / p;
  console.log('');
  console.log(`objects: ${objects}, findings: ${findings}`);
  console.log(`parse (parseAllDocuments + toJS):  ${fmt(p).padStart(9)} ms   ${fmt((p * 1000) / opts.n, 1)} µs per Deployment`);
  console.log(`parse + audit (CLI loader + audit):${fmt(t).padStart(9)} ms   ${fmt((t * 1000) / opts.n, 1)} µs per Deployment`);
  console.log(`  of which audit():                ${fmt(a).padStart(9)} ms   ${fmt((a * 1000) / opts.n, 1)} µs per Deployment`);
  console.log(`  of which the loader beyond parse:${fmt(t - a - p).padStart(9)} ms`);
  console.log(`whole CLI (text output, ${cliRuns.length} runs):${fmt(median(cliRuns)).padStart(7)} ms   `
    + `${fmt(median(cliRuns) / p, 2)}× parse; ${fmt(cliOutput / 1024 / 1024, 1)} MiB of output`);
  console.log(`peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB`);
  console.log(`meets ≤ ${GOAL}×: ${ratio <= GOAL ? 'yes' : 'NO'}`);
  console.log('');
  console.log(`ratio: ${fmt(ratio, 2)}`);
}

if (require.main === module) main();
