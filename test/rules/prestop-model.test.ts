import { deployment, javaContainer, preStop } from './util';
import { PreStop, preStopOf } from '../../src/rules/model/prestop';
import { model } from '../../src/rules/model/workload';
import { RuleContext } from '../../src/rules/rule';

function read(lifecycle: any, env: { [k: string]: string } = {}): PreStop | undefined {
  const c = javaContainer({ lifecycle, env: Object.entries(env).map(([name, value]) => ({ name, value })) });
  const ctx = new RuleContext({ documents: [{ object: deployment('a', [c]) }] });
  return preStopOf(model(ctx).workloads[0].containers[0]);
}

const sh = (script: string, env?: { [k: string]: string }) => read(preStop('sh', '-c', script), env)!;

describe('waits', () => {
  test.each([
    ['sleep 30', 30, true],
    ['sleep 30s', 30, true],
    ['sleep 1m', 60, true],
    ['sleep 0.5', 0.5, true],
    ['sleep 1m 30s', 90, true],
    ['sleep 10; sleep 5', 15, true],
    ['curl -m 2 x && sleep 20', 20, true],
    ['curl -m 2 x || sleep 20', 0, false],
    ['sleep 20 &', 0, false],
    ['if true; then sleep 20; fi; sleep 5', 5, false],
    ['while true; do sleep 1; done', 0, false],
    ['sleep $W', 0, false],
    ['sleep ${W:-25}', 25, true],
    ['(sleep 7)', 7, true],
    ['exec sleep 9', 9, true],
    ['busybox sleep 4', 4, true],
  ])('%s → %d s (exact: %s)', (script, wait, exact) => {
    const p = sh(script);
    expect([p.wait, p.waitExact]).toEqual([wait, exact]);
  });

  test('variables resolve from literal env', () => {
    expect(sh('sleep $WAIT', { WAIT: '12' }).wait).toBe(12);
    expect(sh('sleep "${WAIT}s"', { WAIT: '12' }).wait).toBe(12);
  });

  test('exec form, native sleep, httpGet, script files', () => {
    expect(read(preStop('sleep', '15'))!.wait).toBe(15);
    expect(read({ preStop: { sleep: { seconds: 8 } } })).toMatchObject({ kind: 'sleep', wait: 8, waitExact: true, detailPath: expect.stringMatching(/sleep\.seconds$/) });
    expect(read({ preStop: { httpGet: { path: '/offline', port: 54199 } } })).toMatchObject({ kind: 'httpGet', opaque: expect.stringContaining(':54199/offline') });
    expect(read(preStop('/bin/bash', '-c', '/app/preStop.sh'))!.opaque).toMatch(/\/app\/preStop\.sh/);
    expect(read(preStop('/app/preStop.sh'))!.opaque).toMatch(/\/app\/preStop\.sh/);
    expect(read(preStop('sh', '/app/x.sh'))!.opaque).toMatch(/script file/);
    expect(read(undefined)).toBeUndefined();
  });
});

describe('calls', () => {
  test('take-outs, bounds and the wait after the last take-out', () => {
    const p = sh('curl -sS -m 3 -X POST http://127.0.0.1:8080/actuator/serviceregistry?status=DOWN; sleep 30; timeout 5 wget -q -O- localhost:8080/actuator/shutdown');
    expect(p.calls.map(c => [c.tool, c.url, c.takeout, c.bound])).toEqual([
      ['curl', 'http://127.0.0.1:8080/actuator/serviceregistry?status=DOWN', true, 3],
      ['wget', 'localhost:8080/actuator/shutdown', false, 5],
    ]);
    expect([p.waitAfterTakeout, p.callBound]).toEqual([30, 8]);
  });

  test.each([
    ['curl -X PUT "http://nacos:8848/nacos/v1/ns/instance?serviceName=a&enabled=false"', true],
    ['curl -X PUT http://consul:8500/v1/agent/service/maintenance/a?enable=true', true],
    ['curl -X DELETE http://eureka:8761/eureka/apps/A/i', true],
    ['curl -X DELETE http://eureka:8761/eureka/apps/A', false],
    ['curl -X PUT http://eureka:8761/eureka/apps/A/i/status?value=OUT_OF_SERVICE', true],
    ['wget http://127.0.0.1:54199/offline', true],
    ['curl -X PUT localhost:28080/offline', true],
    ['curl -d "username=n&password=p" http://nacos:8848/nacos/v1/auth/login', false],
    ['curl localhost:8080/actuator/health', false],
    ['curl -X POST localhost:8080/nacos/graceful/deregister/instance', true],
  ])('%s → take-out %s', (script, takeout) => {
    expect(sh(script).calls[0].takeout).toBe(takeout);
  });

  test('the $0 trap', () => {
    expect(read(preStop('sh', '-c', 'curl -m 3 x', 'sleep 60'))!.ignoredArgs).toEqual({
      args: ['sleep 60'], path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command[3]',
    });
    expect(read(preStop('sh', '-c', 'exec "$@"', 'sh', 'sleep', '5'))!.ignoredArgs).toBeUndefined();
  });
});

describe('the library\'s script', () => {
  const script = (env: { [k: string]: string }, ...extra: string[]) => read(preStop('/bin/sh', '/etc/graceful/prestop.sh', ...extra), env)!;

  test('wait, take-out, bounded calls from the environment', () => {
    const p = script({
      GRACEFUL_WAIT_SECONDS: '36',
      GRACEFUL_CALL_TIMEOUT_SECONDS: '2',
      GRACEFUL_TAKEOUT_URL: 'http://nacos:8848/nacos/v1/ns/instance?enabled=false',
      GRACEFUL_LOGIN_URL: 'http://nacos:8848/nacos/v1/auth/login',
      GRACEFUL_AFTER_URL: 'http://127.0.0.1:8081/actuator/shutdown',
    });
    expect(p).toMatchObject({ kind: 'graceful', wait: 36, waitExact: true, waitAfterTakeout: 36, callBound: 6 });
    expect(p.calls.map(c => [c.takeout, c.bound])).toEqual([[false, 2], [true, 2], [false, 2]]);
  });

  test('a custom take-out command replaces the URL and the login; the default bound is 3 s', () => {
    const p = script({ GRACEFUL_WAIT_SECONDS: '10', GRACEFUL_LOGIN_URL: 'http://x/login' }, 'curl', '-X', 'PUT', 'http://c/v1/agent/service/maintenance/a');
    expect(p.calls.map(c => [c.tool, c.takeout, c.bound])).toEqual([['command', true, 3]]);
  });

  test('no take-out: waits only; no wait variable: does nothing', () => {
    expect(script({ GRACEFUL_WAIT_SECONDS: '10' })).toMatchObject({ wait: 10, takeouts: [], waitAfterTakeout: undefined });
    expect(script({}).opaque).toMatch(/not set/);
    expect(script({ GRACEFUL_WAIT_SECONDS: 'ten' }).opaque).toMatch(/not a whole number/);
  });
});
