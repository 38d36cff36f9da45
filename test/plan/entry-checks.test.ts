/*
 * The fuzzer's findings, one per prop: each is now refused at its entry with the prop, a readable value and
 * the fix, instead of a TypeError, a cdk8s-plus error without a construct path, or schema-invalid YAML.
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GracefulJavaService, GracefulService, GracefulServiceProps, ProcessInit, Registry, TakeOut } from '../../src';
import { GracefulConfigError, show } from '../../src/errors';

const base: GracefulServiceProps = {
  image: 'registry.example.com/orders:1.4.2',
  traffic: { averageLatency: Duration.millis(120), p99Latency: Duration.millis(900), p95Concurrency: 40 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};

function refused(props: Record<string, unknown>, java = false): string {
  const chart = Testing.chart();
  try {
    if (java) new GracefulJavaService(chart, 'orders', { ...base, ...props } as any);
    else new GracefulService(chart, 'orders', { ...base, ...props } as any);
  } catch (e) {
    expect(e).toBeInstanceOf(GracefulConfigError);
    const message = (e as Error).message;
    expect(message).toMatch(/^\[test\/orders\] '/);
    expect(message).not.toContain('[object Object]');
    return message;
  }
  throw new Error(`not refused: ${JSON.stringify(props)}`);
}

describe('each prop is refused at its entry with the prop, a readable value and the fix', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['init as a string', { init: 'tini' }, /'init' \("tini"\) is not a ProcessInit\. Fix: give ProcessInit\.tini\(\)/],
    ['init of the wrong class', { init: Registry.nacos() }, /'init' \(<Registry>\) is not a ProcessInit/],
    ['maxSurge as a number', { maxSurge: 1 }, /'maxSurge' \(1\) is not a PercentOrAbsolute/],
    ['maxSurge of 0', { maxSurge: kplus.PercentOrAbsolute.absolute(0) }, /'maxSurge' \(0 pods\) must be a whole number of pods from 1/],
    ['maxSurge of -1', { maxSurge: kplus.PercentOrAbsolute.absolute(-1) }, /'maxSurge' \(-1 pods\)/],
    ['maxSurge of NaN%', { maxSurge: kplus.PercentOrAbsolute.percent(NaN) }, /'maxSurge' \("NaN%"\) must be a whole percentage of at least 1%/],
    ['a registry that is a class', { registry: TakeOut }, /'registry' \(<function>\) is not a Registry/],
    ['p95Concurrency of 1e308', { traffic: { ...base.traffic, p95Concurrency: 1e308 } }, /'traffic\.p95Concurrency' \(1e\+308 requests\) must be a finite number greater than zero and at most 1000000/],
    ['replicas beyond int32', { replicas: 2147483648 }, /'replicas' \(2147483648\) must be at most 2147483647 \(a Kubernetes int32\)/],
    ['minReady of 3e9 s', { minReady: Duration.seconds(3e9) }, /'minReady' \(3000000000000ms\) must be at most one day/],
    ['a call timeout of 1e300 s', { registry: Registry.nacos({ callTimeout: Duration.seconds(1e300) }) }, /'registry\.callTimeout' \(1e\+303ms\) must be at most one day/],
    ['envVariables as a string', { envVariables: 'A=1' }, /'envVariables' \("A=1"\) must be an object of variable names to string values/],
    ['envVariables as an array', { envVariables: ['A=1'] }, /'envVariables' \(\["A=1"\]\) must be an object/],
    ['an env name with =', { envVariables: { 'A=B': 'x' } }, /'envVariables' \("A=B"\) is not an environment variable name/],
    ['an empty env name', { envVariables: { '': 'x' } }, /'envVariables' \(""\) is not an environment variable name/],
    ['an env value that is an object', { envVariables: { A: { b: 1 } } }, /'envVariables\.A' \(\{"b":1\}\) must be a string/],
    ['a user GRACEFUL_LOGIN_URL', { envVariables: { GRACEFUL_LOGIN_URL: 'http://x' } }, /'envVariables\.GRACEFUL_LOGIN_URL' \("http:\/\/x"\) is the preStop script's configuration/],
    ['a user graceful.after-url', { envVariables: { 'graceful.after-url': 'http://x' } }, /'envVariables\.graceful\.after-url'/],
    ['a NaN CPU', { resources: { cpu: { request: kplus.Cpu.millis(NaN) } } }, /'resources\.cpu\.request' \("NaNm"\) is not a CPU quantity/],
    ['a fractional memory size', { resources: { memory: { limit: Size.kibibytes(1.5) } } }, /'resources\.memory\.limit' \(<Size>\) is not a size of whole, finite, non-negative mebibytes/],
    ['resources as a string', { resources: '1Gi' }, /'resources' \("1Gi"\) is not a ContainerResources object/],
    ['a negative user id', { securityContext: { user: -1 } }, /'securityContext\.user' \(-1\) must be a whole number from 0 to 2147483647/],
    ['a string flag', { securityContext: { ensureNonRoot: 'yes' } }, /'securityContext\.ensureNonRoot' \("yes"\) must be true or false/],
    ['a serviceAccount as a string', { serviceAccount: 'orders' }, /'serviceAccount' \("orders"\) is not a ServiceAccount/],
    ['a health path with a newline', { health: { readinessPath: '/ready\nx', livenessPath: '/live' } }, /'health\.readinessPath' \("\/ready\\nx"\)/],
  ])('%s', (_name, props, message) => {
    expect(refused(props)).toMatch(message);
  });

  test('TakeOut.http with a method that is not a string', () => {
    expect(() => TakeOut.http({ url: 'http://registry:8080/offline', method: 5 as any }))
      .toThrow(/'registry\.takeOut\.method' \(5\) is not supported\. Fix: give POST, PUT, DELETE or GET/);
  });

  test('GracefulJavaService refuses the same', () => {
    expect(refused({ init: 'tini', command: ['java', '-jar', '/app.jar'] }, true)).toMatch(/'init' \("tini"\) is not a ProcessInit/);
  });

  test('the largest accepted values still synthesize', () => {
    const chart = Testing.chart();
    new GracefulService(chart, 'orders', {
      ...base,
      init: ProcessInit.tini(),
      command: ['java', '-jar', '/app.jar'],
      maxSurge: kplus.PercentOrAbsolute.absolute(2147483647),
      envVariables: { 'a.b-c': '$(HOME)', '_X': '' },
      securityContext: { user: 2147483647, group: 0 },
      registry: Registry.custom({
        name: 'offline-api',
        takeOut: TakeOut.http({ url: 'http://registry:8080/offline?ip={podIp}' }),
        registryPropagation: Duration.seconds(5),
        registryPropagationSource: 'test',
        callTimeout: Duration.days(1),
      }),
    });
    const manifests = Testing.synth(chart);
    const env = manifests.find(m => m.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'GRACEFUL_CALL_TIMEOUT_SECONDS').value).toBe('86400');
  });
});

describe('show() renders a value readably', () => {
  test.each<[unknown, string | undefined, string]>([
    ['a', undefined, '"a"'],
    ['a\n$', undefined, '"a\\n$"'],
    [12, 'requests', '12 requests'],
    [NaN, 'requests', 'NaN requests'],
    [1e308, undefined, '1e+308'],
    [undefined, undefined, 'undefined'],
    [null, undefined, 'null'],
    [{ a: [1] }, undefined, '{"a":[1]}'],
    [[1, 'x'], undefined, '[1,"x"]'],
    [Object.create(null), undefined, '{}'],
    [new Map(), undefined, '<Map>'],
    [() => 1, undefined, '<function>'],
    [10n, undefined, '10n'],
  ])('show(%p, %p) = %s', (value, unit, shown) => {
    expect(show(value, unit)).toBe(shown);
  });

  test('a cycle and a long value', () => {
    const cycle: any = {};
    cycle.self = cycle;
    expect(show(cycle)).toBe('<object>');
    expect(show('x'.repeat(1000))).toHaveLength(300);
  });
});
