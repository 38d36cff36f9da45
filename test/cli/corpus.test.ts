// The whole real-world corpus (public manifests and Dockerfiles of Spring Cloud services, beside the
// repository) through the CLI in every format: it runs to the end without a crash, the unrendered Helm
// templates get one message each, and a few findings we are sure of are there.
import * as fs from 'fs';
import * as path from 'path';
import { cli, CORPUS } from './cli';
import { sarifViolations } from './sarif-schema';

jest.setTimeout(60_000);

const corpusName = path.basename(CORPUS);
const cwd = path.dirname(CORPUS);
const files = fs.readdirSync(CORPUS).filter(f => /\.ya?ml$|Dockerfile$/.test(f));

/** Runs once per format. */
const runs: Record<string, ReturnType<typeof cli>> = {};
function run(format: string) {
  runs[format] ??= cli(['audit', '--format', format, corpusName], { cwd });
  return runs[format];
}

test('the corpus is there', () => {
  expect(files.length).toBeGreaterThanOrEqual(20);
});

describe.each(['text', 'json', 'sarif'])('--format %s', (format) => {
  test('runs to the end: exit 1 (the corpus has errors), no crash, one message per unrendered template', () => {
    const res = run(format);
    expect(res.stderr).not.toMatch(/internal error|\n\s+at \S+ \(/);
    expect(res.code).toBe(1);
    const messages = res.stderr.trim().split('\n');
    expect(messages).toEqual([
      `cdk8s-graceful: ${corpusName}/01-codingsoldier-cloud-web-02-nacos.yaml:38: note: template placeholder \`{{DOCKER_IMAGE}}\` read as text;`
      + ' the audit sees the file as it is before CI substitutes it',
      `cdk8s-graceful: ${corpusName}/02-codingsoldier-cloud-web-02-dev-prestop-script.yaml:38: note: template placeholder \`{{DOCKER_IMAGE}}\``
      + ' read as text; the audit sees the file as it is before CI substitutes it',
      expect.stringMatching(new RegExp(`^cdk8s-graceful: ${corpusName}/03-hundun-helm-api-service\\.yaml:19: skipped: not valid YAML: .*`
        + 'unrendered Helm template \\(`\\{\\{ \\.Values\\.appname \\}\\}` at line 13\\): render it first')),
      expect.stringMatching(new RegExp(`^cdk8s-graceful: ${corpusName}/11-mse-helm-cartservice1\\.yaml:35: skipped: not valid YAML: .*unrendered Helm template`)),
    ]);
  });
});

test('text: every audited file with findings is a group, the summary counts all files', () => {
  const out = run('text').stdout;
  expect(out).toMatch(new RegExp(`\\n\\d+ errors, \\d+ warnings, \\d+ info in ${files.length} files \\(2 skipped\\)\\n$`));
  expect(out).not.toContain('03-hundun-helm-api-service.yaml\n');
});

test('json and sarif hold the same findings', () => {
  const json = JSON.parse(run('json').stdout);
  const sarif = JSON.parse(run('sarif').stdout);
  expect(sarifViolations(sarif)).toEqual([]);
  const fromJson = json.map((f: any) => `${f.file}:${f.line} ${f.id} ${f.severity}`);
  const level: Record<string, string> = { error: 'error', warning: 'warning', note: 'info' };
  const fromSarif = sarif.runs[0].results.map((r: any) =>
    `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine} ${r.ruleId} ${level[r.level]}`);
  expect(fromSarif).toEqual(fromJson);
  expect(sarif.runs[0].invocations[0].toolExecutionNotifications.filter((n: any) => n.level === 'warning')).toHaveLength(2);
});

describe('findings we are sure of', () => {
  const find = (file: string, id: string) => JSON.parse(run('json').stdout).filter((f: any) => f.file === `${corpusName}/${file}` && f.id === id);

  test('07 JHipster store (Eureka, port 8082): no preStop at all', () => {
    expect(find('07-jhipster-store-eureka.yaml', 'prestop-missing')).toEqual([
      expect.objectContaining({ severity: 'error', object: { kind: 'Deployment', name: 'store', namespace: 'demo' }, message: expect.stringContaining('Eureka') }),
    ]);
  });

  test('10 MSE gray Deployment: preStop sleeps 30 s inside the default 30 s grace period', () => {
    expect(find('10-mse-spring-cloud-b-offline-hook.yaml', 'prestop-wait-exceeds-grace')).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: expect.objectContaining({ kind: 'Deployment', name: 'spring-cloud-b-gray' }),
        path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command',
        line: 99,
      }),
    ]);
  });

  test('13 Scorpio: preStop sets the Eureka status OUT_OF_SERVICE and returns at once', () => {
    expect(find('13-scorpio-entity-manager-eureka.yaml', 'takeout-without-wait')).toEqual([
      expect.objectContaining({ severity: 'error', object: expect.objectContaining({ name: 'entity-manager' }), line: 43 }),
    ]);
  });

  test('15 pig: CMD shell form `sleep 30;java …` on a bash image: the bash version decides (warning)', () => {
    expect(find('15-pig-upms-biz.Dockerfile', 'pid1-shell-without-exec')).toEqual([]);
    expect(find('15-pig-upms-biz.Dockerfile', 'pid1-shell-may-not-exec')).toEqual([expect.objectContaining({ severity: 'warning', line: 28 })]);
  });

  test('17 hellogit: ENTRYPOINT ["/bin/sh","-c","java …"] on openjdk:8 (Debian: dash does not exec)', () => {
    expect(find('17-k8s-hellogit.Dockerfile', 'pid1-shell-without-exec')).toEqual([expect.objectContaining({ severity: 'error', line: 19 })]);
  });
});
