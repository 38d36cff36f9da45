import { Duration, Testing } from 'cdk8s';
import { GracefulJavaService, GracefulJavaServiceProps, Registry } from '../../src';
import { ManagedVariable, mergeEnv, sameSpringProperty, springEnvName, springLegacyEnvName } from '../../src/spring/env';
import { appContainer, byKind, synthValid } from '../util/k8s';

const traffic = { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 };
const base: GracefulJavaServiceProps = { image: 'registry.example.com/orders:1.0.0', jar: '/app/app.jar', traffic, metadata: { name: 'orders' } };

function make(props: Partial<GracefulJavaServiceProps> = {}) {
  const chart = Testing.chart();
  const svc = new GracefulJavaService(chart, 'orders', { ...base, ...props });
  const manifests = synthValid(chart);
  return { svc, manifests, container: appContainer(manifests) };
}

function names(container: any): string[] {
  return (container.env ?? []).map((e: any) => e.name);
}

function env(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('sameSpringProperty: the spellings Spring Boot binds to one property', () => {
  test.each([
    ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', true],
    ['SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE', true], // the legacy form: each dash an underscore
    ['spring.lifecycle.timeout-per-shutdown-phase', true],
    ['Spring_Lifecycle_Timeout-Per-Shutdown-Phase', true],
    ['spring.lifecycle.timeoutPerShutdownPhase', true],
    ['SPRING_LIFECYCLETIMEOUTPERSHUTDOWNPHASE', false], // an element boundary is missing
    ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWN', false],
    ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE_X', false],
  ])('%s is SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: %s', (given, same) => {
    expect(sameSpringProperty(given, 'SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE')).toBe(same);
  });

  test('the two names Spring Boot reads for a property, both the same property', () => {
    const property = 'spring.lifecycle.timeout-per-shutdown-phase';
    expect(springEnvName(property)).toBe('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE');
    expect(springLegacyEnvName(property)).toBe('SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE');
    expect(sameSpringProperty(springLegacyEnvName(property), springEnvName(property))).toBe(true);
  });

  test('server.shutdown and its spellings, not SERVERSHUTDOWN', () => {
    for (const s of ['SERVER_SHUTDOWN', 'server.shutdown', 'Server_Shutdown', 'server-shutdown']) {
      expect(sameSpringProperty(s, 'SERVER_SHUTDOWN')).toBe(true);
    }
    expect(sameSpringProperty('SERVERSHUTDOWN', 'SERVER_SHUTDOWN')).toBe(false);
    expect(sameSpringProperty('SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR', 'SPRING_CLOUD_NACOS_DISCOVERY_SERVERADDR')).toBe(true);
  });
});

describe('mergeEnv', () => {
  const owned: ManagedVariable = { name: 'SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', value: '35s', owner: 'traffic' };
  const fixed: ManagedVariable = { name: 'SERVER_SHUTDOWN', value: 'graceful', fixed: { why: 'drains in-flight requests', fix: 'remove it' } };
  const list: ManagedVariable = { name: 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE', value: 'health,serviceregistry', mustInclude: { items: ['health', 'serviceregistry'], why: 'x' } };
  const dflt: ManagedVariable = { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75.0' };

  test('another spelling of an owned property is an error naming both spellings and the prop', () => {
    expect(() => mergeEnv([owned], { SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: '20s' })).toThrow(
      /'envVariables.SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE' \("20s"\) sets SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE in another spelling \(Spring binds SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE and SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE to the same property\), which this construct derives \(SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE=35s\) from 'traffic'\. Fix: remove SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE from envVariables and set 'traffic' instead/);
  });

  test('the value the construct sets anyway is accepted and emitted once, in the library\'s spelling', () => {
    expect(mergeEnv([fixed, owned], { 'server.shutdown': 'Graceful', 'SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE': '35s', 'A': 'b' }))
      .toEqual([{ name: 'SERVER_SHUTDOWN', value: 'graceful' }, { name: owned.name, value: '35s' }, { name: 'A', value: 'b' }]);
    expect(() => mergeEnv([fixed], { 'server.shutdown': 'immediate' })).toThrow(/which must be graceful: drains in-flight requests\. Fix: remove it/);
  });

  test('exposure lists merge: the user\'s entries kept, ours added, * stays *', () => {
    expect(mergeEnv([list], { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,prometheus' }))
      .toEqual([{ name: 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE', value: 'health,prometheus,serviceregistry' }]);
    expect(mergeEnv([list], { 'management.endpoints.web.exposure.include': 'prometheus' }))
      .toEqual([{ name: 'management.endpoints.web.exposure.include', value: 'prometheus,health,serviceregistry' }]);
    expect(mergeEnv([list], { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: '*' }))
      .toEqual([{ name: 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE', value: '*' }]);
  });

  test('a default is replaced by the user\'s value in any spelling, never emitted twice', () => {
    expect(mergeEnv([dflt], { JAVA_TOOL_OPTIONS: '-Xss512k' })).toEqual([{ name: 'JAVA_TOOL_OPTIONS', value: '-Xss512k' }]);
  });

  test('two spellings of one property in the user\'s own variables are an error', () => {
    expect(() => mergeEnv([dflt], { JAVA_TOOL_OPTIONS: '-Xss512k', java_tool_options: '-Xss1m' }))
      .toThrow(/'envVariables.java_tool_options' \("-Xss1m"\) and envVariables.JAVA_TOOL_OPTIONS \("-Xss512k"\) set the same Spring property/);
  });

  describe('SPRING_APPLICATION_JSON, which Spring reads before every variable', () => {
    test('an owned property in it is an error, the same value is accepted', () => {
      expect(() => mergeEnv([fixed], { SPRING_APPLICATION_JSON: '{"server":{"shutdown":"immediate"}}' })).toThrow(
        /'envVariables.SPRING_APPLICATION_JSON' \("server.shutdown=immediate"\) sets server.shutdown, which Spring reads before SERVER_SHUTDOWN=graceful .*Fix: remove "server.shutdown" from it/);
      expect(() => mergeEnv([owned], { SPRING_APPLICATION_JSON: '{"spring.lifecycle.timeout-per-shutdown-phase":"5s"}' }))
        .toThrow(/sets spring.lifecycle.timeout-per-shutdown-phase, which Spring reads before SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE=35s \(derived from 'traffic'\)/);
      const json = '{"server":{"shutdown":"graceful"}}';
      expect(mergeEnv([fixed], { SPRING_APPLICATION_JSON: json }))
        .toEqual([{ name: 'SERVER_SHUTDOWN', value: 'graceful' }, { name: 'SPRING_APPLICATION_JSON', value: json }]);
    });

    test('an exposure list in it must hold our entries (a list or a comma-separated string)', () => {
      expect(() => mergeEnv([list], { SPRING_APPLICATION_JSON: '{"management":{"endpoints":{"web":{"exposure":{"include":["health","prometheus"]}}}}}' }))
        .toThrow(/leaves out serviceregistry: x\. Fix: add them to "management.endpoints.web.exposure.include" \(e.g. "health,prometheus,serviceregistry"\)/);
      const ok = '{"management.endpoints.web.exposure.include":"health,serviceregistry,prometheus"}';
      expect(mergeEnv([list], { SPRING_APPLICATION_JSON: ok })).toEqual([{ name: 'SPRING_APPLICATION_JSON', value: ok }]);
    });

    test('JSON that Spring cannot read fails here', () => {
      expect(() => mergeEnv([], { SPRING_APPLICATION_JSON: '{server:' })).toThrow(/'envVariables.SPRING_APPLICATION_JSON' \("\{server:"\) is not JSON/);
      expect(() => mergeEnv([], { SPRING_APPLICATION_JSON: '[1]' })).toThrow(/must be a JSON object/);
    });
  });
});

describe('GracefulJavaService: the user\'s configuration wins or fails loudly', () => {
  test('SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE is refused with both spellings', () => {
    expect(() => make({ envVariables: { SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: '20s' } }))
      .toThrow(/\[test\/orders\] 'envVariables.SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE' \("20s"\) sets SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE in another spelling/);
  });

  test('server.shutdown=graceful is accepted and emitted once', () => {
    const { container } = make({ envVariables: { 'server.shutdown': 'graceful' } });
    expect(names(container).filter(n => sameSpringProperty(n, 'SERVER_SHUTDOWN'))).toEqual(['SERVER_SHUTDOWN']);
  });

  test('the Nacos server address in the underscore spelling is refused when the open API sets it', () => {
    expect(() => make({
      registry: Registry.nacos({ openApi: { serverAddr: 'nacos.infra:8848', serviceName: 'orders' } }),
      envVariables: { SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'other:8848' },
    })).toThrow(/SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR' \("other:8848"\) sets SPRING_CLOUD_NACOS_DISCOVERY_SERVERADDR in another spelling .* from 'registry.openApi.serverAddr'/);
  });

  test('Nacos namespace, group and cluster are emitted only when given', () => {
    const plain = env(make({ registry: Registry.nacos({ openApi: { serverAddr: 'nacos.infra:8848', serviceName: 'orders' } }) }).container);
    expect(Object.keys(plain).filter(n => /NACOS_DISCOVERY_(NAMESPACE|GROUP|CLUSTERNAME)$/.test(n))).toEqual([]);
    expect(plain.GRACEFUL_TAKEOUT_URL).toMatch(/namespaceId=public&clusterName=DEFAULT/);
    const given = env(make({ registry: Registry.nacos({ openApi: { serverAddr: 'nacos.infra:8848', serviceName: 'orders', cluster: 'BJ' } }) }).container);
    expect(given.SPRING_CLOUD_NACOS_DISCOVERY_CLUSTERNAME).toBe('BJ');
    expect(given.GRACEFUL_TAKEOUT_URL).toMatch(/clusterName=BJ/);
  });

  test('the user\'s exposure list keeps prometheus and gets serviceregistry added', () => {
    const e = env(make({ registry: Registry.nacos(), envVariables: { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,prometheus' } }).container);
    expect(e.MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,prometheus,serviceregistry');
  });

  test('managementService: a second Service on the management port, prometheus exposed', () => {
    const { svc, manifests, container } = make({ registry: Registry.nacos(), managementService: true });
    const services = byKind(manifests, 'Service');
    expect(services.map((s: any) => s.metadata.name)).toEqual(['orders', 'orders-management']);
    const [app, mgmt] = services;
    expect(app.spec.ports.map((p: any) => p.port)).toEqual([8080]);
    expect(mgmt.spec.ports).toEqual([{ name: 'management', port: 8081, targetPort: 8081 }]);
    expect(mgmt.spec.selector).toEqual(app.spec.selector);
    expect(env(container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,serviceregistry,prometheus');
    expect(svc.managementService).toBeDefined();
    // Without the option: no second Service, no prometheus.
    const plain = make({ registry: Registry.nacos() });
    expect(byKind(plain.manifests, 'Service')).toHaveLength(1);
    expect(env(plain.container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,serviceregistry');
  });

  test('actuatorEndpoints without a registry endpoint still exposes health for the probes', () => {
    const e = env(make({ actuatorEndpoints: ['info', 'prometheus'] }).container);
    expect(e.MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,info,prometheus');
    expect(() => make({ actuatorEndpoints: ['pro metheus'] })).toThrow(/'actuatorEndpoints' \(\["pro metheus"\]\) must be a list of actuator endpoint ids/);
    expect(() => make({ managementService: 'yes' as any })).toThrow(/'managementService' \("yes"\) must be true or false/);
    expect(() => make({ managementService: true, metadata: { name: 'a'.repeat(60) } })).toThrow(/with the suffix "-management" it names the management Service/);
  });
});

describe('health stays exposed for the probes', () => {
  test('a user exposure list without health gets it added, also where the construct needs nothing else', () => {
    expect(env(make({ envVariables: { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'prometheus' } }).container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE)
      .toBe('prometheus,health');
    // nothing given, nothing needed beyond Spring Boot's default (health): nothing emitted
    expect(env(make().container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBeUndefined();
    expect(() => make({ envVariables: { SPRING_APPLICATION_JSON: '{"management.endpoints.web.exposure.include":"info"}' } }))
      .toThrow(/leaves out health: the probes call health/);
  });
});

describe('properties given on the command line or as JVM system properties (Spring reads them before env)', () => {
  test('args --key=value, -D in JAVA_TOOL_OPTIONS or jvmOptions: a different value is an error naming where', () => {
    expect(() => make({ args: ['--spring.lifecycle.timeout-per-shutdown-phase=5s'] }))
      .toThrow(/'args\[0\]' \("--spring.lifecycle.timeout-per-shutdown-phase=5s"\) sets spring.lifecycle.timeout-per-shutdown-phase, which Spring reads before SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE=\d+s \(derived from 'traffic'\)\. Fix: remove it and set 'traffic' instead/);
    expect(() => make({ envVariables: { JAVA_TOOL_OPTIONS: '-Xss512k -Dserver.shutdown=immediate' } }))
      .toThrow(/'envVariables.JAVA_TOOL_OPTIONS' \("-Dserver.shutdown=immediate"\) sets server.shutdown, which Spring reads before SERVER_SHUTDOWN=graceful/);
    expect(() => make({ jvmOptions: ['-Dmanagement.server.port=9000'] }))
      .toThrow(/'jvmOptions \(JAVA_TOOL_OPTIONS\)' \("-Dmanagement.server.port=9000"\) sets management.server.port, .* Fix: remove it and set 'managementPort' instead/);
    expect(() => make({ command: ['sh', '-c', 'exec java -Dserver.port=9090 -jar /app/app.jar'], jar: undefined }))
      .toThrow(/'command\[2\]' \("-Dserver.port=9090"\) sets server.port, which Spring reads before SERVER_PORT=8080/);
  });

  test('the same value, and an exposure list holding ours, are accepted; a list without them is not', () => {
    expect(() => make({ args: ['--server.shutdown=graceful', '--server.port=8080', '--spring.profiles.active=prod'] })).not.toThrow();
    expect(() => make({ registry: Registry.nacos(), args: ['--management.endpoints.web.exposure.include=health,serviceregistry,prometheus'] })).not.toThrow();
    expect(() => make({ registry: Registry.nacos(), args: ['--management.endpoints.web.exposure.include=health,prometheus'] }))
      .toThrow(/'args\[0\]' .* leaves out serviceregistry/);
  });
});
