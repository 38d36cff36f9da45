import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { auditReport, AuditInput, WorkloadJudgement, Rules } from '../../src/rules';
import { appContainers, model, servesJava, servesTraffic } from '../../src/rules/model';
import { RuleContext } from '../../src/rules/rule';

/** The documents of a YAML stream, as the CLI reads them. */
function docs(yaml: string): AuditInput {
  return { documents: YAML.parseAllDocuments(yaml).map((d, index) => ({ object: d.toJS(), file: 'm.yaml', index })).filter(d => d.object) };
}

function deployment(name: string, container: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${extra}      containers:
${container}`;
}

/** A real manifest of test/fixtures/field (provenance in its header and PROVENANCE.md). */
function fixture(name: string): string {
  return fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'field', name), 'utf8');
}

function judged(yaml: string) {
  return auditReport(docs(yaml), { rules: [] }).workloads;
}

describe('classification: every workload is judged or not judged with the reason', () => {
  test('a Java application with a registry: application, with its evidence and registry', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        ports: [{ containerPort: 8080 }]
        env:
        - { name: JAVA_OPTS, value: "-Xmx512m" }
        - { name: SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR, value: "nacos:8848" }
`));
    expect(w.judgement).toBe(WorkloadJudgement.APPLICATION);
    expect(w.application).toBe("container 'app': env JAVA_OPTS");
    expect(w.registry).toBe('Nacos');
    expect(w.serving).toBe("container 'app' declares a port");
    expect(w.object).toMatchObject({ kind: 'Deployment', name: 'orders', file: 'm.yaml', index: 0 });
  });

  test('an unknown image with a port: generic, tier-1 rules only', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/order-service:1.0
        ports: [{ containerPort: 8080 }]
`));
    expect(w.judgement).toBe(WorkloadJudgement.GENERIC);
    expect(w.reason).toMatch(/tier-1 rules only/);
    expect(w.application).toBeUndefined();
  });

  test('no port but a Service of the input selects it: generic, the Service named', () => {
    const [w] = judged(deployment('web', `      - name: app
        image: acme/web:1.0
`) + `
---
apiVersion: v1
kind: Service
metadata: { name: web-svc }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`);
    expect(w.judgement).toBe(WorkloadJudgement.GENERIC);
    expect(w.serving).toBe('Service web-svc selects its pods');
  });

  test.each([
    ['postgres:16', /image postgres:16 is a database.*even with its container port/],
    ['bitnami/redis:7', /is a cache/],
    ['docker.io/library/rabbitmq:3-management', /is a message broker/],
    ['nginx@sha256:0123', /is a proxy or mesh component/],
    ['nacos/nacos-server:v2.3.0', /is a Nacos server/],
    ['hashicorp/consul:1.17', /is a Consul server/],
  ])('infrastructure %s: not judged even with a port', (image, reason) => {
    const [w] = judged(deployment('infra', `      - name: s
        image: ${image}
        ports: [{ containerPort: 5432 }]
`));
    expect(w.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(w.reason).toMatch(/^infrastructure: /);
    expect(w.reason).toMatch(reason);
  });

  test('an application next to an infrastructure sidecar is judged', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        command: ["java", "-jar", "/app.jar"]
        ports: [{ containerPort: 8080 }]
      - name: proxy
        image: envoyproxy/envoy:v1.30
`));
    expect(w.judgement).toBe(WorkloadJudgement.APPLICATION);
  });

  test('a Job and a CronJob run to completion', () => {
    const ws = judged(`apiVersion: batch/v1
kind: Job
metadata: { name: migrate }
spec: { template: { spec: { containers: [{ name: m, image: acme/migrate, command: [java, -jar, m.jar] }] } } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec: { schedule: "0 1 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: n, image: acme/n }] } } } } }
`);
    expect(ws.map(w => [w.object.kind, w.judgement])).toEqual([['Job', 'not-judged'], ['CronJob', 'not-judged']]);
    expect(ws[0].reason).toMatch(/a Job runs to completion/);
    expect(ws[1].reason).toMatch(/a CronJob runs to completion/);
  });

  test('a bare Pod is not judged, and says what to audit instead', () => {
    const [w] = judged(`apiVersion: v1
kind: Pod
metadata: { name: debug }
spec: { containers: [{ name: d, image: acme/orders, ports: [{ containerPort: 8080 }] }] }
`);
    expect(w.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(w.reason).toMatch(/a bare Pod: no controller replaces it/);
  });

  test('no port, no Service, no HPA, no registry: serves no traffic', () => {
    const [w] = judged(deployment('worker', `      - name: w
        image: zuul:latest
`));
    expect(w.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(w.reason).toMatch(/a JVM application \(container 'w': image zuul:latest\) that serves no traffic the input shows/);
  });

  test('a HorizontalPodAutoscaler makes it serving', () => {
    const [w] = judged(deployment('api', `      - name: a
        image: acme/api
`) + `
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api-hpa }
spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }, minReplicas: 2, maxReplicas: 4 }
`);
    expect(w.serving).toBe('HorizontalPodAutoscaler api-hpa scales it');
  });

  test('an unreadable (templated) pod template is not judged', () => {
    const ws = auditReport({ documents: [{ object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 't' }, spec: { template: '{{ .Values.pod }}' } } }] },
      { rules: [] }).workloads;
    expect(ws).toHaveLength(1);
    expect(ws[0].judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(ws[0].reason).toMatch(/^its spec\.template is an unrendered Helm template/);
    const [other] = auditReport({ documents: [{ object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 't' }, spec: { template: 42 } } }] },
      { rules: [] }).workloads;
    expect(other.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(other.reason).toMatch(/pod template cannot be read/);
  });

  test('the rules ask the classification: infrastructure is neither serving nor Java', () => {
    const ctx = new RuleContext(docs(deployment('db', `      - name: s
        image: postgres:16
        ports: [{ containerPort: 5432 }]
`)));
    const [w] = model(ctx).workloads;
    expect(servesTraffic(ctx, w)).toBeUndefined();
    expect(servesJava(ctx, w)).toBe(false);
  });

  test('the same classification for the audit() findings: no rule reports a not-judged workload', () => {
    const input = docs(deployment('db', `      - name: s
        image: postgres:16
        ports: [{ containerPort: 5432 }]
`));
    const r = auditReport(input, { rules: Rules.all() });
    expect(r.workloads[0].judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(r.findings.filter(f => f.object?.name === 'db')).toEqual([]);
  });

  test('reasons never show a credential', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        ports: [{ containerPort: 8080 }]
        args: ["--spring.cloud.nacos.discovery.password=hunter2-canary", "--spring.cloud.nacos.discovery.server-addr=nacos:8848"]
`));
    expect(JSON.stringify(w)).not.toContain('hunter2-canary');
  });
});

describe('recognition', () => {
  function jvmOf(container: string, extraDocs = '', podExtra = ''): string | undefined {
    const ctx = new RuleContext(docs(deployment('orders', container, podExtra) + extraDocs));
    return appContainers(ctx)[0]?.jvm;
  }
  function propOf(key: string, container: string, extraDocs = '', podExtra = '') {
    const ctx = new RuleContext(docs(deployment('orders', container, podExtra) + extraDocs));
    return appContainers(ctx)[0].c.props.get(key);
  }

  test.each([
    'eclipse-temurin:21-jre', 'amazoncorretto:17', 'azul/zulu-openjdk:17', 'bellsoft/liberica-runtime-container:jre-21',
    'sapmachine:21', 'ibm-semeru-runtimes:open-17-jre', 'paketobuildpacks/run-jammy-base', 'gcr.io/distroless/java17-debian12',
    'ghcr.io/graalvm/jdk-community:21', 'alibaba/dragonwell:17',
  ])('JDK/JRE image %s', image => {
    expect(jvmOf(`      - name: app
        image: ${image}
`)).toBe(`image ${image}`);
  });

  test.each([['java_opts'], ['JAVA-OPTS'], ['JAVA_OPTIONS'], ['JDK_JAVA_OPTIONS'], ['BPL_JVM_THREAD_COUNT'], ['JAVA_TOOL_OPTIONS']])('JVM env %s', name => {
    expect(jvmOf(`      - name: app
        image: acme/x
        env: [{ name: ${name}, value: "-Xmx1g" }]
`)).toBe(`env ${name}`);
  });

  test('java in a shell -c script', () => {
    expect(jvmOf(`      - name: app
        image: acme/x
        command: ["/bin/sh", "-c", "cd /app && exec java $JAVA_OPTS -jar app.jar"]
`)).toMatch(/its command runs java/);
  });

  test.each([
    ['SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE'],
    ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE'],
    ['spring.lifecycle.timeout-per-shutdown-phase'],
    ['Spring_Lifecycle_Timeout_Per_Shutdown_Phase'],
  ])('relaxed spelling %s is spring.lifecycle.timeout-per-shutdown-phase', name => {
    const p = propOf('spring.lifecycle.timeout-per-shutdown-phase', `      - name: app
        image: acme/x
        env: [{ name: ${name}, value: "45s" }]
`);
    expect(p?.value).toBe('45s');
  });

  test('the legacy spelling of a registry key the module compares exactly is recognised (spring.cloud.nacos.server-addr)', () => {
    const ctx = new RuleContext(docs(deployment('orders', `      - name: app
        image: acme/x
        ports: [{ containerPort: 8080 }]
        env: [{ name: SPRING_CLOUD_NACOS_SERVER_ADDR, value: "nacos:8848" }]
`)));
    expect(appContainers(ctx)[0].registry?.name).toBe('nacos');
  });

  test('SPRING_APPLICATION_JSON, -D and -- are read', () => {
    const c = `      - name: app
        image: acme/x
        env:
        - { name: SPRING_APPLICATION_JSON, value: '{"server":{"shutdown":"graceful"}}' }
        - { name: JAVA_TOOL_OPTIONS, value: "-Dspring.lifecycle.timeout-per-shutdown-phase=20s" }
        args: ["--management.server.port=9090"]
`;
    expect(propOf('server.shutdown', c)?.value).toBe('graceful');
    expect(propOf('spring.lifecycle.timeout-per-shutdown-phase', c)?.value).toBe('20s');
    expect(propOf('management.server.port', c)?.value).toBe('9090');
  });

  const CONFIG_MAP = `
---
apiVersion: v1
kind: ConfigMap
metadata: { name: orders-config }
data:
  application.yml: |
    server:
      shutdown: graceful
    spring:
      lifecycle:
        timeout-per-shutdown-phase: 25s
      cloud:
        consul:
          host: consul-agent
    ---
    spring:
      config:
        activate:
          on-profile: prod
    server:
      shutdown: immediate
  application-prod.properties: |
    management.server.port = 9091
  logback.xml: "<configuration/>"
`;
  const MOUNTED = `      - name: app
        image: acme/orders:1.0
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: cfg, mountPath: /workspace/config }]
`;
  const VOLUME = `      volumes: [{ name: cfg, configMap: { name: orders-config } }]
`;

  test('application.yml mounted from a ConfigMap of the input: its properties, with where they come from', () => {
    const p = propOf('server.shutdown', MOUNTED, CONFIG_MAP, VOLUME);
    expect(p).toMatchObject({ value: 'graceful', where: 'ConfigMap orders-config application.yml server.shutdown', fromSecret: false });
    expect(propOf('spring.lifecycle.timeout-per-shutdown-phase', MOUNTED, CONFIG_MAP, VOLUME)?.value).toBe('25s');
    // the prod document and file count only with the prod profile
    expect(propOf('management.server.port', MOUNTED, CONFIG_MAP, VOLUME)).toBeUndefined();
    const ctx = new RuleContext(docs(deployment('orders', MOUNTED, VOLUME) + CONFIG_MAP));
    const [a] = appContainers(ctx);
    expect(a.jvm).toMatch(/^ConfigMap orders-config application.yml /);
    expect(a.registry?.name).toBe('consul');
    expect(a.registry?.evidence).toBe('ConfigMap orders-config application.yml spring.cloud.consul.host');
  });

  test('a profile activated by the container selects application-<profile> and on-profile documents', () => {
    const c = MOUNTED + '        env: [{ name: SPRING_PROFILES_ACTIVE, value: prod }]\n';
    expect(propOf('server.shutdown', c, CONFIG_MAP, VOLUME)?.value).toBe('immediate');
    expect(propOf('management.server.port', c, CONFIG_MAP, VOLUME)?.value).toBe('9091');
  });

  test('the container env wins over the file', () => {
    const c = MOUNTED + '        env: [{ name: SERVER_SHUTDOWN, value: immediate }]\n';
    expect(propOf('server.shutdown', c, CONFIG_MAP, VOLUME)).toMatchObject({ value: 'immediate', where: 'env SERVER_SHUTDOWN' });
  });

  test('items and subPath decide which keys are files', () => {
    const sub = MOUNTED.replace('mountPath: /workspace/config }', 'mountPath: /app/application.yml, subPath: logback.xml }');
    expect(propOf('server.shutdown', sub, CONFIG_MAP, VOLUME)).toBeUndefined();
    const items = VOLUME.replace('configMap: { name: orders-config }', 'configMap: { name: orders-config, items: [{ key: application.yml, path: application.yaml }] }');
    expect(propOf('server.shutdown', MOUNTED, CONFIG_MAP, items)?.value).toBe('graceful');
  });

  test('a ConfigMap of another namespace or not mounted is not read', () => {
    expect(propOf('server.shutdown', MOUNTED.replace(/\s+volumeMounts.*\n/, '\n'), CONFIG_MAP, VOLUME)).toBeUndefined();
    expect(propOf('server.shutdown', MOUNTED, CONFIG_MAP.replace('name: orders-config }', 'name: orders-config, namespace: other }'), VOLUME)).toBeUndefined();
  });

  test('envFrom a ConfigMap and a Secret; configMapKeyRef resolved', () => {
    const c = `      - name: app
        image: acme/x
        envFrom: [{ configMapRef: { name: env-cm } }, { secretRef: { name: env-secret } }]
        env: [{ name: SPRING_PROFILES_ACTIVE, valueFrom: { configMapKeyRef: { name: env-cm, key: profile } } }]
`;
    const extra = `
---
apiVersion: v1
kind: ConfigMap
metadata: { name: env-cm }
data: { SERVER_SHUTDOWN: graceful, profile: k8s }
---
apiVersion: v1
kind: Secret
metadata: { name: env-secret }
data: { SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD: ${Buffer.from('s3cret-canary').toString('base64')} }
`;
    expect(propOf('server.shutdown', c, extra)).toMatchObject({ value: 'graceful', where: 'envFrom ConfigMap env-cm SERVER_SHUTDOWN' });
    expect(propOf('spring.profiles.active', c, extra)?.value).toBe('k8s');
    expect(propOf('spring.cloud.nacos.discovery.password', c, extra)).toMatchObject({ fromSecret: true, where: 'envFrom Secret env-secret SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD' });
  });

  test('application.properties in a Secret: read, marked fromSecret, its values never in any finding or classification', () => {
    const c = `      - name: app
        image: acme/orders:1.0
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: s, mountPath: /config }]
`;
    const extra = `
---
apiVersion: v1
kind: Secret
metadata: { name: orders-secret }
stringData:
  application.properties: |
    spring.cloud.nacos.discovery.server-addr=nacos:8848
    spring.cloud.nacos.discovery.password=pw-canary-9431
    spring.cloud.nacos.discovery.username=user-canary-9431
`;
    const vol = `      volumes: [{ name: s, secret: { secretName: orders-secret } }]
`;
    const p = propOf('spring.cloud.nacos.discovery.password', c, extra, vol);
    expect(p).toMatchObject({ value: 'pw-canary-9431', fromSecret: true, where: 'Secret orders-secret application.properties spring.cloud.nacos.discovery.password' });
    const r = auditReport(docs(deployment('orders', c, vol) + extra));
    expect(r.workloads[0].registry).toBe('Nacos');
    const out = JSON.stringify(r);
    expect(out).not.toContain('pw-canary-9431');
    expect(out).not.toContain('user-canary-9431');
  });
});

describe('spring.config.location decides which mounted files Spring reads', () => {
  const CM = `
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data:
  application.yml: |
    server: { shutdown: graceful }
`;
  const vol = '      volumes: [{ name: c, configMap: { name: cfg } }]\n';
  function shutdownOf(args: string): string | undefined {
    const ctx = new RuleContext(docs(deployment('orders', `      - name: app
        image: acme/x
        volumeMounts: [{ name: c, mountPath: /etc/orders }]
        args: ${args}
`, vol) + CM));
    return appContainers(ctx)[0].c.props.get('server.shutdown')?.value;
  }

  test.each([
    ['[]', 'graceful'],
    ['["--spring.config.location=file:/etc/orders/"]', 'graceful'],
    ['["--spring.config.location=/etc/orders/application.yml"]', 'graceful'],
    ['["--spring.config.location=classpath:/"]', undefined],
    ['["--spring.config.location=classpath:/", "--spring.config.additional-location=optional:file:/etc/orders/"]', 'graceful'],
  ])('args %s: server.shutdown %s', (args, expected) => {
    expect(shutdownOf(args)).toBe(expected);
  });
});

describe('an entrypoint script mounted from a ConfigMap of the input', () => {
  function input(script: string) {
    return docs(deployment('orders', `      - name: app
        image: acme/orders:1.0
        command: ["/opt/bin/start.sh"]
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: bin, mountPath: /opt/bin }]
`, '      volumes: [{ name: bin, configMap: { name: orders-bin, defaultMode: 0755 } }]\n') + `
---
apiVersion: v1
kind: ConfigMap
metadata: { name: orders-bin }
data:
  start.sh: |
${script.split('\n').map(l => `    ${l}`).join('\n')}
`);
  }

  test('shows a JVM application and is judged for PID 1 from its text', () => {
    const report = auditReport(input('#!/bin/sh\ncd /app\njava -jar app.jar'), { rules: [Rules.byId('pid1-shell-without-exec')!] });
    expect(report.workloads[0].application).toBe("container 'app': its command runs /opt/bin/start.sh (ConfigMap orders-bin start.sh), which runs java");
    expect(report.findings.map(f => f.id)).toEqual(['pid1-shell-without-exec']);
    expect(report.findings[0].message).toMatch(/"java -jar app.jar"/);
  });

  test('with exec, nothing to report', () => {
    const report = auditReport(input('#!/bin/sh\ncd /app\nexec java -jar app.jar'), { rules: [Rules.byId('pid1-shell-without-exec')!, Rules.byId('pid1-script-unverified')!] });
    expect(report.workloads[0].judgement).toBe(WorkloadJudgement.APPLICATION);
    expect(report.findings).toEqual([]);
  });
});

describe('objects of other kinds that run pods', () => {

  test('a Knative Service (real manifest) is listed as not judged, with its kind and apiVersion, not left out', () => {
    const ws = judged(fixture('knative-service.yaml'));
    expect(ws).toHaveLength(1);
    expect(ws[0].object).toMatchObject({ kind: 'Service', name: 'hello-function' });
    expect(ws[0].judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(ws[0].reason).toMatch(/^a Service \(serving\.knative\.dev\/v1\) runs pods from its spec\.template, but it is not a kind the audit knows/);
  });

  test('a jobTemplate of an unknown kind is found too; a core Service or a ConfigMap is no workload', () => {
    const ws = judged(`apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: { name: reports }
spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: r, image: acme/reports }] } } } } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: c }
data: { template: x }
`);
    expect(ws.map(w => [w.object.kind, w.judgement])).toEqual([['ScaledJob', 'not-judged']]);
    expect(ws[0].reason).toMatch(/runs pods from its spec\.jobTemplate\.spec\.template/);
  });
});

describe('a Helm template that parses (its actions in quoted strings)', () => {

  test('a real chart template: the workload is not judged, the templated value named, and no rule reports it', () => {
    const r = auditReport(docs(fixture('helm-template-quoted-image.yaml')), { rules: Rules.all() });
    expect(r.workloads).toHaveLength(1);
    expect(r.workloads[0].judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(r.workloads[0].reason).toMatch(/^its spec\.template\.spec\.containers\[0\]\.image is an unrendered Helm template: .*render it first/);
    expect(r.findings.filter(f => f.object?.name === 'integrated-order')).toEqual([]);
  });

  test('replicas or grace period as a quoted template: not judged', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        ports: [{ containerPort: 8080 }]
`, '      terminationGracePeriodSeconds: "{{ .Values.grace }}"\n'));
    expect(w.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(w.reason).toMatch(/^its spec\.template\.spec\.terminationGracePeriodSeconds is an unrendered Helm template/);
  });

  test('a bare CI placeholder and another tool\'s template in a pod annotation are not Helm templates: judged', () => {
    const [w] = judged(`apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  selector: { matchLabels: { app: orders } }
  template:
    metadata:
      labels: { app: orders }
      annotations:
        vault.hashicorp.com/agent-inject-template-db: |
          {{- with secret "database/creds/orders" -}}{{ .Data.username }}{{- end }}
    spec:
      containers:
      - name: app
        image: "{{DOCKER_IMAGE}}"
        ports: [{ containerPort: 8080 }]
`);
    expect(w.judgement).toBe(WorkloadJudgement.GENERIC);
  });

  test('another tool\'s Go template in an argument (its own fields, not .Values) is not a Helm template: judged', () => {
    const [w] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        args: ["--log-format={{.Time}} {{.Level}} {{.Message}}"]
        ports: [{ containerPort: 8080 }]
`));
    expect(w.judgement).toBe(WorkloadJudgement.GENERIC);
    // the same argument reading .Values is one
    const [h] = judged(deployment('orders', `      - name: app
        image: acme/orders:1.0
        args: ["--profile={{ .Values.profile }}"]
        ports: [{ containerPort: 8080 }]
`));
    expect(h.judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(h.reason).toMatch(/^its spec\.template\.spec\.containers\[0\]\.args\[0\] is an unrendered Helm template/);
  });
});

describe('an Argo Rollout that takes its pod template from a Deployment (spec.workloadRef)', () => {

  test('real manifest: the Rollout names the Deployment, which is judged, instead of asking to fix a template it need not have', () => {
    const ws = judged(fixture('argo-rollout-workload-ref.yaml'));
    expect(ws.map(w => [w.object.kind, w.judgement])).toEqual([['Deployment', 'generic'], ['Rollout', 'not-judged']]);
    expect(ws[1].reason).toBe("its pod template is Deployment rollout-ref-deployment's (spec.workloadRef): that Deployment of the input is judged on its "
      + 'own (with its own spec.replicas, which the Rollout overrides)');
    expect(ws[1].reason).not.toMatch(/fix or render/);
  });

  test('the Deployment not in the input: says to audit it with the Rollout', () => {
    const ws = judged(fixture('argo-rollout-workload-ref.yaml').split('\n---\n')[1]);
    expect(ws[0].reason).toMatch(/that Deployment is not in the input: audit it together with this Rollout$/);
  });
});

describe('an application next to the Cloud SQL Auth proxy', () => {

  test('real manifest: the proxy is infrastructure, so the application (no declared port, selected by a Service) is judged by the container rules', () => {
    const r = auditReport(docs(fixture('cloudsql-proxy-sidecar.yaml')), { rules: Rules.all() });
    expect(r.workloads.map(w => [w.object.name, w.judgement])).toEqual([['balancereader', 'application']]);
    const preStop = r.findings.filter(f => f.id === 'prestop-missing');
    expect(preStop.map(f => f.path)).toEqual(['spec.template.spec.containers[0].lifecycle.preStop']);
    expect(preStop[0].message).toMatch(/^container 'balancereader' \(JVM: env JVM_OPTS\)/);
  });

  test.each(['gcr.io/cloudsql-docker/gce-proxy:1.37.10', 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0'])('%s is a proxy', image => {
    const [w] = judged(deployment('proxy', `      - name: p
        image: ${image}
        ports: [{ containerPort: 5432 }]
`));
    expect(w.reason).toMatch(/is a proxy or mesh component/);
  });
});

describe('an application next to a sidecar the audit does not know', () => {
  const manifest = (sidecarImage: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  replicas: 2
  selector: { matchLabels: { app: orders } }
  template:
    metadata: { labels: { app: orders } }
    spec:
      containers:
      - name: app
        image: acme/orders:1.0
        command: ["java", "-jar", "/app.jar"]
      - name: agent
        image: ${sidecarImage}
---
apiVersion: v1
kind: Service
metadata: { name: orders }
spec:
  selector: { app: orders }
  ports: [{ port: 80, targetPort: 8080 }]
`;

  test('the one container that runs a JVM is judged by the container rules, the unknown sidecar is not', () => {
    const r = auditReport(docs(manifest('acme/log-shipper:2.1')), { rules: Rules.all() });
    expect(r.workloads.map(w => [w.object.name, w.judgement])).toEqual([['orders', 'application']]);
    const preStop = r.findings.filter(f => f.id === 'prestop-missing');
    expect(preStop.map(f => f.path)).toEqual(['spec.template.spec.containers[0].lifecycle.preStop']);
  });

  test('two JVM containers and no port: neither is picked (which one serves is not known)', () => {
    const r = auditReport(docs(manifest('eclipse-temurin:21-jre')), { rules: Rules.all() });
    expect(r.findings.filter(f => f.id === 'prestop-missing')).toEqual([]);
  });
});

describe('an OpenShift Template', () => {

  test('real manifest: listed as not judged with the workloads it holds and how to process it, instead of "no findings" and no summary', () => {
    const ws = judged(fixture('openshift-template-nacos.yaml'));
    expect(ws).toHaveLength(1);
    expect(ws[0].object).toMatchObject({ kind: 'Template', name: 'nacos-template' });
    expect(ws[0].judgement).toBe(WorkloadJudgement.NOT_JUDGED);
    expect(ws[0].reason).toMatch(/^an OpenShift Template: its workloads \(StatefulSet nacos, Deployment mysql\) are objects only once `oc process`/);
  });
});
