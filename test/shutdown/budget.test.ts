import { Duration } from 'cdk8s';
import { ShutdownBudget } from '../../src';

test('smoke', () => {
  const b = new ShutdownBudget({ traffic: { averageLatency: Duration.millis(100), p99Latency: Duration.millis(500), p95Concurrency: 40 } });
  expect(b.drainSeconds).toBe(4);
});
