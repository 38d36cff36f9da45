import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { GracefulJavaService, Registry, Rules, TakeOut } from '../../src';
import { REGISTRY_MODULES, registryModule } from '../../src/registry/all';
import { FACT_SOURCES, FactName, RegistryFacts } from '../../src/registry/facts';
import { recognise } from '../../src/registry/module';
import { appContainers, infraKind, isInfraImage, isTakeout, preStopOf, propagationOf, registryOf } from '../../src/rules/model';
import { model } from '../../src/rules/model/workload';
import { RuleContext } from '../../src/rules/rule';
import { deployment, javaContainer, preStop } from '../rules/util';

/** The audit's reading of one container: its workload and container. */
function read(container: any, template: any = {}) {
  const ctx = new RuleContext({ documents: [{ object: deployment('a', [container], { template }) }] });
  const w = model(ctx).workloads[0];
  const c = w.containers[0];
  const p = preStopOf(c);
  return { w, c, registry: registryOf(w, c, p?.fullText), ctx };
}

const env = (vars: { [k: string]: string }) => Object.entries(vars).map(([name, value]) => ({ name, value }));
const sh = (script: string) => ({ lifecycle: preStop('sh', '-c', script) });

describe('the list of registry modules', () => {
  test('ids are unique kebab-case, labels are unique', () => {
    const ids = REGISTRY_MODULES.map(m => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(REGISTRY_MODULES.map(m => m.label)).size).toBe(ids.length);
  });

  test('every module has its numbers with a source, or says why it has none', () => {
    for (const m of REGISTRY_MODULES) {
      if (m.facts.length === 0) {
        expect({ id: m.id, why: (m.noFacts ?? '').length > 20 }).toEqual({ id: m.id, why: true });
      }
      for (const f of m.facts) {
        expect({ id: m.id, f: f.name, source: f.source }).toEqual({ id: m.id, f: f.name, source: expect.stringMatching(/^https:\/\//) });
        expect(f.seconds).toBeGreaterThan(0);
        expect(f.setting.length).toBeGreaterThan(5);
      }
    }
  });

  test('every RegistryFacts member has a setting and the same source as its @see', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'registry', 'facts.ts'), 'utf-8');
    const members = Object.keys(RegistryFacts) as FactName[];
    expect(Object.keys(FACT_SOURCES).sort()).toEqual([...members].sort());
    for (const name of members) {
      const before = text.slice(0, text.indexOf(`public static readonly ${name} =`));
      const sees = [...before.matchAll(/@see (\S+)/g)];
      expect({ name, see: sees[sees.length - 1]?.[1] }).toEqual({ name, see: FACT_SOURCES[name].source });
    }
  });

  test('every module is used by the construct path: its factory dispatches to it, or another module\'s does', () => {
    for (const m of REGISTRY_MODULES) {
      if (m.construct === undefined) {
        expect({ id: m.id, via: registryModule(m.constructVia ?? '')?.construct?.factory }).toEqual({ id: m.id, via: expect.stringMatching(/^Registry\./) });
        continue;
      }
      const bind = jest.spyOn(m.construct, 'bind');
      const factory = m.construct.factory.replace(/^Registry\.|\(\)$/g, '');
      const props = m.construct.docRows.find(r => r.declared) ? declared(m.id) : undefined;
      const chart = Testing.chart();
      new GracefulJavaService(chart, 'svc', { ...BASE, registry: (Registry as any)[factory](props) });
      Testing.synth(chart);
      expect({ id: m.id, called: bind.mock.calls.length > 0 }).toEqual({ id: m.id, called: true });
      bind.mockRestore();
    }
  });

  test('every module is used by the audit path: the model asks each one, or it says why it has nothing to recognise', () => {
    const spied = REGISTRY_MODULES.filter(m => m.audit.recognition || m.audit.takeOut);
    expect(spied.map(m => m.id).sort()).toEqual(REGISTRY_MODULES.filter(m => !m.noAudit).map(m => m.id).sort());
    for (const m of REGISTRY_MODULES.filter(x => x.noAudit)) expect(m.noAudit!.length).toBeGreaterThan(20);
    // the take-out shapes are all asked for a call no module knows
    const calls = REGISTRY_MODULES.flatMap(m => m.audit.takeOut?.calls ?? []).map(r => jest.spyOn(r, 'test'));
    read(javaContainer(sh('curl -m 3 http://localhost/nothing; sleep 5')));
    for (const c of calls) expect(c).toHaveBeenCalled();
    calls.forEach(c => c.mockRestore());
  });
});

const BASE = {
  image: 'example/app:1',
  jar: '/app.jar',
  traffic: { averageLatency: Duration.millis(50), p99Latency: Duration.millis(500), p95Concurrency: 10, workerThreads: 200 },
};

function declared(id: string): any {
  const base = { name: 'zk', registryPropagation: Duration.seconds(5), registryPropagationSource: 'measured' };
  return id === 'custom' ? { ...base, takeOut: TakeOut.http({ url: 'http://127.0.0.1:54199/offline' }) } : base;
}

/** The audit-side table of one module. */
interface ModuleCase {
  readonly id: string;
  /** Container env it recognises, with the evidence text. */
  readonly recognised: [any[], string][];
  /** Container env it must not recognise (config-only settings, the disabled switch). */
  readonly ignored: any[][];
  /** Metadata-only env: recognised only with the registry's name in the Spring profiles or image. */
  readonly weak?: any[];
  /** A preStop script that calls the registry's API. */
  readonly preStop?: string;
  /** Container env → seconds of propagation the audit derives. */
  readonly propagation: [any[], number][];
  readonly takeOuts: string[];
  readonly notTakeOuts: string[];
}

// One table per module: which small manifests it recognises, the propagation from the settings they show,
// and its take-out calls.
describe.each([
  {
    id: 'nacos',
    recognised: [
      [env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }), 'env SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR'],
      [env({ 'spring.cloud.nacos.server-addr': 'nacos:8848' }), 'env spring.cloud.nacos.server-addr'],
    ],
    ignored: [
      env({ SPRING_CLOUD_NACOS_CONFIG_SERVER_ADDR: 'nacos:8848' }),
      env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_NACOS_DISCOVERY_ENABLED: 'false' }),
    ],
    weak: env({ SPRING_CLOUD_NACOS_DISCOVERY_METADATA_ZONE: 'a' }),
    preStop: 'curl -m 3 -X PUT "http://nacos:8848/nacos/v2/ns/instance?serviceName=a&ip=$POD_IP&port=8080&enabled=false"; sleep 40',
    propagation: [[env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }), 41.5],
      [env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848', SPRING_CLOUD_LOADBALANCER_NACOS_ENABLED: 'true' }), 6.5]],
    takeOuts: ['http://nacos:8848/nacos/v1/ns/instance?enabled=false'],
    notTakeOuts: ['http://nacos:8848/nacos/v1/auth/login?enabled=false'],
  },
  {
    id: 'consul',
    recognised: [
      [env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }), 'env SPRING_CLOUD_CONSUL_HOST'],
      [env({ 'spring.cloud.consul.discovery.instance-id': 'x' }), 'env spring.cloud.consul.discovery.instance-id'],
    ],
    ignored: [
      env({ SPRING_CLOUD_CONSUL_CONFIG_ENABLED: 'true' }),
      env({ SPRING_CLOUD_CONSUL_HOST: 'consul', SPRING_CLOUD_CONSUL_DISCOVERY_ENABLED: 'false' }),
    ],
    weak: env({ SPRING_CLOUD_CONSUL_DISCOVERY_TAGS: 'a' }),
    preStop: 'curl -m 3 -X PUT http://localhost:8500/v1/agent/service/maintenance/a?enable=true; sleep 40',
    propagation: [[env({ SPRING_CLOUD_CONSUL_HOST: 'consul' }), 38], [env({ SPRING_CLOUD_CONSUL_HOST: 'consul', SPRING_CLOUD_LOADBALANCER_CACHE_TTL: '5s' }), 8]],
    takeOuts: ['http://localhost:8500/v1/agent/service/maintenance/a?enable=true'],
    notTakeOuts: [],
  },
  {
    id: 'eureka',
    recognised: [
      [env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }), 'env EUREKA_CLIENT_SERVICEURL_DEFAULTZONE'],
      [env({ EUREKA_INSTANCE_PREFER_IP_ADDRESS: 'true' }), 'env EUREKA_INSTANCE_PREFER_IP_ADDRESS'],
    ],
    ignored: [
      env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/', EUREKA_CLIENT_ENABLED: 'false' }),
    ],
    weak: env({ 'eureka.instance.metadata-map.zone': 'a' }),
    preStop: 'curl -m 3 -X PUT http://eureka:8761/eureka/apps/A/$HOSTNAME/status?value=OUT_OF_SERVICE; sleep 40',
    propagation: [
      [env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }), 95],
      [env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/', EUREKA_CLIENT_REGISTRYFETCHINTERVALSECONDS: '5' }), 70],
      [env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/', RIBBON_SERVER_LIST_REFRESH_INTERVAL: '1000' }), 90],
    ],
    takeOuts: ['http://eureka:8761/eureka/apps/A/a-1/status?value=OUT_OF_SERVICE'],
    notTakeOuts: [],
  },
] as ModuleCase[])('module $id', ({ id, recognised, ignored, weak, preStop: hook, propagation, takeOuts, notTakeOuts }) => {
  test.each(recognised.map(([e, why]) => [why, e]))('recognises %s', (why, e) => {
    const r = read(javaContainer({ env: e })).registry;
    expect([r?.name, r?.evidence]).toEqual([id, why]);
  });

  test.each(ignored.map(e => [JSON.stringify(e), e]))('does not recognise %s', (_t, e) => {
    expect(read(javaContainer({ env: e })).registry).toBeUndefined();
  });

  if (hook !== undefined) {
    test('recognises its API in a preStop hook', () => {
      expect(read(javaContainer(sh(hook))).registry?.name).toBe(id);
    });
  }

  if (weak !== undefined) {
    test('a metadata-only key counts only with the registry\'s name in the Spring profiles', () => {
      expect(read(javaContainer({ env: weak })).registry).toBeUndefined();
      const r = read(javaContainer({ env: [...weak, { name: 'SPRING_PROFILES_ACTIVE', value: `prod,${id}` }] })).registry;
      expect(r?.name).toBe(id);
      expect(r?.evidence).toMatch(new RegExp(`with '${id}' in its Spring profiles or image$`));
    });
  }

  test.each(propagation.map(([e, s]) => [s, e]))('propagation %d s from the settings shown', (seconds, e) => {
    const { w, c, registry } = read(javaContainer({ env: e }));
    expect(propagationOf(registry!, c, w)?.seconds).toBe(seconds);
  });

  test('take-out calls', () => {
    for (const t of takeOuts) expect({ t, takeOut: isTakeout(t) }).toEqual({ t, takeOut: true });
    for (const t of notTakeOuts) expect({ t, takeOut: isTakeout(t) }).toEqual({ t, takeOut: false });
  });
});

describe('module mse', () => {
  const mse = { annotations: { msePilotAutoEnable: 'on' } };
  test('recognised by its agent annotation; yields to a registry client next to it', () => {
    expect(read(javaContainer(), mse).registry?.name).toBe('mse');
    expect(read(javaContainer({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848' }) }), mse).registry?.name).toBe('nacos');
  });
  test('no published numbers: no propagation; its agent takes out', () => {
    const { w, c, registry } = read(javaContainer(), mse);
    expect(propagationOf(registry!, c, w)).toBeUndefined();
    expect(registry!.module.audit.agentTakesOut).toBe(true);
    expect(isTakeout('http://127.0.0.1:54199/offline')).toBe(true);
  });
});

describe('modules without recognition of their own', () => {
  test('spring-cloud: the actuator take-out; custom: a deregistration', () => {
    expect(isTakeout('http://localhost:8081/actuator/serviceregistry')).toBe(true);
    expect(isTakeout('http://registry/api/deregister?id=a')).toBe(true);
    expect(isTakeout('http://localhost:8081/actuator/health')).toBe(false);
  });
  test('recognise() of a module without recognition finds nothing', () => {
    const k = registryModule('kubernetes-service')!;
    const none = { props: { get: () => undefined, withPrefix: () => [], keys: () => [] } };
    expect(recognise(k, none)).toEqual({ strong: [], weak: [], disabled: false });
  });
});

describe('registries\' servers and clients', () => {
  test.each([
    ['nacos/nacos-server:v2.3.0', true],
    ['registry.example.com/nacos:2.3', true],
    ['hashicorp/consul:1.17', true],
    ['example/consul-client-app:1', false],
    ['example/orders:1', false],
    ['jhipster/jhipster-registry:v7.4.0', true],
    ['acme/eureka-server:1.0', true],
    ['acme/eurekaserver:1.0', true],
    ['acme/orders-eureka-client:1.0', false],
  ])('%s is a registry server: %s', (image, infra) => {
    expect(isInfraImage(image)).toBe(infra);
  });

  test.each([
    ['jaegertracing/all-in-one:1.57', 'a monitoring or logging server'],
    ['jaegertracing/jaeger-collector:1.57', 'a monitoring or logging server'],
    ['prom/mysqld-exporter:v0.15.1', 'a monitoring or logging server'],
    ['oliver006/redis_exporter:v1.58.0', 'a monitoring or logging server'],
    ['apache/skywalking-oap-server:9.7.0', 'a monitoring or logging server'],
    ['weaveworksdemos/catalogue-db:0.3.0', 'a database'],
    ['gcr.io/bank-of-anthos-ci/ledger-db:v0.6.4', 'a database'],
    ['apache/rocketmq-server:4.5.0', 'a message broker'],
    ['confluentinc/cp-kafka:7.6.0', 'a message broker'],
    ['seataio/seata-server:1.8.0', 'a distributed transaction coordinator'],
    // an application whose name only contains such a word is not infrastructure
    ['acme/db-orders:1.0', undefined],
    ['acme/exporter-service:1.0', undefined],
    ['acme/orders-db-client:1.0', undefined],
  ])('%s is infrastructure: %s', (image, what) => {
    expect(infraKind(image)).toBe(what);
  });

  test('a Eureka client setting makes a Spring application', () => {
    const app = { name: 'app', image: 'example/orders:1', ports: [{ containerPort: 8080 }], env: env({ EUREKA_SERVER_ENABLE_SELF_PRESERVATION: 'false' }) };
    const { ctx } = read(app);
    expect(appContainers(ctx)[0].jvm).toBe('env EUREKA_SERVER_ENABLE_SELF_PRESERVATION');
  });
});

describe('the audit has no registry knowledge of its own', () => {
  const RULES = path.join(__dirname, '..', '..', 'src', 'rules');
  /** Names of the registries the audit recognises, and the consumer caches' (case-insensitive). */
  const names = [...REGISTRY_MODULES.filter(m => m.audit.recognition).flatMap(m => [m.id, m.label]), 'ribbon', 'loadbalancer'];
  const named = new RegExp(names.map(n => `\\b${n.replace(/[^A-Za-z0-9]/g, '.')}`).join('|'), 'i');

  /** The literals (strings, templates, regular expressions) of a file, outside rule constructors (title, description, examples). */
  function literals(file: string): string[] {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, true);
    const out: string[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isConstructorDeclaration(n)) return;
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)
        || ts.isRegularExpressionLiteral(n)) {
        out.push(n.getText(sf));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
  }

  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  test.each(files(RULES).map(f => [path.relative(RULES, f), f]))('src/rules/%s', (_rel, file) => {
    // imports name modules by path (e.g. '../registry/consumer-cache'): not knowledge
    const found = literals(file).filter(l => named.test(l) && !/^'\.\.?\//.test(l));
    expect(found).toEqual([]);
  });
});

test('no construct binding reports a finding that a rule reports too', () => {
  const variants: [string, any][] = [['nacos', { ephemeral: false }], ['consul', undefined]];
  for (const m of REGISTRY_MODULES) for (const r of m.construct?.docRows ?? []) if (!r.declared) variants.push([m.id, r.props]);
  for (const [id, props] of variants) {
    const b = registryModule(id)!.construct!.bind(props, { appPort: 8080, actuatorPort: 8081 });
    for (const f of b.findings) expect({ id, finding: f.id, rule: Rules.byId(f.id)?.id }).toEqual({ id, finding: f.id, rule: undefined });
  }
});
