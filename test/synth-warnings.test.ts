import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { GracefulJavaService } from '../src';
import { CONSTRUCT_PATHS_FILE, objectKey, readConstructPaths } from '../src/construct-paths';

/** Average latency given in seconds where milliseconds were meant: an 80 s drain per request. */
const slow = { averageLatency: Duration.seconds(80), p99Latency: Duration.seconds(90), p95Concurrency: 60, workerThreads: 5 };

function app(context?: string, props: Record<string, unknown> = {}): App {
  const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-warnings-')), ...props });
  if (context !== undefined) a.node.setContext('cdk8s-graceful:warnings', context);
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  new GracefulJavaService(chart, 'orders', { image: 'example/orders:1', jar: '/app/app.jar', traffic: slow, metadata: { name: 'orders' } });
  return a;
}

function stderrOf(fn: () => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
}

/** Runs fn with CDK8S_GRACEFUL_WARNINGS set to value (deleted when undefined), restoring it after. */
function withEnv<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.CDK8S_GRACEFUL_WARNINGS;
  if (value === undefined) delete process.env.CDK8S_GRACEFUL_WARNINGS;
  else process.env.CDK8S_GRACEFUL_WARNINGS = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.CDK8S_GRACEFUL_WARNINGS;
    else process.env.CDK8S_GRACEFUL_WARNINGS = before;
  }
}

describe('warnings at synth', () => {
  // the test suite runs with CDK8S_GRACEFUL_WARNINGS=ignore (test/setup-env.ts): the default is tested without it
  test('printed to standard error as [path] warning rule-id: message. Fix: …, the YAML still written', () => {
    let yaml = '';
    const err = withEnv(undefined, () => stderrOf(() => {
      yaml = app().synthYaml();
    }));
    // the grace period the slow drain needs is above the cluster autoscaler's 600 s: a warning with its numbers
    expect(err).toMatch(/^\[shop\/orders\] warning [a-z0-9-]+: .*\d+ ?s.*\. Fix: .+$/m);
    const grace = /terminationGracePeriodSeconds: (\d+)/.exec(yaml);
    expect(Number(grace![1])).toBeGreaterThan(600);
    expect(err).toContain(grace![1]);
  });

  test('context cdk8s-graceful:warnings=fail fails synth with the warnings as errors', () => {
    expect(() => stderrOf(() => app('fail').synthYaml()))
      .toThrow(/Validation failed with the following errors:\n\s+\[shop\/orders\] warning [a-z0-9-]+: .*\(context cdk8s-graceful:warnings=fail\)/);
  });

  test('ignore: nothing printed, the findings stay on the construct', () => {
    expect(stderrOf(() => app('ignore').synthYaml())).toBe('');
  });

  test('an unknown mode is an error naming the key and the values', () => {
    expect(() => stderrOf(() => app('loud').synthYaml()))
      .toThrow(/context 'cdk8s-graceful:warnings' \("loud"\) must be one of print, fail, ignore\. Fix:/);
  });

  test('without the context key, CDK8S_GRACEFUL_WARNINGS decides: fail, print, ignore', () => {
    expect(() => withEnv('fail', () => stderrOf(() => app().synthYaml())))
      .toThrow(/\[shop\/orders\] warning [a-z0-9-]+: .*\(CDK8S_GRACEFUL_WARNINGS=fail\)/);
    expect(withEnv('print', () => stderrOf(() => app().synthYaml()))).toMatch(/^\[shop\/orders\] warning /m);
    expect(withEnv('ignore', () => stderrOf(() => app().synthYaml()))).toBe('');
    // an empty value is as if unset: the default prints
    expect(withEnv('', () => stderrOf(() => app().synthYaml()))).toMatch(/^\[shop\/orders\] warning /m);
  });

  test('the context key wins over CDK8S_GRACEFUL_WARNINGS', () => {
    expect(withEnv('fail', () => stderrOf(() => app('ignore').synthYaml()))).toBe('');
    expect(() => withEnv('ignore', () => stderrOf(() => app('fail').synthYaml()))).toThrow(/\(context cdk8s-graceful:warnings=fail\)/);
  });

  test('an unknown value of CDK8S_GRACEFUL_WARNINGS is an error naming the variable, the value and the values', () => {
    expect(() => withEnv('loud', () => stderrOf(() => app().synthYaml())))
      .toThrow(/environment variable CDK8S_GRACEFUL_WARNINGS \("loud"\) must be one of print, fail, ignore\. Fix:/);
  });
});

describe('construct paths for the validation plugin', () => {
  test('recorded by kind, namespace and name when the app records construct metadata', () => {
    const a = app('ignore', { recordConstructMetadata: true, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    a.synth();
    const cdk8sOwn = JSON.parse(fs.readFileSync(path.join(a.outdir, 'construct-metadata.json'), 'utf-8'));
    // cdk8s' own metadata has one entry for the three objects named orders
    expect(Object.keys(cdk8sOwn.resources).filter(n => n === 'orders')).toHaveLength(1);
    const paths = readConstructPaths([path.join(a.outdir, 'shop.k8s.yaml')]);
    const deployment = paths.get(objectKey('Deployment', 'shop', 'orders'));
    const pdb = paths.get(objectKey('PodDisruptionBudget', 'shop', 'orders'));
    const service = paths.get(objectKey('Service', 'shop', 'orders'));
    expect(deployment).toMatch(/^shop\/orders\/.+/);
    expect(new Set([deployment, pdb, service]).size).toBe(3);
  });

  test('not written when the app does not record construct metadata', () => {
    const a = app('ignore', { recordConstructMetadata: false });
    a.synth();
    expect(fs.existsSync(path.join(a.outdir, CONSTRUCT_PATHS_FILE))).toBe(false);
  });
});
