/**
 * The drill's stand-ins and helpers (test/e2e/fixtures/drill-world.ts, drill.ts), without processes: the
 * schedules by which callers stop picking the old pod, and how the drill reads the rendered shutdown phase.
 */
import { bindsTo, phaseSeconds, renderedPhase } from './fixtures/drill';
import { CONSUMERS, goDurationMs, KubeProxy, RegistryWorld } from './fixtures/drill-world';

/** Every consumer picks twice at `at` (round robin over two pods shows both when both are cached). */
function picks(world: RegistryWorld, at: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < 2 * CONSUMERS; i++) out.push(world.pick(i, at));
  return out;
}

describe('RegistryWorld', () => {
  const delays = { pushMs: 50, serverCacheMs: 3000, fetchMs: 3000, syncMs: 50, ttlMs: 3500 };

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

describe('RegistryWorld, consul: the agent the old pod registers with, and consumers that query it with passing=true', () => {
  const delays = { pushMs: 0, serverCacheMs: 0, fetchMs: 0, syncMs: 50, ttlMs: 3500 };
  const OLD_PORT = 8080;
  let world: RegistryWorld;
  let base: string;
  const put = async (p: string, body?: unknown) => (await fetch(`${base}${p}`, { method: 'PUT', body: body === undefined ? undefined : JSON.stringify(body) })).status;
  const passingIds = async () => ((await (await fetch(`${base}/v1/health/service/orders?passing=true`)).json()) as any[]).map(e => e.Service.ID);
  const register = () => put('/v1/agent/service/register', { ID: 'orders-old', Name: 'orders', Port: OLD_PORT, Check: { TTL: '3000ms' } });

  beforeEach(async () => {
    world = new RegistryWorld('consul', OLD_PORT, delays);
    base = `http://127.0.0.1:${await world.listen()}`;
  });
  afterEach(() => world.close());

  test('a TTL check starts critical: the instance is passing from its first heartbeat on, the servers\' view syncMs later', async () => {
    expect(await register()).toBe(200);
    expect(await passingIds()).toEqual(['orders-replacement']);
    expect(await put('/v1/agent/check/pass/service:orders-old')).toBe(200);
    const passedAt = Date.now();
    expect(world.consulPassing(passedAt + delays.syncMs + 1)).toEqual(['orders-old', 'orders-replacement']);
    expect(world.outAt).toBeUndefined();
  });

  test.each([
    ['maintenance mode (the preStop)', '/v1/agent/service/maintenance/orders-old?enable=true&reason=pod%20terminating'],
    ['a failed heartbeat (readiness refusing traffic)', '/v1/agent/check/fail/service:orders-old'],
    ['deregistration', '/v1/agent/service/deregister/orders-old'],
  ])('%s takes the instance out: callers keep it until the sync and their cache, never after the bound', async (_what, call) => {
    await register();
    await put('/v1/agent/check/pass/service:orders-old');
    world.startConsumers(Date.now());
    const before = Date.now();
    expect(await put(call)).toBe(200);
    const outAt = world.outAt!;
    expect(outAt).toBeGreaterThanOrEqual(before);
    // a heartbeat after maintenance mode keeps the TTL check passing, yet the instance stays out
    await put('/v1/agent/check/pass/service:orders-old');
    expect(world.outAt).toBe(outAt);
    expect(picks(world, outAt + 1)).toContain('old');
    const bound = world.lastOldPickBound()!;
    expect(bound).toBe(outAt + delays.syncMs + delays.ttlMs);
    let lastOld = 0;
    for (let t = outAt + 1; t <= bound + 2000; t += 10) {
      if (picks(world, t).includes('old')) lastOld = t;
    }
    expect(lastOld).toBeGreaterThan(outAt + delays.syncMs);
    expect(lastOld).toBeLessThan(bound);
    expect(world.consulPassing(outAt + delays.syncMs)).toEqual(['orders-replacement']);
  });

  test('a take-out for another id is refused and changes nothing (the preStop and the application must name the same instance)', async () => {
    await register();
    await put('/v1/agent/check/pass/service:orders-old');
    expect(await put('/v1/agent/service/maintenance/orders-other?enable=true')).toBe(404);
    expect(world.outAt).toBeUndefined();
  });

  test('a process that dies still registered turns critical when its TTL runs out after the last heartbeat', async () => {
    await register();
    const before = Date.now();
    await put('/v1/agent/check/pass/service:orders-old');
    const after = Date.now();
    world.processEnded(after + 10_000);
    // the TTL registered (3000ms) after the agent's receipt of the last pass, not the death
    expect(world.outAt).toBeGreaterThanOrEqual(before + 3000);
    expect(world.outAt).toBeLessThanOrEqual(after + 3000);
  });

  test('Go durations as the agent reads them', () => {
    expect([goDurationMs('3s'), goDurationMs('3000ms'), goDurationMs('1m30s'), goDurationMs('1.5s')]).toEqual([3000, 3000, 90_000, 1500]);
    expect(() => goDurationMs('30')).toThrow(/not a Go duration/);
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
