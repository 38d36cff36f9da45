/**
 * The drill's stand-ins and helpers (test/e2e/fixtures/drill-world.ts, drill.ts), without processes: the
 * schedules by which callers stop picking the old pod, and how the drill reads the rendered shutdown phase.
 */
import { bindsTo, phaseSeconds, renderedPhase } from './fixtures/drill';
import { CONSUMERS, KubeProxy, RegistryWorld } from './fixtures/drill-world';

/** Every consumer picks twice at `at` (round robin over two pods shows both when both are cached). */
function picks(world: RegistryWorld, at: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < 2 * CONSUMERS; i++) out.push(world.pick(i, at));
  return out;
}

describe('RegistryWorld', () => {
  const delays = { pushMs: 50, serverCacheMs: 3000, fetchMs: 3000, ttlMs: 3500 };

  test.each(['nacos', 'eureka'] as const)('%s: callers keep the old pod until the take-out has travelled, never after the bound', kind => {
    const world = new RegistryWorld(kind, 8080, delays);
    world.startConsumers(0);
    expect(picks(world, 100)).toContain('old');
    world.outAt = 1000;
    // right after the take-out nobody has heard of it yet
    expect(picks(world, 1001)).toContain('old');
    const bound = world.lastOldPickBound()!;
    expect(bound).toBe(kind === 'nacos' ? 1000 + 50 + 3500 : 1000 + 3000 + 3000 + 3500);
    // walk through time: the old pod is picked for a while, and never at or after the bound
    let lastOld = 0;
    for (let t = 1001; t <= bound + 2000; t += 10) {
      if (picks(world, t).includes('old')) lastOld = t;
    }
    expect(lastOld).toBeGreaterThan(1000 + delays.pushMs);
    expect(lastOld).toBeLessThan(bound);
    world.processEnded(99_999); // already out: no change
    expect(world.outAt).toBe(1000);
  });

  test('eureka: the take-out waits for the server cache refresh, then each client fetch', () => {
    const world = new RegistryWorld('eureka', 8080, delays);
    world.startConsumers(0);
    world.outAt = 1000;
    // the server's cache refreshes at 3000, but no client has fetched since: reloaded caches still list the pod
    expect(picks(world, 3001)).toContain('old');
    // every client fetched by 6000 (fetches staggered over 3 s) and every cache reloaded since
    expect(picks(world, 6000 + delays.ttlMs)).not.toContain('old');
  });

  test('a process that ends without a take-out leaves the list at its end', () => {
    const world = new RegistryWorld('nacos', 8080, delays);
    world.startConsumers(0);
    expect(world.lastOldPickBound()).toBeUndefined();
    world.processEnded(5000);
    expect(world.lastOldPickBound()).toBe(5000 + 50 + 3500);
  });
});

test('KubeProxy: the old pod until the propagation delay after the deletion', () => {
  const proxy = new KubeProxy({ old: 1, replacement: 2 }, 800);
  expect(proxy.podAt(0)).toBe('old');
  proxy.deletedAt = 1000;
  expect(proxy.podAt(1799)).toBe('old');
  expect(proxy.podAt(1800)).toBe('replacement');
});

test('the shutdown phase is read the way Spring Boot binds environment variables', () => {
  const property = 'spring.lifecycle.timeout-per-shutdown-phase';
  expect(bindsTo('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', property)).toBe(true);
  expect(bindsTo('SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE', property)).toBe(true);
  expect(bindsTo('SPRING_LIFECYCLE_TIMEOUT', property)).toBe(false);
  expect(renderedPhase({ SERVER_PORT: '8080', SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: '45s' })).toBe('45s');
  expect(renderedPhase({ SERVER_PORT: '8080' })).toBeUndefined();
  expect([phaseSeconds('2s'), phaseSeconds('5m'), phaseSeconds('500ms'), phaseSeconds('1500'), phaseSeconds(undefined)]).toEqual([2, 300, 0.5, 1.5, 30]);
  expect(() => phaseSeconds('PT30S')).toThrow(/unsupported duration PT30S/);
});
