/**
 * Hostile input must not hang the audit: 1 MB lines shaped to make a backtracking regular expression or
 * a quadratic scan blow up. The bound is generous (a loaded 2-core machine); a quadratic pattern over 1 MB
 * takes hours, so the bound still tells the two apart.
 */
import { redact } from '../../src/redact';
import { audit } from '../../src/rules';

const MB = 1_000_000;
/** Generous: linear work over 1 MB takes well under a second here. */
const BOUND_MS = 20_000;

function timed(fn: () => unknown): number {
  const t = Date.now();
  fn();
  return Date.now() - t;
}

const dockerfiles: [string, string][] = [
  ['1 MB of spaces before a word in RUN', `FROM x\nRUN ${' '.repeat(MB)}x\n`],
  ['1 MB of spaces in CMD', `FROM x\nCMD ${' '.repeat(MB)}\n`],
  ['an unclosed exec form of 1 MB', `FROM x\nENTRYPOINT [${' '.repeat(MB)}\n`],
  ['1 MB of escaped spaces', `FROM x\nCMD ${'\\ '.repeat(MB / 2)}\n`],
  ['a continuation of 1 MB of spaces', `FROM x\nRUN a ${' '.repeat(MB)}\\\n b\n`],
  ['COPY with 500k sources', `FROM x\nCOPY ${'a '.repeat(MB / 2)}/d/\n`],
  ['ENV of 1 MB', `FROM x\nENV JAVA_OPTS=${'-D'.repeat(MB / 2)}\n`],
];

test.each(dockerfiles)('Dockerfile: %s', (_name, content) => {
  expect(timed(() => audit({ documents: [], dockerfiles: [{ file: 'Dockerfile', content }] }))).toBeLessThan(BOUND_MS);
});

const deployment = (container: object) => ({
  object: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'a' },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'eclipse-temurin:21', ports: [{ containerPort: 8080 }], ...container }] } } },
  },
});

const manifests: [string, object][] = [
  ['sh -c with 1 MB of spaces', { command: ['sh', '-c', `${' '.repeat(MB)}java -jar a.jar`] }],
  ['sh -c with 1 MB of quotes', { command: ['sh', '-c', '"'.repeat(MB)] }],
  ['sh -c with 1 MB of backslashes', { command: ['sh', '-c', `${'\\'.repeat(MB)}x`] }],
  ['sh -c with 500k unclosed $(', { command: ['sh', '-c', '$('.repeat(MB / 2)] }],
  ['a preStop sleep with 1 MB of spaces', { lifecycle: { preStop: { exec: { command: ['sh', '-c', `sleep${' '.repeat(MB)}1`] } } } }],
  ['a preStop curl to a 1 MB URL', { lifecycle: { preStop: { exec: { command: ['sh', '-c', `curl http://${'/'.repeat(MB)}; sleep 5`] } } } }],
  ['1 MB JVM options', { env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-D'.repeat(MB / 2) }, { name: 'SPRING_APPLICATION_JSON', value: '{'.repeat(MB) }] }],
];

test.each(manifests)('manifest: %s', (_name, container) => {
  expect(timed(() => audit({ documents: [deployment(container)] }))).toBeLessThan(BOUND_MS);
});

// Every finding, error and CLI line goes through the redaction: it must stay linear on the same input.
const texts: [string, string][] = [
  ['1 MB of backslashes', '\\'.repeat(MB)],
  ['a JSON password of 1 MB of backslashes', `"password":"${'\\'.repeat(MB)}`],
  ['an escaped JSON password of 1 MB of backslashes', `\\"password\\":\\"${'\\'.repeat(MB)}`],
  ['a password= flag of 1 MB of backslashes', `-Dspring.cloud.nacos.discovery.password=${'\\'.repeat(MB)}`],
  ['a token query parameter of 1 MB of backslashes', `http://nacos:8848/x?accessToken=${'\\'.repeat(MB)}`],
  ['500k JSON keys', '"a":'.repeat(MB / 4)],
  ['1 MB of user:password@ fragments', 'http://a:b@'.repeat(MB / 11)],
];

test.each(texts)('redaction: %s', (_name, text) => {
  expect(timed(() => redact(text))).toBeLessThan(BOUND_MS);
});
