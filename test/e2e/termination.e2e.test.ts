/**
 * The termination of one pod, played out on loopback with short timings: the numbers GracefulJavaService
 * derives lose no request; the same pod without the preStop wait does.
 *
 * Cast:
 * - the pod: test/e2e/fixtures/GracefulApp.java run as PID 1 (new PID namespace) from the rendered
 *   container spec: its `command`, exactly its `env`, its `lifecycle.preStop.exec.command` and its
 *   `terminationGracePeriodSeconds`;
 * - a replacement pod, already ready (surge-only rollout): a small HTTP server in this process;
 * - "kube-proxy": a TCP proxy in this process that binds each new connection to a backend when it is
 *   opened (like a conntrack entry) and keeps sending new connections to the terminating pod for
 *   ACTUAL_PROPAGATION_MS after the deletion, then to the replacement;
 * - callers: a load generator that opens a connection for each request, one every INTERVAL_MS, and records
 *   every failure (refused or reset connection, timeout, non-200);
 * - the kubelet: at deletion (t0) it runs the preStop argv, then sends SIGTERM to PID 1, and SIGKILL at
 *   t0 + terminationGracePeriodSeconds if the pod is still there.
 *
 * The declared endpoint propagation (DECLARED_PROPAGATION, what the construct is told) is an upper bound
 * of the real one (ACTUAL_PROPAGATION_MS, what the proxy does), as it must be in a cluster. Timings leave
 * a second or more between events that must not overlap, so the outcome does not depend on scheduling.
 *
 * Needs what test/e2e/jvm.e2e.test.ts needs: Linux, a JDK (a missing JDK fails the suite), and `unshare`.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import { Duration, Testing } from 'cdk8s';
import { buildGracefulApp, Exit, freePort, httpGet, HttpResult, JVM_START_TIMEOUT_MS, killAll, Pid1Run, probeUnshare, sleep } from './fixtures/harness';
import { GracefulJavaService } from '../../src/graceful-java-service';

const probe = probeUnshare();
const UNSHARE_FLAGS = 'flags' in probe ? probe.flags : [];

/** What the construct is told: kube-proxy stops routing to a terminating pod within 2 s. */
const DECLARED_PROPAGATION = Duration.seconds(2);
/** What our kube-proxy really takes. */
const ACTUAL_PROPAGATION_MS = 1000;
/** One new request every INTERVAL_MS. */
const INTERVAL_MS = 25;
/** Server-side latency of the requests, in turn: mean 133 ms, at most the declared p99. */
const LATENCIES_MS = [50, 100, 150, 100, 300, 100];
/** Load before the deletion, so the JVM is warm and the old pod busy. */
const WARMUP_MS = 1000;
/** Load after the pod is gone (and after the propagation window), to see that callers are served. */
const COOLDOWN_MS = 500;
/** Per-request bound. */
const REQUEST_TIMEOUT_MS = 5000;
const TEST_TIMEOUT_MS = 40_000;

/**
 * drain = max(longest request 1 s, p99 300 ms, ceil(4 / 8) × 100 ms) = 1 s: every request of this test is
 * shorter than 1 s, declared as the longest request (explicitly below Spring's 30 s default).
 */
const TRAFFIC = {
  averageLatency: Duration.millis(100),
  p99Latency: Duration.millis(300),
  p95Concurrency: 4,
  workerThreads: 8,
  longestRequest: Duration.seconds(1),
};

const title = 'flags' in probe ? 'termination of one pod, end to end' : `termination of one pod, end to end (skipped: ${probe.reason})`;
if (!('flags' in probe)) {
  console.warn(`test/e2e/termination.e2e.test.ts skipped: ${probe.reason}`);
}
const describeE2e = 'flags' in probe ? describe : describe.skip;

type Backend = 'terminating' | 'replacement';

/** A connection as kube-proxy handled it. */
interface Routed {
  readonly at: number;
  readonly backend: Backend;
  /** The backend refused or reset the connection; the caller's connection was reset. */
  failed: boolean;
}

/**
 * kube-proxy on loopback: each new connection goes to the terminating pod until ACTUAL_PROPAGATION_MS after
 * the deletion started, then to the replacement. A connection the chosen backend refuses is reset towards
 * the caller (the caller sees what it would see through iptables: the connection fails).
 */
class KubeProxy {
  public readonly routed: Routed[] = [];
  private deletedAt: number | undefined;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly ports: Record<Backend, number>) {
    this.server = net.createServer(client => this.route(client));
  }

  public listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** The pod's deletion timestamp is set: the endpoint update starts propagating. */
  public podDeleted(at: number): void {
    this.deletedAt = at;
  }

  public close(): Promise<void> {
    this.sockets.forEach(s => s.destroy());
    return new Promise(resolve => this.server.close(() => resolve()));
  }

  private route(client: net.Socket): void {
    const now = Date.now();
    const backend: Backend = this.deletedAt === undefined || now < this.deletedAt + ACTUAL_PROPAGATION_MS ? 'terminating' : 'replacement';
    const entry: Routed = { at: now, backend, failed: false };
    this.routed.push(entry);
    const upstream = net.connect(this.ports[backend], '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const fail = () => {
      entry.failed = true;
      upstream.destroy();
      if (!client.destroyed) client.resetAndDestroy();
    };
    upstream.on('error', fail);
    client.on('error', () => upstream.destroy());
    client.on('close', () => this.sockets.delete(client));
    upstream.on('close', () => this.sockets.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** The replacement pod: answers /work?ms=N after N ms, like the app. */
function replacementPod(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const ms = Number(/[?&]ms=(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok\n');
    }, ms);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      close: () => new Promise<void>(done => {
        server.closeAllConnections();
        server.close(() => done());
      }),
    }));
  });
}

/** Callers: one new request every INTERVAL_MS until stopped (and never more than maxRequests). */
class LoadGenerator {
  public readonly results: HttpResult[] = [];
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly port: number, private readonly maxRequests: number) {}

  public start(): void {
    this.loop = (async () => {
      for (let i = 0; i < this.maxRequests && !this.stopped; i++) {
        const ms = LATENCIES_MS[i % LATENCIES_MS.length];
        const p = httpGet(this.port, `/work?ms=${ms}`, REQUEST_TIMEOUT_MS).then(r => {
          this.results.push(r);
          this.pending.delete(p);
        });
        this.pending.add(p);
        await sleep(INTERVAL_MS);
      }
    })();
  }

  /** Stops sending and waits for the requests under way (each is bounded by REQUEST_TIMEOUT_MS). */
  public async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all([...this.pending]);
  }

  public failures(): HttpResult[] {
    return this.results.filter(r => r.status !== 200 || r.body !== 'ok\n');
  }
}

/** Runs the preStop argv as the kubelet does (exec, no shell), killed at `deadline`. */
function runPreStop(argv: string[], deadline: number, children: Set<ChildProcess>): Promise<{ code: number | null; ms: number }> {
  const start = Date.now();
  return new Promise(resolve => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    children.add(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, deadline - start));
    const done = (code: number | null) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, ms: Date.now() - start });
    };
    child.on('error', () => done(null));
    child.on('exit', code => done(code));
  });
}

interface Report {
  readonly t0: number;
  readonly termAt: number;
  readonly exit: Exit;
  readonly killedAtGracePeriodEnd: boolean;
  readonly preStopMs?: number;
  readonly preStopCode?: number | null;
  readonly graceSeconds: number;
  readonly drainSeconds: number;
  readonly preStopSeconds: number;
  readonly results: HttpResult[];
  readonly failures: HttpResult[];
  readonly routed: Routed[];
  readonly output: string;
}

describeE2e(title, () => {
  let app: { dir: string; jar: string };
  const children = new Set<ChildProcess>();

  beforeAll(() => {
    app = buildGracefulApp();
  }, 60_000);

  afterAll(() => {
    killAll();
    children.forEach(c => c.kill('SIGKILL'));
    if (app) fs.rmSync(app.dir, { recursive: true, force: true });
  });

  /**
   * Plays one termination. `withPreStop: false` is the naive pod: the kubelet sends SIGTERM at t0, as for a
   * Deployment without a preStop hook.
   */
  async function terminate(withPreStop: boolean): Promise<Report> {
    const port = await freePort();
    const chart = Testing.chart();
    const service = new GracefulJavaService(chart, 'orders', {
      image: 'registry.example.com/orders:1.4.2',
      jar: app.jar,
      port,
      managementPort: port === 65535 ? port - 1 : port + 1,
      traffic: TRAFFIC,
      endpointPropagation: DECLARED_PROPAGATION,
      safetyBuffer: Duration.seconds(2),
      jvmAllowance: Duration.seconds(2),
    });
    const pod = Testing.synth(chart).find(m => m.kind === 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    const env: Record<string, string> = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    const preStop: string[] = container.lifecycle.preStop.exec.command;
    const graceSeconds: number = pod.terminationGracePeriodSeconds;

    const replacement = await replacementPod();
    const run = new Pid1Run(UNSHARE_FLAGS, container.command, { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin' }, app.dir);
    const proxy = new KubeProxy({ terminating: port, replacement: replacement.port });
    const maxRequests = Math.ceil((WARMUP_MS + graceSeconds * 1000 + ACTUAL_PROPAGATION_MS + COOLDOWN_MS) / INTERVAL_MS);
    let load: LoadGenerator | undefined;
    try {
      if (!await run.waitForOutput(/GracefulApp: started on port/, JVM_START_TIMEOUT_MS)) {
        throw new Error(`the app did not start within ${JVM_START_TIMEOUT_MS} ms: ${JSON.stringify(run.exit)}\n${run.output}`);
      }
      load = new LoadGenerator(await proxy.listen(), maxRequests);
      load.start();
      await sleep(WARMUP_MS);

      // t0: the pod's deletion timestamp is set. The endpoint controller and kube-proxy start catching up
      // while the kubelet runs the preStop hook, then sends SIGTERM.
      const t0 = Date.now();
      proxy.podDeleted(t0);
      const deadline = t0 + graceSeconds * 1000;
      const hook = withPreStop ? await runPreStop(preStop, deadline, children) : undefined;
      const termAt = Date.now();
      run.signal('SIGTERM');
      let exit = await run.waitForExit(Math.max(0, deadline - Date.now()));
      const killedAtGracePeriodEnd = exit === undefined;
      if (exit === undefined) {
        run.signal('SIGKILL');
        exit = await run.waitForExit(5000);
        if (exit === undefined) throw new Error('PID 1 survived SIGKILL');
      }

      // keep the callers going through the propagation window and a little after
      await sleep(Math.max(exit.at, t0 + ACTUAL_PROPAGATION_MS) + COOLDOWN_MS - Date.now());
      await load.stop();
      return {
        t0,
        termAt,
        exit,
        killedAtGracePeriodEnd,
        preStopMs: hook?.ms,
        preStopCode: hook?.code,
        graceSeconds,
        drainSeconds: service.budget.drainSeconds,
        preStopSeconds: service.budget.preStopSeconds,
        results: load.results,
        failures: load.failures(),
        routed: proxy.routed,
        output: run.output,
      };
    } finally {
      await load?.stop();
      await run.dispose();
      await proxy.close();
      await replacement.close();
    }
  }

  /** A short account of a run, for failure messages. */
  function summary(r: Report) {
    const rel = (t: number) => t - r.t0;
    return {
      requests: r.results.length,
      failed: r.failures.length,
      failures: r.failures.slice(0, 5).map(f => ({ start: rel(f.start), end: rel(f.end), status: f.status, error: f.error })),
      routedToTerminatingAfterT0: r.routed.filter(x => x.backend === 'terminating' && x.at >= r.t0).length,
      sigtermAt: rel(r.termAt),
      exitAt: rel(r.exit.at),
      exitCode: r.exit.code,
      output: r.output,
    };
  }

  test('the derived spec (preStop sleep, then SIGTERM, drain, exit) loses no request', async () => {
    const r = await terminate(true);
    const s = summary(r);

    // the numbers under test
    expect({ preStop: r.preStopSeconds, drain: r.drainSeconds, grace: r.graceSeconds }).toEqual({ preStop: 2, drain: 1, grace: 7 });
    expect(r.preStopSeconds * 1000).toBeGreaterThan(ACTUAL_PROPAGATION_MS);

    // the kubelet's sequence ran as rendered
    expect(r.preStopCode).toBe(0);
    expect(r.preStopMs).toBeGreaterThanOrEqual(r.preStopSeconds * 1000);
    expect(r.termAt - r.t0).toBeGreaterThanOrEqual(r.preStopSeconds * 1000);

    // the load was real: the terminating pod kept receiving new connections after t0, then the replacement took over
    expect(s.requests).toBeGreaterThan(50);
    expect(s.routedToTerminatingAfterT0).toBeGreaterThan(10);
    expect(r.routed.filter(x => x.backend === 'replacement').length).toBeGreaterThan(10);

    // lossless
    expect({ failed: s.failed, summary: s }).toEqual({ failed: 0, summary: s });
    expect(r.routed.filter(x => x.failed)).toEqual([]);

    // and the pod ended by itself, gracefully, within the grace period
    expect(r.killedAtGracePeriodEnd).toBe(false);
    expect(r.exit.code).toBe(143); // see jvm.e2e.test.ts: the JVM's status after a SIGTERM it handled
    expect(r.output).toMatch(/Commencing graceful shutdown[^]*Graceful shutdown complete/);
    expect(r.exit.at - r.t0).toBeLessThan(r.graceSeconds * 1000);
  }, TEST_TIMEOUT_MS);

  test('naive: the same pod without the preStop wait (SIGTERM at t0) fails the requests routed to it meanwhile', async () => {
    const r = await terminate(false);
    const s = summary(r);

    expect(r.preStopMs).toBeUndefined();
    // SIGTERM came before kube-proxy stopped routing to the pod (an order, not a wall-clock limit): that is
    // what loses the requests counted below
    expect(r.termAt).toBeLessThan(r.t0 + ACTUAL_PROPAGATION_MS);
    expect(s.requests).toBeGreaterThan(40);
    expect(s.routedToTerminatingAfterT0).toBeGreaterThan(10);

    // requests are lost ...
    expect(s.failed).toBeGreaterThanOrEqual(1);
    // ... all of them connections the proxy still sent to the pod after it had stopped accepting: opened
    // around SIGTERM or later, before kube-proxy caught up (a client starts its request before the proxy
    // routes it, so a failure can never start after the switch), and refused by the terminating pod
    for (const f of r.failures) {
      expect({ failure: f, summary: s }).toMatchObject({ failure: { error: expect.any(String) } });
      expect(f.start).toBeGreaterThanOrEqual(r.t0 - 500);
      expect(f.start).toBeLessThan(r.t0 + ACTUAL_PROPAGATION_MS);
    }
    const refused = r.routed.filter(x => x.failed);
    expect(refused.length).toBe(r.failures.length);
    expect(refused.every(x => x.backend === 'terminating')).toBe(true);

    // the drain itself still worked: the pod exited gracefully; the loss is the missing propagation wait
    expect(r.killedAtGracePeriodEnd).toBe(false);
    expect(r.output).toMatch(/Graceful shutdown complete/);
  }, TEST_TIMEOUT_MS);
});
