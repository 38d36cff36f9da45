/**
 * Canary test: distinct fake secrets are planted everywhere a credential can appear (construct props,
 * foreign manifests, unrendered Helm templates, Dockerfiles, command-line arguments) and no output of the
 * library may show any of them: not the CLI's text, JSON or SARIF report, not its stderr, not the
 * validation plugin's violations and logs, not a synth error, not a construct's findings.
 *
 * Every canary contains `CNRY` followed by two digits, also each part of a password around `$`, `?`, `%`
 * and `@`, so that a partial leak (a password cut at one of them) is caught as well.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConsulAgent, GracefulJavaService, GracefulJavaServiceProps, NacosAuth, NacosVersion, PreStopHook, Registry, TakeOut,
} from '../../src';
import { GracefulConfigError } from '../../src/errors';
import { GracefulValidation } from '../../src/plugin';
import { REDACTED } from '../../src/redact';
import { cli } from '../cli/cli';

const CANARY = /CNRY\d\d/;

/** Fails with the first leaking line when the text shows a canary. */
function expectNoCanary(where: string, text: string): void {
  const leak = text.split('\n').find(l => CANARY.test(l));
  expect({ where, leak }).toEqual({ where, leak: undefined });
}

const traffic = { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 };
const base: GracefulJavaServiceProps = { image: 'registry.example.com/orders:1.0.0', jar: '/app/app.jar', traffic, metadata: { name: 'orders' } };

// ------------------------------------------------------------------------------------------ synth errors

/** Bad props that carry canaries: each must fail synthesis without showing them. */
const BAD_PROPS: [string, (chart: any) => Partial<GracefulJavaServiceProps>][] = [
  ['Nacos serverAddr with user:password@', () => ({
    registry: Registry.nacos({ version: NacosVersion.V1, openApi: { serverAddr: 'nacos:CNRY01@nacos:8848', serviceName: 'orders' } }),
  })],
  ['Nacos serverAddr as a URL with $, ? and @ in the password', () => ({
    registry: Registry.nacos({ version: NacosVersion.V1, openApi: { serverAddr: 'http://nacos:CNRY02a$CNRY02b?CNRY02c@CNRY02d@nacos:8848', serviceName: 'orders' } }),
  })],
  ['Nacos access token given as a literal', () => ({
    registry: Registry.nacos({ version: NacosVersion.V1, openApi: { serverAddr: 'nacos:8848', serviceName: 'orders', auth: NacosAuth.accessToken('CNRY03' as any) } }),
  })],
  ['Nacos login password given as a literal', c => ({
    registry: Registry.nacos({
      version: NacosVersion.V1,
      openApi: { serverAddr: 'nacos:8848', serviceName: 'orders', auth: NacosAuth.login({ secret: kplus.Secret.fromSecretName(c, 'U', 'u'), key: 'u' }, 'CNRY04' as any) },
    }),
  })],
  ['Eureka server URL with credentials and "$"', () => ({
    registry: Registry.eureka({ restStatus: { serverUrl: 'http://eureka:CNRY05a$CNRY05b@eureka:8761/eureka', appName: 'orders' } }),
  })],
  ['Eureka server URL with credentials and a query', () => ({
    registry: Registry.eureka({ restStatus: { serverUrl: 'http://eureka:CNRY06a%40CNRY06b@eureka:8761/eureka?token=CNRY06c', appName: 'orders' } }),
  })],
  ['Eureka server URL with credentials', () => ({
    registry: Registry.eureka({ restStatus: { serverUrl: 'http://eureka:CNRY07@eureka:8761/eureka', appName: 'orders' } }),
  })],
  ['Consul ACL token given as a literal', () => ({
    registry: Registry.consul({ agentMaintenance: { serviceName: 'orders', agent: ConsulAgent.address('consul:8500'), token: 'CNRY08' as any } }),
  })],
  ['custom take-out URL with a token in its query and a "$"', () => ({
    registry: Registry.custom({
      name: 'mse', takeOut: TakeOut.http({ url: 'http://127.0.0.1:54199/offline?accessToken=CNRY09&x=$y' }), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor',
    }),
  })],
  ['custom take-out URL with credentials', () => ({
    registry: Registry.custom({
      name: 'mse', takeOut: TakeOut.http({ url: 'http://admin:CNRY10@127.0.0.1:54199/offline' }), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor',
    }),
  })],
  ['custom take-out token given as a literal', () => ({
    registry: Registry.custom({
      name: 'mse', takeOut: TakeOut.http({ url: 'http://127.0.0.1:54199/offline', token: 'CNRY11' as any }), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor',
    }),
  })],
  ['custom take-out command with a token and an empty argument', () => ({
    registry: Registry.custom({
      name: 'agent', takeOut: TakeOut.command(['/opt/agent/offline', '--token', 'CNRY12', '']), registryPropagation: Duration.seconds(5), registryPropagationSource: 'vendor',
    }),
  })],
  ['jvmOptions with a password and a space', () => ({ jvmOptions: ['-Dspring.cloud.nacos.discovery.password=CNRY13 -Xmx1g'] })],
  ['command with a password that does not exec java', () => ({
    jar: undefined, command: ['sh', '-c', 'java --spring.cloud.nacos.discovery.password=CNRY14 -jar /app/app.jar; echo done'],
  })],
  ['a secret env value that is not a string', () => ({ envVariables: { SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD: ['CNRY15'] as any } })],
  ['a managed env variable set with a password in it', () => ({ envVariables: { SERVER_SHUTDOWN: 'graceful --token=CNRY16' } })],
  ['a password env variable the construct derives from its Secret', c => ({
    registry: Registry.nacos({
      version: NacosVersion.V1,
      openApi: {
        serverAddr: 'nacos:8848',
        serviceName: 'orders',
        auth: NacosAuth.login({ secret: kplus.Secret.fromSecretName(c, 'U', 'u'), key: 'u' }, { secret: kplus.Secret.fromSecretName(c, 'P', 'p'), key: 'p' }),
      },
    }),
    envVariables: { 'spring.cloud.nacos.discovery.password': 'CNRY18' },
  })],
  ['preStop httpGet path with a token and a space', () => ({ preStop: PreStopHook.httpGet('/offline?token=CNRY17 now') })],
];

describe('synth errors show no credential', () => {
  test.each(BAD_PROPS)('%s', (_name, props) => {
    let error: unknown;
    try {
      const chart = Testing.chart();
      new GracefulJavaService(chart, 'orders', { ...base, ...props(chart) });
      Testing.synth(chart);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GracefulConfigError); // refused by the library's own check, not by a crash
    const e = error as Error;
    expectNoCanary('message', e.message);
    expectNoCanary('stack', e.stack ?? '');
    expectNoCanary('toString', String(e));
  });
});

// ------------------------------------------------------------------- a service with canaries in its props

/** Props that synthesize (the user chose to write the secrets into the manifest) but whose findings must not repeat them. */
function canaryService(chart: any): GracefulJavaService {
  return new GracefulJavaService(chart, 'orders', {
    ...base,
    registry: Registry.nacos(),
    jvmOptions: ['-Dspring.cloud.nacos.discovery.password=CNRY20', '-Dspring.cloud.nacos.discovery.access-key=CNRY21'],
    jar: undefined,
    command: ['java', '-jar', '/app/app.jar'],
    args: ['--spring.cloud.nacos.discovery.secret-key=CNRY22', '--eureka.client.service-url.defaultZone=http://eureka:CNRY23a$CNRY23b@eureka:8761/eureka/'],
    envVariables: {
      SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: 'nacos:8848',
      SPRING_CLOUD_NACOS_DISCOVERY_ACCESSTOKEN: 'CNRY24',
      CONSUL_HTTP_TOKEN: 'CNRY25',
      SPRING_APPLICATION_JSON: '{"spring":{"cloud":{"nacos":{"discovery":{"password":"CNRY26"}}}}}',
    },
  });
}

describe('a construct with canaries in its props', () => {
  test('its findings, validation errors and explanation show none', () => {
    const chart = Testing.chart();
    const svc = canaryService(chart);
    const manifests = Testing.synth(chart);
    expect(JSON.stringify(manifests)).toMatch(CANARY); // the user's own values are in the manifest, as written
    const findings = svc.findings;
    expect(findings.map(f => f.id)).toContain('registry-credentials-plaintext');
    expectNoCanary('findings', JSON.stringify(findings, null, 1));
    expectNoCanary('validation', chart.node.validate().join('\n'));
    expectNoCanary('explain', svc.explain());
  });
});

// ---------------------------------------------------------------------------------- the audit's inputs

const FOREIGN = `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  replicas: 2
  template:
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: orders
          image: eclipse-temurin:21-jre
          args: ["--spring.cloud.consul.discovery.acl-token=CNRY30", "--spring.cloud.nacos.discovery.password", "CNRY31"]
          env:
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR, value: "nacos:8848" }
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_USERNAME, value: nacos }
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD, value: CNRY32 }
            - { name: CONSUL_HTTP_TOKEN, value: CNRY33 }
            - { name: SPRING_APPLICATION_JSON, value: '{"spring":{"cloud":{"nacos":{"discovery":{"access-key":"CNRY34","secret-key":"CNRY35"}}}}}' }
            - { name: JAVA_TOOL_OPTIONS, value: "-Dspring.cloud.nacos.discovery.password=CNRY36 -Xmx1g" }
            - { name: EUREKA_CLIENT_SERVICEURL_DEFAULTZONE, value: "http://eureka:CNRY37a$CNRY37b?CNRY37c@CNRY37d@eureka:8761/eureka/" }
          lifecycle:
            preStop:
              exec:
                command:
                  - sh
                  - -c
                  - >-
                    curl -X PUT -H 'X-Consul-Token: CNRY38' http://127.0.0.1:8500/v1/agent/service/maintenance/orders?enable=true;
                    curl -X PUT "http://nacos:8848/nacos/v1/ns/instance?serviceName=orders&ip=$POD_IP&port=8080&enabled=false&accessToken=CNRY39";
                    curl -d password=CNRY40 -d username=nacos http://nacos:8848/nacos/v1/auth/login;
                    wget -q --header "Authorization: Bearer CNRY41" http://eureka:CNRY42@eureka:8761/eureka/apps/ORDERS/x/status?value=OUT_OF_SERVICE;
                    curl -u admin:CNRY43 http://127.0.0.1:8081/actuator/serviceregistry;
                    sleep 20
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: billing }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: billing
          image: eclipse-temurin:21-jre
          env:
            - { name: JAVA_TOOL_OPTIONS, value: "-Dspring.cloud.nacos.discovery.password=CNRY44 -Dspring.cloud.nacos.discovery.server-addr=nacos:CNRY45@nacos:8848" }
          lifecycle:
            preStop:
              exec: { command: ["sh", "-c", "echo --token=CNRY46 >/dev/null; sleep 20"] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: invoice }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: invoice
          image: eclipse-temurin:21-jre
          command: ["sh", "-c", "java -Dspring.cloud.consul.token=CNRY47 -jar /app/app.jar"]
          env:
            - { name: SPRING_CLOUD_CONSUL_HOST, value: consul }
          lifecycle:
            preStop:
              exec: { command: ["curl", "http://consul:CNRY48@127.0.0.1:8500/v1/agent/service/maintenance/invoice?enable=true&token=CNRY49"] }
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: shipping-config }
    data:
      SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR: "nacos:8848"
      SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD: CNRY53
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: shipping }
    spec:
      replicas: 2
      template:
        spec:
          containers:
            - name: shipping
              image: eclipse-temurin:21-jre
              envFrom: [{ configMapRef: { name: shipping-config } }]
              env:
                - { name: SPRING_APPLICATION_JSON, value: '{"eureka":{"client":{"service-url":{"defaultZone":"http://u:CNRY54@eureka:8761/eureka/"}}}}' }
`;

const HELM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD
              value: {{ .Values.nacos.password | default "CNRY50" | quote }}
`;

const HELM_FIRST_LINE = `apiVersion: v1
kind: Secret
metadata: { name: nacos }
stringData:
  password: {{ .Values.nacosPassword | default "CNRY51-a-long-default-that-would-be-cut-where-the-excerpt-ends" }}
`;

const HELM_DEFAULT_FIRST = `apiVersion: v1
kind: Secret
metadata: { name: consul }
stringData:
  token: {{ default "CNRY52" .Values.consulToken }}
`;

const DOCKERFILE = `FROM eclipse-temurin:21-jre
ENV NACOS_PASSWORD=CNRY60 NACOS_USERNAME=nacos
ENV CONSUL_HTTP_TOKEN CNRY61
ENV JAVA_TOOL_OPTIONS="-Dspring.cloud.nacos.discovery.password=CNRY62"
COPY app.jar /app/app.jar
STOPSIGNAL SIGQUIT
ENTRYPOINT java -Dspring.cloud.nacos.discovery.access-key=CNRY63 -jar /app/app.jar --spring.cloud.nacos.discovery.secret-key=CNRY64
CMD ["--spring.cloud.consul.discovery.acl-token=CNRY67", "--token", "CNRY68"]
`;

const DOCKERFILE_EXEC = `FROM eclipse-temurin:21-jre
STOPSIGNAL SIGQUIT
ENTRYPOINT ["sh", "-c", "java -Dspring.cloud.nacos.discovery.password=CNRY65 -jar /app.jar; echo --password CNRY69"]
CMD ["--spring.cloud.consul.discovery.acl-token=CNRY66"]
`;

describe('the audit of inputs with canaries', () => {
  let dir: string;
  const yamlFiles = ['foreign.yaml', 'construct.k8s.yaml', 'chart/templates/deployment.yaml', 'chart/templates/secret.yaml', 'chart/templates/consul.yaml'];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-'));
    const write = (name: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    };
    write('foreign.yaml', FOREIGN);
    const chart = Testing.chart();
    canaryService(chart);
    write('construct.k8s.yaml', Testing.synth(chart).map(o => Yaml.stringify(o)).join('---\n'));
    write('chart/templates/deployment.yaml', HELM);
    write('chart/templates/secret.yaml', HELM_FIRST_LINE);
    write('chart/templates/consul.yaml', HELM_DEFAULT_FIRST);
    write('Dockerfile', DOCKERFILE);
    write('exec.Dockerfile', DOCKERFILE_EXEC);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the inputs hold every canary (the test plants what it looks for)', () => {
    const all = [...yamlFiles, 'Dockerfile', 'exec.Dockerfile'].map(f => fs.readFileSync(path.join(dir, f), 'utf-8')).join('\n');
    const planted = [20, 21, 22, 24, 25, 26, 30, 31, 32, 33, 34, 35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 47, 48, 49,
      50, 51, 52, 53, 54, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69];
    for (const n of planted) {
      expect(all).toContain(`CNRY${n}`);
    }
  });

  test.each(['text', 'json', 'sarif'])('the CLI (--format %s) shows none, on stdout or stderr', format => {
    const res = cli(['audit', '--format', format, '--fail-on', 'none', '.'], { cwd: dir });
    expect(res.code).toBe(0);
    expectNoCanary('stdout', res.stdout);
    expectNoCanary('stderr', res.stderr);
    // the rules that used to quote credentials did run and report, with the marker where a value was
    for (const id of ['registry-credentials-plaintext', 'prestop-call-without-timeout', 'registry-without-takeout', 'pid1-shell-without-exec', 'dockerfile-cmd-ignored']) {
      expect(res.stdout).toContain(id);
    }
    expect(res.stdout).toContain(REDACTED);
    // the unrendered Helm templates are reported as skipped
    expect(`${res.stdout}\n${res.stderr}`).toMatch(/templates\/secret\.yaml:\d+: skipped/);
  });

  test('the CLI reading standard input shows none', () => {
    const res = cli(['audit', '--format', 'json', '--fail-on', 'none', '-'], { cwd: dir, input: FOREIGN });
    expect(res.code).toBe(0);
    expectNoCanary('stdout', res.stdout);
    expectNoCanary('stderr', res.stderr);
    expect(JSON.parse(res.stdout).length).toBeGreaterThan(0);
  });

  test('a usage error that repeats an argument shows none', () => {
    const res = cli(['audit', '--spring.cloud.nacos.discovery.password=CNRY70', '.'], { cwd: dir });
    expect(res.code).toBe(2);
    expectNoCanary('stdout', res.stdout);
    expectNoCanary('stderr', res.stderr);
    expect(res.stderr).toContain('unknown option');
  });

  test('an input that does not exist, named with a URL with credentials, shows none', () => {
    const res = cli(['audit', 'http://admin:CNRY71@nacos:8848/deploy.yaml'], { cwd: dir });
    expect(res.code).toBe(2);
    expectNoCanary('stderr', res.stderr);
    expect(res.stderr).toContain(`http://${REDACTED}@nacos:8848/deploy.yaml: no such file or directory`);
  });

  test('the validation plugin shows none in its violations, summary or logs', async () => {
    const violations: any[] = [];
    const logs: string[] = [];
    let submitted: any;
    const context = {
      manifests: yamlFiles.map(f => path.join(dir, f)),
      logger: { log: (m: string) => logs.push(m) },
      report: { addViolation: (v: any) => violations.push(v), submit: (status: string, metadata: any) => (submitted = { status, metadata }) },
    };
    await new GracefulValidation({ failOn: 'none' }).validate(context);
    expect(violations.map(v => v.ruleName).join('\n')).toContain('registry-credentials-plaintext');
    expect(logs.join('\n')).toMatch(/skipped/);
    expectNoCanary('violations', JSON.stringify(violations, null, 1));
    expectNoCanary('logs', logs.join('\n'));
    expectNoCanary('summary', JSON.stringify(submitted));
  });
});
