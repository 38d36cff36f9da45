/**
 * The preStop hook exactly as synthesized, run for real: for each registry, the construct's ConfigMap
 * script and container env (resolved the way the kubelet resolves it: downward API, Secret keys, `$(VAR)`
 * references) run under dash, bash and busybox sh against a loopback stand-in of the registry, which
 * records what arrives. The synthesized budget must hold: take-out before the wait, the whole hook within
 * `preStopSeconds`, exit 0 — also when the registry refuses, fails or hangs, or the image has no HTTP
 * client. Needs dash, bash, busybox, curl (Debian/Ubuntu: `apt-get install -y busybox curl`).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  ConsulAgent, ConsumerCache, GracefulJavaService, GracefulJavaServiceProps, NacosAuth, Registry, TakeOut,
} from '../../src';
import { kubeletExpand } from '../util/kubelet';
import { which } from './fixtures/harness';
import { closedPort, RegistryServer } from './fixtures/registry-servers';
import { GracefulConfigError } from '../../src/errors';

const SHELLS: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: ['dash'] },
  { name: 'bash', argv: ['bash'] },
  { name: 'busybox sh', argv: ['busybox', 'sh'] },
];
for (const tool of ['dash', 'bash', 'busybox', 'curl']) {
  if (!which(tool)) {
    throw new Error(`${tool} not found: these tests run the synthesized preStop script for real (apt-get install -y busybox curl)`);
  }
}

const POD = { ip: '10.244.1.17', name: 'orders-7f9c4d-x2kqp', hostIP: '127.0.0.1' };
const SECRETS: Record<string, Record<string, string>> = {
  'nacos-auth': { username: 'nacos', password: 'p@ss w"rd$(touch /tmp/never)' },
  'consul-acl': { token: 'b1gs3cr3t-acl-token' },
};
const traffic = { averageLatency: Duration.millis(20), p99Latency: Duration.millis(100), p95Concurrency: 2 };
// Short phases: endpoint propagation 1 s, consumers without a cache, 1 s per call.
const fast = { consumerCache: ConsumerCache.none(), callTimeout: Duration.seconds(1) };

interface Synthesized {
  readonly script: string;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly service: GracefulJavaService;
  readonly yaml: string;
}

/** Synthesizes one service and resolves its hook the way the kubelet would. */
function synthesize(props: Partial<GracefulJavaServiceProps>, chart: Chart = Testing.chart(), id = 'orders'): Synthesized {
  const service = new GracefulJavaService(chart, id, {
    image: 'registry.example.com/orders:1',
    jar: '/app/app.jar',
    traffic,
    endpointPropagation: Duration.seconds(1),
    metadata: { name: 'orders' },
    ...props,
  });
  const manifests = Testing.synth(chart);
  const deployment = manifests.find((m: any) => m.kind === 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const configMap = manifests.find((m: any) => m.kind === 'ConfigMap');
  const command: string[] = container.lifecycle.preStop.exec.command;
  expect(command.slice(0, 2)).toEqual(['/bin/sh', '/etc/graceful/prestop.sh']);
  return {
    script: configMap.data['prestop.sh'],
    argv: command.slice(2),
    env: resolveEnv(container.env ?? []),
    service,
    yaml: JSON.stringify(manifests),
  };
}

/**
 * Kubernetes' env resolution: in order; `$(NAME)` expands names defined earlier, `$$` is a literal `$`
 * (test/util/kubelet.ts, the kubelet's own algorithm).
 */
function resolveEnv(entries: any[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    let value: string;
    if (e.valueFrom?.fieldRef) {
      value = ({ 'status.podIP': POD.ip, 'metadata.name': POD.name, 'status.hostIP': POD.hostIP } as any)[e.valueFrom.fieldRef.fieldPath];
    } else if (e.valueFrom?.secretKeyRef) {
      value = SECRETS[e.valueFrom.secretKeyRef.name][e.valueFrom.secretKeyRef.key];
    } else {
      value = kubeletExpand(String(e.value ?? ''), out);
    }
    out[e.name] = value;
  }
  return out;
}

interface Run { code: number | null; ms: number; log: string; startedAt: number }

/** Runs the synthesized script under a shell with only the resolved env (plus PATH and a log file). */
function runHook(shell: string[], s: Synthesized, pathDirs = process.env.PATH!): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-prestop-'));
  const file = path.join(dir, 'prestop.sh');
  const log = path.join(dir, 'log');
  fs.writeFileSync(file, s.script);
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const child = spawn(shell[0], [...shell.slice(1), file, ...s.argv], {
      cwd: dir,
      env: { ...s.env, PATH: pathDirs, GRACEFUL_LOG_TARGET: log },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', d => stderr += d);
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(guard);
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, ms: Date.now() - startedAt, log: text + stderr, startedAt });
    });
  });
}

/** The hook must end within the budget the construct derived for it (plus process start-up slack). */
function expectWithinBudget(r: Run, s: Synthesized): void {
  expect(r.code).toBe(0);
  expect(r.ms).toBeGreaterThanOrEqual(s.service.budget.propagationSeconds * 1000 - 50);
  expect(r.ms).toBeLessThan(s.service.budget.preStopSeconds * 1000 + 3000); // generous: process start-up on a loaded machine
}

/** The take-out arrived before the wait, so the wait is all spent after it. */
function expectTakeOutBeforeWait(server: RegistryServer, r: Run, s: Synthesized): void {
  const takeOut = server.requests.filter(q => q.endpoint !== 'nacos-login' && q.endpoint !== 'actuator-shutdown');
  expect(takeOut).toHaveLength(1);
  expect(r.startedAt + r.ms - takeOut[0].at).toBeGreaterThanOrEqual(s.service.budget.propagationSeconds * 1000 - 50);
}

describe.each(SHELLS)('synthesized preStop under $name', ({ argv: shell }) => {
  let server: RegistryServer;
  beforeEach(async () => {
    server = await RegistryServer.start({
      nacos: { username: SECRETS['nacos-auth'].username, password: SECRETS['nacos-auth'].password, authEnabled: true },
      consul: { token: SECRETS['consul-acl'].token, serviceIds: [`orders-${POD.name}`] },
    });
  });
  afterEach(() => server.close());

  test('Nacos, in-process: POST {"status":"DOWN"} to the actuator, then the wait', async () => {
    const s = synthesize({ managementPort: server.port, registry: Registry.nacos(fast) });
    const r = await runHook(shell, s);
    expectWithinBudget(r, s);
    expectTakeOutBeforeWait(server, r, s);
    const [q] = server.requestsTo('actuator-serviceregistry');
    expect({ method: q.method, body: JSON.parse(q.body), type: q.headers['content-type'] }).toEqual({ method: 'POST', body: { status: 'DOWN' }, type: 'application/json' });
    expect(server.actuatorStatus).toBe('DOWN');
  }, 30_000);

  test('Nacos open API: login with the Secret\'s credentials, PUT enabled=false for this pod, no credential in the log', async () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Auth', 'nacos-auth');
    const s = synthesize({
      registry: Registry.nacos({
        ...fast,
        openApi: {
          serverAddr: `127.0.0.1:${server.port}`,
          serviceName: 'orders',
          namespace: 'shop-prod',
          group: 'PAY',
          auth: NacosAuth.login({ secret, key: 'username' }, { secret, key: 'password' }),
        },
      }),
    }, chart);
    const r = await runHook(shell, s);
    expectWithinBudget(r, s);
    expectTakeOutBeforeWait(server, r, s);
    const [login] = server.requestsTo('nacos-login');
    expect(login.form).toEqual({ username: 'nacos', password: SECRETS['nacos-auth'].password });
    const [put] = server.requestsTo('nacos-v2-instance');
    expect(put.method).toBe('PUT');
    expect(put.query).toEqual({
      serviceName: 'orders',
      groupName: 'PAY',
      namespaceId: 'shop-prod',
      clusterName: 'DEFAULT',
      ip: POD.ip,
      port: '8080',
      ephemeral: 'true',
      enabled: 'false',
      accessToken: server.issuedTokens[0],
    });
    expect(r.log).not.toContain(SECRETS['nacos-auth'].password);
    expect(r.log).not.toContain(server.issuedTokens[0]);
    expect(fs.existsSync('/tmp/never')).toBe(false);
  }, 30_000);

  test('Consul agent maintenance on the node-local agent, with the ACL token in X-Consul-Token', async () => {
    const chart = Testing.chart();
    const token = { secret: kplus.Secret.fromSecretName(chart, 'Acl', 'consul-acl'), key: 'token' };
    const s = synthesize({
      registry: Registry.consul({ ...fast, agentMaintenance: { serviceName: 'orders', agent: ConsulAgent.nodeLocal(server.port), token } }),
    }, chart);
    const r = await runHook(shell, s);
    expectWithinBudget(r, s);
    expectTakeOutBeforeWait(server, r, s);
    const [q] = server.requestsTo('consul-maintenance');
    expect(q.method).toBe('PUT');
    expect(q.path).toBe(`/v1/agent/service/maintenance/orders-${POD.name}`);
    expect(q.query.enable).toBe('true');
    expect(q.headers['x-consul-token']).toBe(SECRETS['consul-acl'].token);
    expect(server.consulMaintenance.has(`orders-${POD.name}`)).toBe(true);
    // The application registers on the same agent with the same id.
    expect(s.env.SPRING_CLOUD_CONSUL_DISCOVERY_INSTANCEID).toBe(`orders-${POD.name}`);
    expect(s.env.SPRING_CLOUD_CONSUL_HOST).toBe(POD.hostIP);
  }, 30_000);

  test('Eureka REST status override for the pod-name instance id, then the shutdown trigger after the wait', async () => {
    const s = synthesize({
      managementPort: server.port,
      shutdownTrigger: true,
      registry: Registry.eureka({
        ...fast,
        serverResponseCacheUpdateInterval: Duration.seconds(0),
        clientRegistryFetchInterval: Duration.seconds(0),
        restStatus: { serverUrl: `${server.baseUrl}/eureka`, appName: 'orders' },
      }),
    });
    const r = await runHook(shell, s);
    expectWithinBudget(r, s);
    const [q] = server.requestsTo('eureka-status');
    expect(`${q.method} ${q.path}?${q.rawQuery}`).toBe(`PUT /eureka/apps/ORDERS/${POD.name}/status?value=OUT_OF_SERVICE`);
    expect(s.env.EUREKA_INSTANCE_INSTANCEID).toBe(POD.name);
    const [shutdown] = server.requestsTo('actuator-shutdown');
    expect(shutdown.method).toBe('POST');
    expect(shutdown.at - q.at).toBeGreaterThanOrEqual(s.service.budget.propagationSeconds * 1000 - 50);
  }, 30_000);

  test('a custom take-out command runs as arguments, bounded', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'custom-')), 'offline');
    const s = synthesize({
      registry: Registry.custom({ ...fast, name: 'agent', takeOut: TakeOut.command(['touch', marker]), registryPropagation: Duration.seconds(1), registryPropagationSource: 'test' }),
    });
    const r = await runHook(shell, s);
    expectWithinBudget(r, s);
    expect(fs.existsSync(marker)).toBe(true);
  }, 30_000);

  describe('faults: the hook still waits and exits 0 within its budget', () => {
    const openApi = (serverAddr: string) => synthesize({ registry: Registry.nacos({ ...fast, openApi: { serverAddr, serviceName: 'orders' } }) });

    test('connection refused', async () => {
      const s = openApi(`127.0.0.1:${await closedPort()}`);
      const r = await runHook(shell, s);
      expectWithinBudget(r, s);
      expect(r.log).toMatch(/take-out: failed: .*refused.*may still be registered/);
    }, 30_000);

    test('the registry answers 503', async () => {
      server.setFault('error');
      const s = openApi(`127.0.0.1:${server.port}`);
      const r = await runHook(shell, s);
      expectWithinBudget(r, s);
      expect(r.log).toMatch(/take-out: failed: HTTP 503/);
    }, 30_000);

    test('the registry hangs past the call timeout', async () => {
      server.setFault('hang');
      const s = openApi(`127.0.0.1:${server.port}`);
      const r = await runHook(shell, s);
      expectWithinBudget(r, s);
      expect(r.log).toMatch(/take-out: failed: no answer within 1 s/);
    }, 30_000);

    test('no HTTP client in the image', async () => {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'noclient-'));
      for (const tool of ['sleep', 'date', 'od', 'tr', 'sed', 'wc', 'timeout', 'cat']) {
        fs.symlinkSync(which(tool)!, path.join(bin, tool));
      }
      if (shell[0] !== 'busybox') fs.symlinkSync(which(shell[0])!, path.join(bin, shell[0]));
      const s = openApi(`127.0.0.1:${server.port}`);
      const r = await runHook(shell[0] === 'busybox' ? [which('busybox')!, 'sh'] : [which(shell[0])!], s, bin);
      expectWithinBudget(r, s);
      expect(r.log).toMatch(/could not take the instance out: no HTTP client/);
      expect(server.requests).toHaveLength(0);
    }, 30_000);
  });
});

describe('user values never become shell code', () => {
  const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-'));
  const canary = path.join(canaryDir, 'pwned');
  const hostile = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(`$(touch ${canary})`, `\`touch ${canary}\``, `;touch ${canary}`, `'$(touch ${canary})'`, `"; touch ${canary}; "`,
      `a\ntouch ${canary}`, '%24(id)', '$$(id)', 'ünïcødé-名前'),
  );

  // Mostly plausible registry names (which synthesize), some anything at all.
  const name = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,30}$/) }, { weight: 1, arbitrary: hostile });

  test('names, namespaces, groups: refused at synth with a clear error, or synthesized into a hook that never runs them', async () => {
    const server = await RegistryServer.start();
    try {
      let ran = 0;
      await fc.assert(fc.asyncProperty(name, name, name, async (serviceName, namespace, group) => {
        let s: Synthesized;
        try {
          s = synthesize({ registry: Registry.nacos({ ...fast, openApi: { serverAddr: `127.0.0.1:${server.port}`, serviceName, namespace, group } }) });
        } catch (e) {
          expect(e).toBeInstanceOf(GracefulConfigError);
          expect((e as Error).message).toMatch(/\[test\/orders\] 'registry\.openApi\.(serviceName|namespace|group)' \(.*\) .* Fix: /s);
          return;
        }
        const r = await runHook(['dash'], s);
        ran++;
        expect(r.code).toBe(0);
        expect(fs.existsSync(canary)).toBe(false);
        const [put] = server.requestsTo('nacos-v2-instance').slice(-1);
        expect(put.query).toMatchObject({ serviceName, namespaceId: namespace, groupName: group });
      }), { numRuns: 16 });
      expect(ran).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 120_000);

  test('take-out bodies, command arguments and Secret values (tokens, passwords) reach the registry as data', async () => {
    const server = await RegistryServer.start();
    try {
      await fc.assert(fc.asyncProperty(hostile, hostile, hostile, async (body, arg, secretValue) => {
        const chart = Testing.chart();
        const token = { secret: kplus.Secret.fromSecretName(chart, 'Tok', 'custom-token'), key: 'token' };
        // A marker in front of the generated value makes the "never in the YAML" check exact (a short or
        // all-blank generated value could match the YAML's own text by chance).
        SECRETS['custom-token'] = { token: `SECRET-CANARY-${secretValue}` };
        let s: Synthesized;
        try {
          s = synthesize({
            registry: Registry.custom({
              ...fast,
              name: 'custom',
              registryPropagation: Duration.seconds(0),
              registryPropagationSource: 'test',
              takeOut: TakeOut.http({ url: `${server.baseUrl}/actuator/serviceregistry`, body, token, tokenHeader: 'X-Token' }),
            }),
          }, chart);
        } catch (e) {
          expect(e).toBeInstanceOf(GracefulConfigError);
          return;
        }
        // The Secret's value exists only at run time: it can appear in no synthesized object.
        expect(s.yaml.includes('SECRET-CANARY-')).toBe(false);
        const r = await runHook(['dash'], s);
        expect({ code: r.code, canary: fs.existsSync(canary), log: r.log }).toEqual({ code: 0, canary: false, log: expect.any(String) });
        const withArg = synthesize({
          registry: Registry.custom({ ...fast, name: 'cmd', registryPropagation: Duration.seconds(0), registryPropagationSource: 'test', takeOut: TakeOut.command(['printf', '%s', arg || 'x']) }),
        });
        const r2 = await runHook(['busybox', 'sh'], withArg);
        expect({ code: r2.code, canary: fs.existsSync(canary), log: r2.log }).toEqual({ code: 0, canary: false, log: expect.any(String) });
      }), { numRuns: 10 });
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe('values the library writes reach the hook literally (the kubelet expands only the library\'s own references)', () => {
  let server: RegistryServer;
  beforeEach(async () => {
    server = await RegistryServer.start({
      nacos: { username: SECRETS['nacos-auth'].username, password: SECRETS['nacos-auth'].password, authEnabled: true },
    });
  });
  afterEach(() => server.close());

  test('a construct id naming a Secret-backed variable is the hook\'s name, never the Secret\'s value', async () => {
    const id = '$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)';
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Auth', 'nacos-auth');
    const s = synthesize({
      metadata: undefined,
      registry: Registry.nacos({
        ...fast,
        openApi: { serverAddr: `127.0.0.1:${server.port}`, serviceName: 'orders', auth: NacosAuth.login({ secret, key: 'username' }, { secret, key: 'password' }) },
      }),
    }, chart, id);
    // The password is defined before GRACEFUL_NAME: an unescaped id would expand to it.
    const names = Object.keys(s.env);
    expect(names.indexOf('SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD')).toBeLessThan(names.indexOf('GRACEFUL_NAME'));
    expect(s.env.GRACEFUL_NAME).toBe(id);
    expect(s.env.SPRING_CLOUD_NACOS_DISCOVERY_IP).toBe(POD.ip); // the library's own reference still expands
    const r = await runHook(['dash'], s);
    expect(r.code).toBe(0);
    expect(r.log).not.toContain('p@ss');
    expect(r.log).not.toContain('touch /tmp/never');
  }, 30_000);

  test('a metadata.name with a reference is refused at synth', () => {
    expect(() => synthesize({ metadata: { name: '$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)' }, registry: Registry.nacos(fast) }))
      .toThrow(/'metadata\.name' \("\$\(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD\)"\) .* Fix: /);
  });

  test.each(['$$5', '$(X)', '$(GRACEFUL_POD_IP)', '$(SPRING_CLOUD_NACOS_DISCOVERY_IP) $$$(GRACEFUL_NAME) $', '{"price":"$$5","ref":"$(HOME)"}'])(
    'a take-out body %s arrives as given', async (body) => {
      const s = synthesize({
        registry: Registry.custom({
          ...fast,
          name: 'custom',
          registryPropagation: Duration.seconds(0),
          registryPropagationSource: 'test',
          takeOut: TakeOut.http({ url: `${server.baseUrl}/actuator/serviceregistry?pod={podIp}`, body, contentType: 'text/plain' }),
        }),
      });
      expect(s.env.GRACEFUL_TAKEOUT_BODY).toBe(body);
      expect(s.env.GRACEFUL_TAKEOUT_URL).toBe(`${server.baseUrl}/actuator/serviceregistry?pod=${POD.ip}`);
      const r = await runHook(['dash'], s);
      expect(r.code).toBe(0);
      const recorded = server.requests.filter(q => q.body !== '');
      expect(recorded.map(q => q.body)).toEqual([body]);
    }, 30_000);
});
