import { Duration, Testing } from 'cdk8s';
import { GracefulJavaService, GracefulService, GracefulServiceProps, PreStopHook, Registry } from '../src';
import { shellLessImage } from '../src/shell/images';

/**
 * A shell-less image (distroless, Chainguard) cannot run the preStop script (/bin/sh) or the sleep command:
 * the constructs say so as a warning (the rule over what they emit), suggesting the sleep action or httpGet.
 */
const base: GracefulServiceProps = {
  image: 'gcr.io/distroless/nodejs22-debian12:nonroot',
  port: 3000,
  traffic: { averageLatency: Duration.millis(40), p99Latency: Duration.millis(300), p95Concurrency: 12, workerThreads: 4 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};
const shellLess = (findings: { id: string }[]) => findings.filter(f => f.id === 'shell-less-image-runs-shell');

describe('shell-less images in the constructs', () => {
  test('the sleep command on a distroless image: a warning naming the image and PreStopHook.sleepAction()', () => {
    const svc = new GracefulService(Testing.chart(), 'catalog', base);
    const [f] = shellLess(svc.findings);
    expect(f).toMatchObject({ severity: 'warning' });
    expect((f as any).message).toContain('gcr.io/distroless/nodejs22-debian12:nonroot');
    expect((f as any).message).toContain('the program sleep');
    expect((f as any).remediation).toContain('PreStopHook.sleepAction()');
    expect((f as any).remediation).toContain('sleep: {seconds: 10}');
  });

  test('the /bin/sh script on a Chainguard image (a registry take-out): a warning suggesting httpGet', () => {
    const svc = new GracefulJavaService(Testing.chart(), 'orders', {
      image: 'cgr.dev/chainguard/jre:latest',
      jar: '/app/app.jar',
      registry: Registry.nacos(),
      traffic: { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 },
    });
    const [f] = shellLess(svc.findings);
    expect((f as any).message).toContain('a shell (/bin/sh)');
    expect((f as any).remediation).toContain('PreStopHook.httpGet()');
  });

  test('no warning with the sleep action, an httpGet hook, or an image with a shell', () => {
    const chart = Testing.chart();
    const action = new GracefulService(chart, 'a', { ...base, preStop: PreStopHook.sleepAction(), kubernetesVersion: '1.31' });
    const http = new GracefulService(chart, 'b', { ...base, preStop: PreStopHook.httpGet('/prestop') });
    const debug = new GracefulService(chart, 'c', { ...base, image: 'gcr.io/distroless/nodejs22-debian12:debug' });
    const plain = new GracefulService(chart, 'd', { ...base, image: 'node:22-bookworm-slim' });
    for (const svc of [action, http, debug, plain]) expect(shellLess(svc.findings)).toEqual([]);
  });

  test.each([
    ['gcr.io/distroless/java21-debian12', true],
    ['gcr.io/distroless/java21-debian12:nonroot', true],
    ['gcr.io/distroless/java21-debian12:debug-nonroot', false],
    ['cgr.dev/chainguard/jre', true],
    ['cgr.dev/chainguard/jre:latest-dev', false],
    ['mcr.microsoft.com/openjdk/jdk:21-distroless', true],
    ['eclipse-temurin:21-jre', false],
    ['registry.example.com/{{ .Values.image }}', false],
  ])('%s has no shell: %s', (image, expected) => {
    expect(shellLessImage(image) !== undefined).toBe(expected);
  });
});
