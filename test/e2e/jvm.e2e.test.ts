/**
 * A real JVM as PID 1, started from the container spec GracefulJavaService renders: its `command` (exec form,
 * `java -jar …`) runs as PID 1 of a new PID namespace with exactly its `env` (plus PATH), the way a container
 * runtime starts the container. Then the kubelet's part: SIGTERM to PID 1 (`kill -TERM 1`, field report 004)
 * while a request is in flight.
 *
 * The application is test/e2e/fixtures/GracefulApp.java, JDK only: an HttpServer that shuts down the way
 * Spring Boot does with `server.shutdown=graceful` (stop accepting, drain for up to
 * SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE, exit). It is compiled in beforeAll.
 *
 * Needs Linux, a JDK (Debian/Ubuntu: `apt-get install -y default-jdk-headless`; a missing JDK fails the
 * suite) and root or unprivileged user namespaces for `unshare` (without them the suite is skipped, with the
 * reason in its title, like test/e2e/pid1.e2e.test.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { buildGracefulApp, freePort, httpGet, HttpResult, JVM_START_TIMEOUT_MS, killAll, Pid1Run, probeUnshare, sleep, which } from './fixtures/harness';
import { GracefulJavaService } from '../../src/graceful-java-service';

/**
 * What a JVM may take after its drain to run the remaining shutdown hooks and exit, on a loaded 2-core
 * machine (the budget's JVM allowance is 5 s; these tests hold the exit to 3 s past the drain).
 */
const EXIT_SLACK_MS = 3000;
const probe = probeUnshare();
const UNSHARE_FLAGS = 'flags' in probe ? probe.flags : [];

/** Test timeout: JVM start + a drain of a few seconds + margins. */
const TEST_TIMEOUT_MS = 30_000;

/**
 * drain = max(longest request 3 s, p99 3 s, ceil(4 / 4) × 500 ms) = 3 s: long enough that a 1.5 s request still
 * in flight at SIGTERM finishes inside it, short enough to keep the suite fast. The longest request is declared
 * (explicitly below Spring's 30 s default), as a service whose consumers time out after 3 s would.
 */
const TRAFFIC = {
  averageLatency: Duration.millis(500),
  p99Latency: Duration.seconds(3),
  p95Concurrency: 4,
  workerThreads: 4,
  longestRequest: Duration.seconds(3),
};
/** A request that is still running when SIGTERM arrives, and finishes within the drain. */
const IN_FLIGHT_MS = 1500;

const title = 'flags' in probe ? 'a real JVM as PID 1, from the rendered container spec' : `a real JVM as PID 1 (skipped: ${probe.reason})`;
if (!('flags' in probe)) {
  console.warn(`test/e2e/jvm.e2e.test.ts skipped: ${probe.reason}`);
}
const describeE2e = 'flags' in probe ? describe : describe.skip;

describeE2e(title, () => {
  let app: { dir: string; jar: string };

  beforeAll(() => {
    app = buildGracefulApp();
  }, 60_000);

  afterAll(() => {
    killAll();
    if (app) fs.rmSync(app.dir, { recursive: true, force: true });
  });

  /** Synthesizes the service and returns what a container runtime gets: the app container of the Deployment. */
  function renderedSpec(port: number) {
    const chart = Testing.chart();
    const service = new GracefulJavaService(chart, 'orders', {
      image: 'registry.example.com/orders:1.4.2',
      jar: app.jar,
      port,
      managementPort: port === 65535 ? port - 1 : port + 1,
      traffic: TRAFFIC,
      endpointPropagation: Duration.seconds(1),
    });
    const deployment = Testing.synth(chart).find(m => m.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) {
      expect(typeof e.value).toBe('string'); // no valueFrom: a plain environment a runtime passes as is
      env[e.name] = e.value;
    }
    return {
      service,
      command: container.command as string[],
      args: container.args as string[] | undefined,
      env,
      preStop: container.lifecycle.preStop.exec.command as string[],
      graceSeconds: pod.terminationGracePeriodSeconds as number,
    };
  }

  /** Starts `argv` as PID 1 with exactly `env` plus PATH, and waits until the app listens. */
  async function startPid1(argv: string[], env: Record<string, string>, pathPrefix?: string): Promise<Pid1Run> {
    const PATH = [pathPrefix, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(':');
    const run = new Pid1Run(UNSHARE_FLAGS, argv, { ...env, PATH }, app.dir);
    const started = await run.waitForOutput(/GracefulApp: started on port (\d+)/, JVM_START_TIMEOUT_MS);
    if (!started) {
      await run.dispose();
      throw new Error(`the app did not start within ${JVM_START_TIMEOUT_MS} ms: ${JSON.stringify(run.exit)}\n${run.output}`);
    }
    return run;
  }

  /** MaxHeapSize the JVM computes, with the given JAVA_TOOL_OPTIONS (or none). */
  function maxHeapSize(javaToolOptions?: string): number {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    if (javaToolOptions) env.JAVA_TOOL_OPTIONS = javaToolOptions;
    const r = spawnSync('java', ['-XX:+PrintFlagsFinal', '-version'], { env, encoding: 'utf8', timeout: 30_000 });
    const m = /\bMaxHeapSize\s*=\s*(\d+)/.exec(r.stdout ?? '');
    if (!m) throw new Error(`java -XX:+PrintFlagsFinal -version printed no MaxHeapSize: ${r.stdout}${r.stderr}`);
    return Number(m[1]);
  }

  test('exec form: the JVM is PID 1, gets JAVA_TOOL_OPTIONS, drains an in-flight request on SIGTERM, refuses new connections, exits 143', async () => {
    const port = await freePort();
    const spec = renderedSpec(port);
    const drainMs = spec.service.budget.drainSeconds * 1000;
    expect(spec.command).toEqual(['java', '-jar', app.jar]);
    expect(spec.args).toBeUndefined();
    expect(spec.env).toMatchObject({
      SERVER_PORT: String(port),
      SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: `${spec.service.budget.drainSeconds}s`,
      JAVA_TOOL_OPTIONS: '-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError',
    });
    expect(drainMs).toBe(3000);
    expect(IN_FLIGHT_MS).toBeLessThan(drainMs);

    const run = await startPid1(spec.command, spec.env);
    try {
      // PID 1 is the JVM itself: /proc (host side) and the JVM (namespace side) agree
      expect(run.pid1Argv()).toEqual(spec.command);
      expect(run.output).toMatch(/^GracefulApp: pid 1 /m);

      // JAVA_TOOL_OPTIONS reached the JVM: it says so, and its input arguments are exactly those options
      expect(run.output).toContain(`Picked up JAVA_TOOL_OPTIONS: ${spec.env.JAVA_TOOL_OPTIONS}`);
      const inputArguments = [...run.output.matchAll(/^GracefulApp: inputArgument (\S+)/mg)].map(m => m[1]);
      expect(inputArguments).toEqual(expect.arrayContaining(['-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError']));
      expect(inputArguments).toEqual(spec.env.JAVA_TOOL_OPTIONS.split(' '));

      // ... and took effect: the heap limit is 75 % of the memory the JVM sees, three times the JDK's 25 %
      const maxMemory = Number(/^GracefulApp: maxMemory (\d+)/m.exec(run.output)?.[1]);
      const heap75 = maxHeapSize(spec.env.JAVA_TOOL_OPTIONS);
      const heapDefault = maxHeapSize();
      expect(maxMemory).toBeLessThanOrEqual(heap75);
      expect(maxMemory).toBeGreaterThan(heap75 * 0.85); // maxMemory leaves out one survivor space with some collectors
      expect(heap75 / heapDefault).toBeGreaterThan(2.5);
      expect(heap75 / heapDefault).toBeLessThan(3.5);

      // a request is in flight ...
      let inFlightDone = false;
      const inFlight = httpGet(port, `/work?ms=${IN_FLIGHT_MS}`, 10_000).then(r => {
        inFlightDone = true;
        return r;
      });
      expect(await run.waitForOutput(new RegExp(`request start ms=${IN_FLIGHT_MS}`), 5000)).not.toBeNull();

      // ... when the kubelet sends SIGTERM to PID 1
      const termAt = Date.now();
      run.signal('SIGTERM');
      expect(await run.waitForOutput(/Commencing graceful shutdown/, 2000)).not.toBeNull();

      // new connections are refused while the in-flight request is still being served
      let refused: HttpResult | undefined;
      for (let i = 0; i < 20 && !refused; i++) {
        const r = await httpGet(port, '/work?ms=0', 1000);
        if (r.error === 'ECONNREFUSED') refused = r;
        else await sleep(25);
      }
      expect(refused).toBeDefined();
      expect(inFlightDone).toBe(false);

      // the in-flight request completes
      const answer = await inFlight;
      expect(answer).toMatchObject({ status: 200, body: 'ok\n' });
      expect(answer.end).toBeGreaterThan(termAt);

      // and the JVM exits by itself, within the drain, long before the grace period ends.
      // 143 = 128 + SIGTERM: the JVM's SIGTERM handler starts the same shutdown as System.exit(143); the hooks
      // run (our graceful drain), then the JVM halts with that status. Kubernetes reports a Spring Boot pod
      // stopped this way with exit code 143 too; it is not a crash.
      const exit = await run.waitForExit(spec.graceSeconds * 1000);
      expect(exit).toMatchObject({ code: 143, signal: null });
      const exitMs = exit!.at - termAt;
      expect(exitMs).toBeLessThan(drainMs + EXIT_SLACK_MS);
      expect(exitMs).toBeLessThan(spec.graceSeconds * 1000);
      expect(run.output).toMatch(/in flight: 1, timeout 3000 ms/);
      expect(run.output).toMatch(/request done ms=1500[^]*Graceful shutdown complete/);
      expect(run.output).not.toMatch(/aborted/);
    } finally {
      await run.dispose();
    }
  }, TEST_TIMEOUT_MS);

  test('the drain is bounded by the rendered timeout-per-shutdown-phase: a longer request is cut and the JVM exits well within the grace period', async () => {
    const port = await freePort();
    const spec = renderedSpec(port);
    const drainMs = spec.service.budget.drainSeconds * 1000;
    const tooLongMs = drainMs + 3000;

    const run = await startPid1(spec.command, spec.env);
    try {
      const request = httpGet(port, `/work?ms=${tooLongMs}`, 15_000);
      expect(await run.waitForOutput(new RegExp(`request start ms=${tooLongMs}`), 5000)).not.toBeNull();
      const termAt = Date.now();
      run.signal('SIGTERM');

      const exit = await run.waitForExit(spec.graceSeconds * 1000);
      expect(exit).toMatchObject({ code: 143, signal: null });
      const exitMs = exit!.at - termAt;
      expect(exitMs).toBeGreaterThanOrEqual(drainMs - 100);
      expect(exitMs).toBeLessThan(drainMs + EXIT_SLACK_MS);
      expect(exitMs).toBeLessThan(spec.graceSeconds * 1000);
      expect(run.output).toMatch(/Graceful shutdown aborted with 1 request\(s\) still active/);
      // the request that needed more than the drain is lost: that is why the drain is sized from the longest request
      expect((await request).status).toBeUndefined();
    } finally {
      await run.dispose();
    }
  }, TEST_TIMEOUT_MS);

  describe('negative control: a shell without exec as PID 1', () => {
    test('GracefulJavaService rejects command: ["sh", "-c", "java -jar …"]', () => {
      expect(() => new GracefulJavaService(Testing.chart(), 'orders', {
        image: 'registry.example.com/orders:1.4.2',
        command: ['sh', '-c', `java -jar ${app.jar}`],
        traffic: TRAFFIC,
      })).toThrow(/'command'.*exec/s);
    });

    test('dash stays PID 1 and ignores SIGTERM: the JVM never starts its graceful shutdown, and SIGKILL loses the request in flight', async () => {
      const dash = which('dash');
      if (!dash) {
        throw new Error('dash not found: this test runs Debian\'s /bin/sh for real (apt-get install -y dash)');
      }
      // `sh` = dash, whatever /bin/sh is on this machine
      const bin = fs.mkdtempSync(path.join(app.dir, 'bin-'));
      fs.symlinkSync(dash, path.join(bin, 'sh'));

      const port = await freePort();
      const spec = renderedSpec(port);
      const argv = ['sh', '-c', `java -jar ${app.jar}`];
      const run = await startPid1(argv, spec.env, bin);
      try {
        expect(run.pid1Argv()).toEqual(argv);
        expect(run.output).toMatch(/^GracefulApp: pid 2 /m); // dash forked the JVM instead of exec'ing it

        const first = httpGet(port, `/work?ms=${IN_FLIGHT_MS}`, 10_000);
        expect(await run.waitForOutput(new RegExp(`request start ms=${IN_FLIGHT_MS}`), 5000)).not.toBeNull();
        run.signal('SIGTERM');
        // PID 1 without a handler: the kernel drops SIGTERM, nothing reaches the JVM
        expect(await run.waitForOutput(/Commencing graceful shutdown/, 2000)).toBeNull();
        expect(run.exit).toBeUndefined();
        expect((await first).status).toBe(200);
        expect((await httpGet(port, '/work?ms=0', 2000)).status).toBe(200); // still accepting

        // the kubelet gives up at the end of the grace period: SIGKILL to PID 1 kills the whole namespace
        const last = httpGet(port, '/work?ms=3000', 10_000);
        expect(await run.waitForOutput(/request start ms=3000/, 5000)).not.toBeNull();
        run.signal('SIGKILL');
        expect(await run.waitForExit(5000)).toBeDefined();
        expect((await last).error).toBeDefined();
        expect(run.output).not.toMatch(/Graceful shutdown/);
      } finally {
        await run.dispose();
      }
    }, TEST_TIMEOUT_MS);
  });
});
