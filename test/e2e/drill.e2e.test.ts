/**
 * The drill (test/e2e/fixtures/drill.ts, docs/drill.md): one pod replacement on loopback, with a real JVM as PID 1,
 * a long-tailed request mix, a kube-proxy stand-in and Nacos consumers with their load-balancer caches, played
 * for five configurations in one run; then the same for Consul consumers (one pod replacement at a time, after
 * the first: a third JVM side by side would overload a 2-core machine). The requests lost are counted and the
 * tables are printed.
 *
 * What must hold on every path (counts and order only; no wall-clock bound below the scaled grace periods):
 * - the configuration GracefulJavaService derives loses nothing once its shutdown phase covers the mix's longest
 *   request; while the phase is shorter (the phase = drain of the current numbers), the requests it loses are
 *   exactly long requests cut in flight, the expected finding; on the registry paths its preStop takes the
 *   instance out of the registry before SIGTERM;
 * - the same pod with the shutdown phase = drain loses only long requests cut in flight (on the kubernetes path
 *   always some), and the pod without a preStop loses requests.
 *
 * Needs Linux, a JDK, `unshare` and curl (like test/e2e/termination.e2e.test.ts).
 */
import {
  DEFAULT_TIME_SCALE, DrillReport, DrillRun, LONGEST_REQUEST_S, PathName, PATHS, phaseSeconds, physicalMinimum, runDrill, table,
} from './fixtures/drill';
import { killAll, probeUnshare, which } from './fixtures/harness';

const probe = probeUnshare();
const describeE2e = 'flags' in probe ? describe : describe.skip;
if (!('flags' in probe)) {
  console.warn(`test/e2e/drill.e2e.test.ts skipped: ${probe.reason}`);
}
if (!which('curl')) {
  throw new Error('curl not found: the drill runs field report 002\'s hook, which calls curl (apt-get install -y curl)');
}

/** DRILL_TIME_SCALE lowers the scale on a machine too loaded for the default (see the preStop check below). */
const SCALE = Number(process.env.DRILL_TIME_SCALE ?? DEFAULT_TIME_SCALE);

/**
 * Per play: two pod replacements at a time, each at most (preStop + grace) / scale plus JVM start-up; generous
 * (the default paths take about a minute of wall time, the consul path about 40 s).
 */
const TEST_TIMEOUT_MS = 300_000;

/** The drill's assertions for one play of `paths`. */
function drill(title: string, paths: PathName[]): void {
  describeE2e(title, () => {
    let report: DrillReport;
    const run = (path: string, config: string): DrillRun => {
      const r = report.runs.find(x => x.path === path && x.config === config);
      if (!r) throw new Error(`no run ${path} / ${config}`);
      return r;
    };
    const summary = (r: DrillRun) => ({
      path: r.path,
      config: r.config,
      failed: r.failed.length,
      failedBeforeTerm: r.failedBeforeTerm,
      failedAfterTerm: r.failedAfterTerm,
      termAtS: r.termAtS,
      exitAtS: r.exitAtS,
      killed: r.killed,
      firstFailures: r.failed.slice(0, 3).map(f => ({ ms: f.ms, pod: f.pod, error: f.error, status: f.status })),
    });

    beforeAll(async () => {
      report = await runDrill({ unshareFlags: 'flags' in probe ? probe.flags : [], scale: SCALE, paths });
      console.log(table(report));
    }, TEST_TIMEOUT_MS);

    test('every configuration ran on every path, under real load', () => {
      expect(report.scale).toBe(SCALE);
      expect(report.runs).toHaveLength(paths.length * 5);
      for (const r of report.runs) {
        expect({ run: `${r.path}/${r.config}`, requests: r.requests.length > 100 }).toEqual({ run: `${r.path}/${r.config}`, requests: true });
        // the old pod was still called after the deletion started
        expect(r.requests.some(q => q.pod === 'old')).toBe(true);
        expect(r.requests.some(q => q.pod === 'replacement')).toBe(true);
        // the kubelet's order: SIGTERM never before the preStop ended (and at t0 without one)
        if (r.preStop === undefined) expect(r.termAtS).toBeLessThan(r.graceSeconds);
      }
    });

    // Process start-up, sh and curl are not scaled: on an overloaded machine the derived hook may not finish within
    // the scaled grace period. That is the machine, not the numbers: the message says what to do.
    test('the derived hook finished within the grace period (else the machine is too loaded for this scale)', () => {
      for (const path of paths) {
        const r = run(path, 'derived');
        expect({
          path,
          preStopKilled: r.preStopKilled,
          hint: `the preStop ran ${r.preStopWallMs} ms of wall time; rerun with DRILL_TIME_SCALE=5 on a loaded machine`,
        }).toMatchObject({ preStopKilled: false });
      }
    });

    test('the derived configuration: nothing lost once the shutdown phase covers the longest request; else only long requests cut', () => {
      for (const path of paths) {
        const r = run(path, 'derived');
        const phase = phaseSeconds(r.phase === 'default 30s' ? undefined : r.phase);
        // callers are never sent to a pod that stopped accepting: the preStop outlasted propagation
        expect({ ...summary(r), failedAfterTerm: r.failedAfterTerm }).toEqual({ ...summary(r), failedAfterTerm: 0 });
        if (phase >= LONGEST_REQUEST_S) {
          expect({ ...summary(r), failed: r.failed.length }).toEqual({ ...summary(r), failed: 0 });
        } else {
          // the expected finding while timeout-per-shutdown-phase = drain < the longest request: what is lost
          // are requests longer than the phase, cut in flight
          for (const f of r.failed) expect(f.ms * report.scale / 1000).toBeGreaterThan(phase);
        }
        // printed: grace period ÷ physical minimum
        expect(physicalMinimum(r).seconds).toBeGreaterThan(0);
      }
    });

    test('on the registry paths, the derived preStop took the instance out of the registry before SIGTERM', () => {
      for (const path of paths.filter(p => p !== 'kubernetes')) {
        const r = run(path, 'derived');
        expect({ ...summary(r), takeOutBeforeTerm: r.takeOutAtS !== undefined && r.takeOutAtS < r.termAtS })
          .toEqual({ ...summary(r), takeOutBeforeTerm: true });
      }
    });

    // The Kubernetes path has a long request in flight at SIGTERM in every run: one starts every 0.4 s of wall time
    // and lasts at least 1.6 s, the proxy sends everything to the old pod until 0.8 s after t0, SIGTERM comes at
    // 1 s plus the preStop's start-up: the request has more than the 0.2 s phase left unless that start-up
    // exceeds 0.8 s. On the registry paths a long request is in flight at SIGTERM only when a consumer whose cache
    // still held the old pod started one shortly before: some runs lose none.
    test('the shutdown phase = drain loses only the long requests cut in flight at SIGTERM (on the kubernetes path, always some)', () => {
      for (const path of paths) {
        const r = run(path, 'old-phase');
        expect(phaseSeconds(r.phase)).toBeLessThan(LONGEST_REQUEST_S);
        expect({ ...summary(r), failedAfterTerm: r.failedAfterTerm }).toEqual({ ...summary(r), failedAfterTerm: 0 });
        for (const f of r.failed) expect(f.ms * report.scale / 1000).toBeGreaterThan(phaseSeconds(r.phase));
        if (path === 'kubernetes') expect({ ...summary(r), lost: r.failedBeforeTerm > 0 }).toEqual({ ...summary(r), lost: true });
      }
    });

    // Mostly callers sent to the pod after it stopped accepting; on a machine so loaded that the JVM closes its
    // listener only after kube-proxy caught up, the long requests cut by the 2 s phase.
    test('without a preStop, requests are lost', () => {
      for (const path of paths) {
        const r = run(path, 'no-prestop');
        expect(r.termAtS).toBeLessThan(1 * report.scale); // SIGTERM at t0: within 1 s of wall time
        expect({ ...summary(r), lost: r.failed.length > 0 }).toEqual({ ...summary(r), lost: true });
      }
    });
  });
}

afterAll(() => killAll());

drill('the drill: one pod replacement, requests lost per configuration', PATHS);
drill('the drill on the consul path: Spring Cloud Consul consumers querying the agent with passing=true', ['consul']);
