import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sarifViolations } from './sarif-schema';
import { formatReport, LocatedWorkload, Report } from '../../src/cli/format';
import { run } from '../../src/cli/main';
import { WorkloadJudgement } from '../../src/rules';

const W: LocatedWorkload[] = [
  {
    file: 'a.yaml',
    line: 1,
    workload: {
      object: { kind: 'Deployment', name: 'orders', file: 'a.yaml', index: 0 },
      judgement: WorkloadJudgement.APPLICATION,
      reason: "Spring/JVM (container 'app': env JAVA_OPTS); registers with Nacos (…); serves traffic (container 'app' declares a port)",
      application: "container 'app': env JAVA_OPTS",
      registry: 'Nacos',
      serving: "container 'app' declares a port",
    },
  },
  {
    file: 'a.yaml',
    line: 30,
    workload: {
      object: { kind: 'Deployment', name: 'web', namespace: 'shop', file: 'a.yaml', index: 1 },
      judgement: WorkloadJudgement.GENERIC,
      reason: "serves traffic (container 'web' declares a port); its application is not recognised: tier-1 rules only",
      serving: "container 'web' declares a port",
    },
  },
  {
    file: 'b.yaml',
    line: 4,
    workload: {
      object: { kind: 'Deployment', name: 'db', file: 'b.yaml', index: 0 },
      judgement: WorkloadJudgement.NOT_JUDGED,
      reason: 'infrastructure: image postgres:16 is a database; env JAVA_OPTS -Dspring.datasource.password=hunter2',
    },
  },
];

const REPORT: Report = {
  findings: [],
  rules: [],
  skipped: [],
  fileCount: 2,
  files: ['a.yaml', 'b.yaml'],
  workloads: W,
  judged: [{ file: 'a.yaml', object: 'Deployment/orders' }, { file: 'a.yaml', object: 'Deployment/web -n shop' }, { file: 'b.yaml', object: 'Deployment/db' }],
};

test('text: counts, then each generic and not-judged workload with its reason, then the findings summary', () => {
  const text = formatReport(REPORT, 'text');
  expect(text.split('\n')).toEqual([
    '3 workloads: 1 judged as Spring/JVM (1 with a service registry), 1 generic (tier-1 rules only), 1 not judged',
    "  generic Deployment/web -n shop (a.yaml:30): serves traffic (container 'web' declares a port); its application is not recognised: tier-1 rules only",
    '  not judged Deployment/db (b.yaml:4): infrastructure: image postgres:16 is a database; env JAVA_OPTS -Dspring.datasource.password=<redacted>',
    '',
    'no findings in 2 files',
    '',
  ]);
});

test('text: nothing extra when every workload was judged as an application', () => {
  expect(formatReport({ ...REPORT, workloads: [W[0]] }, 'text')).toBe('no findings in 2 files\n');
});

test('json-report: findings, every workload with its judgement, and the counts', () => {
  const json = JSON.parse(formatReport(REPORT, 'json-report'));
  expect(json.findings).toEqual([]);
  expect(json.summary).toEqual({ application: 1, withRegistry: 1, generic: 1, notJudged: 1 });
  expect(json.workloads.map((w: any) => [w.object.name, w.judgement])).toEqual([['orders', 'application'], ['web', 'generic'], ['db', 'not-judged']]);
  expect(json.workloads[0]).toMatchObject({ file: 'a.yaml', line: 1, registry: 'Nacos', serving: "container 'app' declares a port" });
  expect(JSON.stringify(json)).not.toContain('hunter2');
});

test('sarif: run properties carry the classification; generic and not-judged workloads are notifications; the log stays valid', () => {
  const sarif = JSON.parse(formatReport(REPORT, 'sarif'));
  expect(sarifViolations(sarif)).toEqual([]);
  const runs = sarif.runs[0];
  expect(runs.properties.summary).toEqual({ application: 1, withRegistry: 1, generic: 1, notJudged: 1 });
  expect(runs.properties.workloads).toHaveLength(3);
  const texts = runs.invocations[0].toolExecutionNotifications.map((n: any) => n.message.text);
  expect(texts).toEqual([
    "a.yaml:30: Deployment/web -n shop judged generically (tier-1 rules only): serves traffic (container 'web' declares a port); its application is not recognised: tier-1 rules only",
    'b.yaml:4: Deployment/db not judged: infrastructure: image postgres:16 is a database; env JAVA_OPTS -Dspring.datasource.password=<redacted>',
  ]);
});

test('junit: a not-judged workload is a skipped test case with the reason', () => {
  const xml = formatReport(REPORT, 'junit');
  expect(xml).toContain('<testcase classname="b.yaml" name="Deployment/db">\n      <skipped message="not judged: infrastructure: image postgres:16 is a database; env JAVA_OPTS -Dspring.datasource.password=&lt;redacted&gt;"/>');
  expect(xml).toContain('<testcase classname="a.yaml" name="Deployment/web -n shop"/>');
  expect(xml).toMatch(/<testsuites name="cdk8s-graceful" tests="3" failures="0" errors="0" skipped="1">/);
});

test('the CLI: text ends with the classification of the real input; json-report carries the same', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-summary-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: { name: database }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: "postgres:9.5", ports: [{ containerPort: 5432 }] }] }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate }
spec: { template: { spec: { restartPolicy: Never, containers: [{ name: m, image: acme/migrate }] } } }
`);
    const out: string[] = [];
    const io = { cwd: dir, stdout: (t: string) => out.push(t), stderr: () => undefined };
    expect(run(['audit', '--no-config', 'm.yaml'], io)).toBe(0);
    expect(out.join('')).toBe([
      '2 workloads: 0 judged as Spring/JVM (0 with a service registry), 0 generic (tier-1 rules only), 2 not judged',
      '  not judged Deployment/database (m.yaml:1): infrastructure: image postgres:9.5 is a database; the audit judges the applications that use '
        + 'such servers, not the servers themselves, even with its container port',
      '  not judged Job/migrate (m.yaml:10): a Job runs to completion: it takes no traffic to drain and is not rolled out',
      '',
      'no findings in 1 file',
      '',
    ].join('\n'));
    out.length = 0;
    expect(run(['audit', '--no-config', '--format', 'json-report', 'm.yaml'], io)).toBe(0);
    const json = JSON.parse(out.join(''));
    expect(json.summary).toEqual({ application: 0, withRegistry: 0, generic: 0, notJudged: 2 });
    expect(json.workloads.map((w: any) => `${w.file}:${w.line} ${w.object.kind}/${w.object.name}`)).toEqual(['m.yaml:1 Deployment/database', 'm.yaml:10 Job/migrate']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the real-world fixtures: every workload is judged or listed as not judged with its reason', () => {
  const out: string[] = [];
  const io = { cwd: path.join(__dirname, '..', 'fixtures'), stdout: (t: string) => out.push(t), stderr: () => undefined };
  run(['audit', '--no-config', '--fail-on', 'none', '--format', 'json-report', 'real-world'], io);
  const json = JSON.parse(out.join(''));
  // every Deployment, StatefulSet, Job … document of the fixtures (the two unrendered Helm files are skipped by the loader)
  const documents = fs.readdirSync(path.join(__dirname, '..', 'fixtures', 'real-world')).filter(f => f.endsWith('.yaml'))
    .map(f => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'real-world', f), 'utf-8'))
    .filter(t => !/\{\{\s*\.Values/.test(t))
    .map(t => (t.match(/^kind: (Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod)\s*$/gm) ?? []).length)
    .reduce((a, b) => a + b, 0);
  // and every Dockerfile
  const dockerfiles = fs.readdirSync(path.join(__dirname, '..', 'fixtures', 'real-world')).filter(f => f.endsWith('.Dockerfile')).length;
  expect(json.workloads.filter((w: any) => w.object.kind !== 'Dockerfile')).toHaveLength(documents);
  expect(json.workloads.filter((w: any) => w.object.kind === 'Dockerfile')).toHaveLength(dockerfiles);
  for (const w of json.workloads) expect(w.reason.length).toBeGreaterThan(20);
  // the 10 Dockerfiles all show a JVM (java in the command, or a JDK base image)
  expect(json.summary).toEqual({ application: 13 + 10, withRegistry: 11, generic: 2, notJudged: 2 });
  expect(json.workloads.filter((w: any) => w.judgement === 'not-judged').map((w: any) => w.object.name)).toEqual(['database', 'zuul-controller']);
});

test('a Dockerfile is listed too: judged as a JVM image, judged by the rules for any image, or not judged with why', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-df-summary-'));
  try {
    fs.writeFileSync(path.join(dir, 'java.Dockerfile'), 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n');
    fs.writeFileSync(path.join(dir, 'node.Dockerfile'), 'FROM node:20\nCMD node server.js\n');
    fs.writeFileSync(path.join(dir, 'tools.Dockerfile'), 'FROM alpine:3.19\nRUN apk add curl\n');
    const out: string[] = [];
    run(['audit', '--no-config', '--fail-on', 'none', dir], { cwd: dir, stdout: (t: string) => out.push(t), stderr: () => undefined });
    const text = out.join('');
    expect(text).toMatch(/^3 Dockerfiles: 1 judged as Spring\/JVM \(0 with a service registry\), 1 generic \(tier-1 rules only\), 1 not judged$/m);
    expect(text).toMatch(/^ {2}generic Dockerfile \(.*node\.Dockerfile\): it runs \["\/bin\/sh","-c","node server\.js"\] \(CMD, line 2\); no sign of a JVM/m);
    expect(text).toMatch(/^ {2}not judged Dockerfile \(.*tools\.Dockerfile\): its final stage \(FROM alpine:3\.19\) has no ENTRYPOINT or CMD/m);
    const json: string[] = [];
    run(['audit', '--no-config', '--fail-on', 'none', '--format', 'json-report', dir], { cwd: dir, stdout: (t: string) => json.push(t), stderr: () => undefined });
    const report = JSON.parse(json.join(''));
    const java = report.workloads.find((w: any) => w.file.endsWith('java.Dockerfile'));
    expect(java).toMatchObject({ judgement: 'application', application: 'its command runs java', object: { kind: 'Dockerfile' } });
    expect(java.reason).toMatch(/^JVM image \(its command runs java\); it runs \["java","-jar","\/app\.jar"\] \(ENTRYPOINT, line 3\)$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
