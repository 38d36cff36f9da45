import { Duration } from 'cdk8s';
import { Propagation, ShutdownBudget, ShutdownBudgetProps } from '../../src';

const ms = Duration.millis;
const s = Duration.seconds;

describe('drain = max(p99, ceil(C95 / T) × average), rounded up to whole seconds', () => {
  test.each([
    // name, avg ms, p99 ms, C95, T, expected drain s
    ['report 004 field formula (T left out): 100ms × 40 = 4s', 100, 500, 40, undefined, 4],
    ['report 004 field formula with T = 1 given explicitly', 100, 500, 40, 1, 4],
    ['parallel workers: ceil(40 / 8) = 5 rounds × 120ms = 600ms < p99 800ms → 1s', 120, 800, 40, 8, 1],
    ['p99 dominates: 10 requests on 200 threads, one slow request of 2.5s → 3s', 50, 2500, 10, 200, 3],
    ['uneven rounds: ceil(41 / 8) = 6 rounds × 1s = 6s', 1000, 1000, 41, 8, 6],
    ['fractional concurrency: ceil(2.5 / 1) = 3 rounds × 1s = 3s', 1000, 900, 2.5, undefined, 3],
    ['exactly a whole second is not rounded up: 333ms × 3 = 999ms → 1s', 333, 100, 3, undefined, 1],
    ['1ms over a second rounds up: 1001ms → 2s', 1001, 10, 1, undefined, 2],
    ['long requests: 30s average × 4 in flight on 2 workers = 60s', 30000, 45000, 4, 2, 60],
  ])('%s', (_name, avg, p99, c95, workers, expected) => {
    const b = new ShutdownBudget({
      traffic: { averageLatency: ms(avg), p99Latency: ms(p99), p95Concurrency: c95, workerThreads: workers },
    });
    expect(b.drainSeconds).toBe(expected);
    expect(b.shutdownPhaseTimeoutSeconds).toBe(expected);
  });

  test('with one worker and p99 below the queue, drain equals average × C95 (report 004) for every whole C95', () => {
    for (let c95 = 1; c95 <= 200; c95 += 7) {
      for (const avg of [1, 45, 120, 999, 1000, 2500]) {
        const b = new ShutdownBudget({ traffic: { averageLatency: ms(avg), p99Latency: ms(1), p95Concurrency: c95 } });
        expect(b.drainSeconds).toBe(Math.ceil((avg * c95) / 1000));
      }
    }
  });
});

describe('grace period', () => {
  const traffic = { averageLatency: ms(100), p99Latency: ms(500), p95Concurrency: 40 }; // drain 4s

  test('grace = preStop + drain + allowance + buffer when the 80 % rule is already met', () => {
    const b = new ShutdownBudget({ traffic, shutdownAllowance: s(5) });
    expect(b.preStopSeconds).toBe(10); // default endpoint propagation
    expect(b.safetyBufferSeconds).toBe(10); // report 004 default
    expect(b.sumSeconds).toBe(10 + 4 + 5 + 10);
    expect(b.terminationGracePeriodSeconds).toBe(29);
    expect(b.preStopSeconds).toBeLessThanOrEqual(0.8 * b.terminationGracePeriodSeconds);
  });

  test('the grace period is padded so preStop stays within 80 % of it (long propagation)', () => {
    const b = new ShutdownBudget({
      traffic: { averageLatency: ms(100), p99Latency: ms(500), p95Concurrency: 5 }, // drain 1s
      propagation: [Propagation.custom('eureka-chain', s(95), 'test')],
    });
    expect(b.sumSeconds).toBe(95 + 1 + 0 + 10);
    expect(b.preStopShareSeconds).toBe(119); // ceil(95 / 0.8) = ceil(118.75)
    expect(b.terminationGracePeriodSeconds).toBe(119);
    expect(b.explain()).toContain('padded so preStop stays within 80 % of the grace period');
  });

  test('preStop = deregistration bound + slowest propagation path', () => {
    const b = new ShutdownBudget({
      traffic,
      deregistrationTimeout: ms(2500),
      propagation: [
        Propagation.kubernetesEndpoints(),
        Propagation.custom('spring-cloud-loadbalancer', s(35), 'spring-cloud-commons cache.ttl'),
      ],
    });
    expect(b.deregistrationSeconds).toBe(3);
    expect(b.propagationSeconds).toBe(35);
    expect(b.slowestPath).toBe('spring-cloud-loadbalancer');
    expect(b.preStopSeconds).toBe(38);
    expect(b.terminationGracePeriodSeconds).toBe(Math.max(38 + 4 + 10, Math.ceil(38 / 0.8)));
  });

  test('a longer user grace period is kept', () => {
    const b = new ShutdownBudget({ traffic, terminationGracePeriod: Duration.minutes(2) });
    expect(b.minimumGracePeriodSeconds).toBe(24);
    expect(b.terminationGracePeriodSeconds).toBe(120);
    expect(b.findings).toEqual([]);
  });

  test('a user grace period below the minimum says by how much and why', () => {
    expect(() => new ShutdownBudget({ traffic, terminationGracePeriod: s(18) }))
      .toThrow(/'terminationGracePeriod' \(18s\) is 6s shorter than the derived minimum of 24s = max\(preStop 10s \+ drain 4s \+ allowance 0s \+ buffer 10s = 24s.*SIGKILL.*Duration\.seconds\(24\)/);
  });

  test('above 600s the budget carries the cluster-autoscaler finding', () => {
    // a 10-minute request the service promises to finish: 600 + 10 + 10
    const b = new ShutdownBudget({ traffic: { ...traffic, longestRequest: Duration.minutes(10) } });
    expect(b.terminationGracePeriodSeconds).toBe(620);
    expect(b.findings.map(f => f.id)).toEqual(['grace-period-above-autoscaler-limit']);
    expect(b.findings[0].message).toContain('620s');
    expect(b.explain()).toContain('warning: terminationGracePeriodSeconds 620s');
  });

  test('exactly 600s has no finding', () => {
    const b = new ShutdownBudget({ traffic: { ...traffic, longestRequest: s(580) } }); // 580 + 10 + 10
    expect(b.terminationGracePeriodSeconds).toBe(600);
    expect(b.findings).toEqual([]);
  });

  test('invariants hold for many generated inputs', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const props: ShutdownBudgetProps = {
        traffic: {
          averageLatency: ms(1 + rnd(5000)),
          p99Latency: ms(1 + rnd(20000)),
          p95Concurrency: 1 + rnd(300),
          workerThreads: 1 + rnd(64),
        },
        propagation: [Propagation.custom('p', ms(rnd(120000)), 'generated')],
        deregistrationTimeout: ms(rnd(10000)),
        safetyBuffer: ms(rnd(20000)),
        shutdownAllowance: ms(rnd(10000)),
      };
      const b = new ShutdownBudget(props);
      expect(Number.isInteger(b.terminationGracePeriodSeconds)).toBe(true);
      const phases = b.preStopSeconds + b.drainSeconds + b.safetyBufferSeconds + b.shutdownAllowanceSeconds;
      expect(b.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(phases);
      expect(b.preStopSeconds).toBeLessThanOrEqual(0.8 * b.terminationGracePeriodSeconds);
      // minimal: one second less would break one of the two rules
      const less = b.terminationGracePeriodSeconds - 1;
      expect(less < b.sumSeconds || b.preStopSeconds > 0.8 * less || less < 1).toBe(true);
    }
  });
});

describe('explain() and annotations', () => {
  const b = new ShutdownBudget({
    traffic: { averageLatency: ms(120), p99Latency: ms(800), p95Concurrency: 40, workerThreads: 8 },
    shutdownAllowance: s(5),
  });

  test('explain names every term with its value', () => {
    expect(b.explain()).toBe([
      'Shutdown budget (whole seconds; each term is rounded up once, then added):',
      '  drain                                       = max(p99 800ms, queue ceil(C95 40 / T 8) = 5 × avg 120ms = 600ms) = 800ms → 1s',
      '  propagation wait                            = max(kubernetes-endpoints 10s) = 10s',
      '  preStop                                     = deregistration 0s + propagation 10s = 10s',
      '  minimum grace                               = max(preStop 10s + drain 1s + allowance 5s + buffer 10s = 26s, ceil(preStop 10s / 0.8) = 13s) = 26s',
      '  terminationGracePeriodSeconds               = 26s (derived minimum)',
      '  spring.lifecycle.timeout-per-shutdown-phase = drain = 1s (per lifecycle phase)',
      'Sources:',
      '  propagation kubernetes-endpoints 10s: Spring Boot reference, "Kubernetes Container Lifecycle" (10 s preStop sleep)',
      '  safety buffer 10s: field report 004 (docs/field-reports.md)',
    ].join('\n'));
  });

  test('sources list only the defaults that were used', () => {
    const given = new ShutdownBudget({
      traffic: { averageLatency: ms(120), p99Latency: ms(800), p95Concurrency: 40 },
      safetyBuffer: s(5),
      propagation: [Propagation.kubernetesEndpoints(s(4))],
    });
    expect(given.sources).toEqual(['propagation kubernetes-endpoints 4s: declared by the user']);
  });

  test('annotations carry the same arithmetic, one per term', () => {
    const a = b.toAnnotations();
    expect(Object.keys(a)).toEqual([
      'graceful.cdk8s.io/drain',
      'graceful.cdk8s.io/propagation',
      'graceful.cdk8s.io/pre-stop',
      'graceful.cdk8s.io/minimum-grace-period',
      'graceful.cdk8s.io/termination-grace-period',
      'graceful.cdk8s.io/shutdown-phase-timeout',
    ]);
    expect(a['graceful.cdk8s.io/termination-grace-period']).toBe('26s (derived minimum)');
    expect(Object.keys(b.toAnnotations('x/'))[0]).toBe('x/drain');
  });
});

describe('bad input gives a clear error naming the prop, its value and the fix', () => {
  const good = { averageLatency: ms(100), p99Latency: ms(500), p95Concurrency: 40 };
  test.each([
    ['zero average latency', { ...good, averageLatency: ms(0) }, /'traffic\.averageLatency' \(0ms\) must be greater than zero\. Fix: /],
    ['NaN average latency', { ...good, averageLatency: ms(NaN) }, /'traffic\.averageLatency' \(NaNms\) must be a finite duration/],
    ['infinite p99', { ...good, p99Latency: ms(Infinity) }, /'traffic\.p99Latency' \(Infinityms\) must be a finite duration/],
    ['zero p99', { ...good, p99Latency: s(0) }, /'traffic\.p99Latency' \(0ms\) must be greater than zero/],
    ['zero concurrency', { ...good, p95Concurrency: 0 }, /'traffic\.p95Concurrency' \(0 requests\) must be a finite number greater than zero\. Fix: give the 95th percentile/],
    ['negative concurrency', { ...good, p95Concurrency: -3 }, /'traffic\.p95Concurrency' \(-3 requests\)/],
    ['NaN concurrency', { ...good, p95Concurrency: NaN }, /'traffic\.p95Concurrency' \(NaN requests\)/],
    ['zero workers', { ...good, workerThreads: 0 }, /'traffic\.workerThreads' \(0 threads\) must be a whole number of at least 1/],
    ['fractional workers', { ...good, workerThreads: 2.5 }, /'traffic\.workerThreads' \(2\.5 threads\)/],
    ['missing latency', { ...good, averageLatency: undefined }, /'traffic\.averageLatency' \(undefined\) is not a Duration/],
  ])('%s', (_name, traffic, message) => {
    expect(() => new ShutdownBudget({ traffic: traffic as any })).toThrow(message);
  });

  test('negative durations are refused by cdk8s itself before they reach us', () => {
    expect(() => ms(-1)).toThrow(/negative/);
  });

  test.each([
    ['safetyBuffer', { safetyBuffer: ms(NaN) }, /'safetyBuffer' \(NaNms\)/],
    ['deregistrationTimeout', { deregistrationTimeout: ms(Infinity) }, /'deregistrationTimeout' \(Infinityms\)/],
    ['shutdownAllowance', { shutdownAllowance: ms(NaN) }, /'shutdownAllowance' \(NaNms\)/],
    ['zero grace period', { terminationGracePeriod: s(0) }, /'terminationGracePeriod' \(0ms\) must be greater than zero/],
    ['empty propagation', { propagation: [] }, /'propagation' \(\[\]\) must list at least one propagation path/],
    ['NaN propagation', { propagation: [Propagation.custom('x', ms(NaN), 't')] }, /'propagation\[0\]\.delay' \(NaNms\)/],
    ['bad path name', { propagation: [Propagation.custom('Not Kebab', s(1), 't')] }, /'propagation\[0\]\.name' \("Not Kebab"\) must be a kebab-case name/],
    ['duplicate path', { propagation: [Propagation.kubernetesEndpoints(), Propagation.kubernetesEndpoints()] }, /'propagation\[1\]\.name' \("kubernetes-endpoints"\) is listed twice/],
  ])('%s', (_name, extra, message) => {
    expect(() => new ShutdownBudget({ traffic: good, ...(extra as any) })).toThrow(message);
  });
});

describe('the longest request: shutdown phase = max(longest request, p99, queue drain ceil(C95 / T) × average)', () => {
  const traffic = { averageLatency: ms(150), p99Latency: ms(1200), p95Concurrency: 60, workerThreads: 200 }; // queue 150ms

  test('each term can be the one that decides', () => {
    // longest request
    const longest = new ShutdownBudget({ traffic: { ...traffic, longestRequest: s(60) } });
    expect([longest.longestRequestSeconds, longest.queueDrainSeconds, longest.drainSeconds]).toEqual([60, 1, 60]);
    // p99 (no longest request, no default)
    const p99 = new ShutdownBudget({ traffic });
    expect([p99.longestRequestSeconds, p99.drainSeconds]).toEqual([0, 2]);
    // queue drain: 400 in flight on 2 workers × 150ms = 30s, above a 20s longest request
    const queue = new ShutdownBudget({ traffic: { ...traffic, p95Concurrency: 400, workerThreads: 2, longestRequest: s(20) } });
    expect([queue.longestRequestSeconds, queue.queueDrainSeconds, queue.drainSeconds]).toEqual([20, 30, 30]);
    expect(queue.shutdownPhaseTimeoutSeconds).toBe(30);
  });

  test('the default longest request is a floor (Spring Boot\'s 30 s)', () => {
    const b = new ShutdownBudget({ traffic, defaultLongestRequest: s(30), shutdownAllowance: s(5) });
    expect(b.drainSeconds).toBe(30);
    expect(b.shutdownPhaseTimeoutSeconds).toBe(30);
    // the grace period follows: preStop 10 + phase 30 + allowance 5 + buffer 10
    expect(b.terminationGracePeriodSeconds).toBe(55);
    expect(b.explain()).toContain('max(longest request 30s (default), p99 1200ms, queue ceil(C95 60 / T 200) = 1 × avg 150ms = 150ms) = 30s → 30s');
    // a queue drain above the floor wins
    const queued = new ShutdownBudget({ traffic: { ...traffic, workerThreads: 1, p95Concurrency: 300 }, defaultLongestRequest: s(30) });
    expect(queued.drainSeconds).toBe(45); // 300 × 150ms
  });

  test('an explicitly shorter longest request goes below the default', () => {
    const b = new ShutdownBudget({ traffic: { ...traffic, longestRequest: s(5) }, defaultLongestRequest: s(30) });
    expect(b.drainSeconds).toBe(5);
    expect(b.explain()).toContain('max(longest request 5s (given), p99 1200ms');
  });

  test('sub-second longest requests round up once, like every term', () => {
    const b = new ShutdownBudget({ traffic: { ...traffic, longestRequest: ms(1201) } });
    expect(b.drainSeconds).toBe(2);
  });

  test('huge values: a day-long request is accepted and flagged by the autoscaler limit; more is refused', () => {
    const day = new ShutdownBudget({ traffic: { ...traffic, longestRequest: Duration.hours(24) } });
    expect(day.drainSeconds).toBe(86400);
    expect(day.terminationGracePeriodSeconds).toBe(86400 + 10 + 10);
    expect(day.findings.map(f => f.id)).toEqual(['grace-period-above-autoscaler-limit']);
    expect(() => new ShutdownBudget({ traffic: { ...traffic, longestRequest: Duration.hours(25) } }))
      .toThrow(/'traffic\.longestRequest' \(90000000ms\) must be at most one day/);
  });

  test('bad longest requests are refused with the prop, its value and the fix', () => {
    expect(() => new ShutdownBudget({ traffic: { ...traffic, longestRequest: ms(0) } }))
      .toThrow(/'traffic\.longestRequest' \(0ms\) must be greater than zero\. Fix: give the longest request the service promises to finish/);
    expect(() => new ShutdownBudget({ traffic: { ...traffic, longestRequest: ms(NaN) } }))
      .toThrow(/'traffic\.longestRequest' \(NaNms\) must be a finite duration/);
    expect(() => new ShutdownBudget({ traffic: { ...traffic, longestRequest: 60 as any } }))
      .toThrow(/'traffic\.longestRequest' \(60\) is not a Duration/);
    expect(() => new ShutdownBudget({ traffic: { ...traffic, longestRequest: ms(800) } }))
      .toThrow(/'traffic\.longestRequest' \(800ms\) is shorter than p99Latency \(1200ms\)\. Fix: give at least 1200ms/);
    expect(() => new ShutdownBudget({ traffic, defaultLongestRequest: ms(0) }))
      .toThrow(/'defaultLongestRequest' \(0ms\) must be greater than zero/);
  });

  test('measurements that look like a unit mistake or swapped fields are warnings, not errors', () => {
    const units = new ShutdownBudget({ traffic: { averageLatency: s(80), p99Latency: s(120), p95Concurrency: 4, workerThreads: 4 } });
    expect(units.findings.map(f => [f.id, f.severity])).toEqual([['traffic-profile-suspicious', 'warning']]);
    expect(units.findings[0].message).toBe('traffic.averageLatency is 80s, above 10s: an average server-side request that long is more often '
      + 'a unit mistake (seconds given for milliseconds)');
    expect(units.findings[0].remediation).toContain('if the mean is 80 ms, give Duration.millis(80)');
    expect(units.explain()).toContain('warning: traffic.averageLatency is 80s');
    const swapped = new ShutdownBudget({ traffic: { averageLatency: ms(900), p99Latency: ms(120), p95Concurrency: 4 } });
    expect(swapped.findings.map(f => f.message)).toEqual([
      'traffic.averageLatency 900ms is above traffic.p99Latency 120ms: a mean above the 99th percentile needs a few enormous requests; the fields may be swapped',
    ]);
    expect(new ShutdownBudget({ traffic }).findings).toEqual([]);
  });
});

describe('a wait inside the process after SIGTERM is budgeted', () => {
  const traffic = { averageLatency: ms(150), p99Latency: ms(1200), p95Concurrency: 60, workerThreads: 200 };

  test('it sits between the preStop and the drain and adds to the grace period', () => {
    const b = new ShutdownBudget({ traffic, defaultLongestRequest: s(30), inProcessWait: s(10), shutdownAllowance: s(5) });
    expect(b.inProcessWaitSeconds).toBe(10);
    expect(b.sumSeconds).toBe(10 + 10 + 30 + 5 + 10);
    expect(b.terminationGracePeriodSeconds).toBe(65);
    expect(b.explain()).toContain('in-process wait                             = 10s after SIGTERM, before the drain');
    expect(b.explain()).toContain('max(preStop 10s + in-process wait 10s + drain 30s + allowance 5s + buffer 10s = 65s');
    expect(b.toAnnotations()['graceful.cdk8s.io/in-process-wait']).toBe('10s after SIGTERM, before the drain');
  });

  test('left out, it is neither in the sum nor in the explanation', () => {
    const b = new ShutdownBudget({ traffic });
    expect(b.inProcessWaitSeconds).toBe(0);
    expect(b.explain()).not.toContain('in-process wait');
  });
});
