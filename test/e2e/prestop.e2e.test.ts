/**
 * The preStop hook, run for real: the kubelet execs the hook's argv directly (no shell), and images differ
 * in what `sleep` is (coreutils, busybox). The command must exit 0 after preStopSeconds under each way it
 * can be started. Needs dash, bash and busybox (Debian/Ubuntu: `apt-get install -y busybox`).
 */
import { spawn } from 'child_process';
import { Duration, Testing } from 'cdk8s';
import { GracefulService } from '../../src';
import { appContainer, synthValid } from '../util/k8s';

// The hook as synthesized for a service behind a Kubernetes Service only (nothing to take out).
const chart = Testing.chart();
const service = new GracefulService(chart, 'sleeper', {
  image: 'example/sleeper:1',
  traffic: { averageLatency: Duration.millis(100), p99Latency: Duration.millis(200), p95Concurrency: 1 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
  endpointPropagation: Duration.seconds(1),
  safetyBuffer: Duration.seconds(0),
});
const command: string[] = appContainer(synthValid(chart)).lifecycle.preStop.exec.command;
const seconds = service.budget.preStopSeconds;

/** Runs argv, returns its exit status and how long it took. */
function run(argv: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => stderr += d);
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 10) * 1000);
    child.on('error', err => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Number(process.hrtime.bigint() - start) / 1e6, stderr });
    });
  });
}

describe('preStop command, run for real', () => {
  test('is an exec-form sleep of preStopSeconds', () => {
    expect(seconds).toBeGreaterThanOrEqual(1); // a 0 s sleep would make the timing checks below meaningless
    expect(command).toEqual(['sleep', String(seconds)]);
  });

  test.concurrent.each([
    { how: 'exec directly, as the kubelet does', argv: command },
    { how: 'dash -c', argv: ['dash', '-c', '"$@"', 'prestop', ...command] },
    { how: 'bash -c', argv: ['bash', '-c', '"$@"', 'prestop', ...command] },
    { how: 'busybox sh -c', argv: ['busybox', 'sh', '-c', '"$@"', 'prestop', ...command] },
    { how: 'busybox sleep (images without coreutils)', argv: ['busybox', ...command] },
  ])('$how: exits 0 after preStopSeconds', async ({ argv }) => {
    const r = await run(argv);
    expect({ argv, code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ argv, code: 0, signal: null, stderr: '' });
    expect(r.ms).toBeGreaterThanOrEqual(seconds * 1000);
    expect(r.ms).toBeLessThan(seconds * 1000 + 3000); // generous: process start-up on a loaded machine
  }, (seconds + 15) * 1000);
});
