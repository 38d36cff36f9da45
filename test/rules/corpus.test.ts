/**
 * The engine over real public manifests and Dockerfiles (test/fixtures/real-world, each file with its
 * source repository, path and commit in its header). Not a snapshot: nothing may crash, and a few findings
 * that are certain from the files themselves must be there, with their numbers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { audit, AuditInput, Finding } from '../../src/rules';

const DIR = path.join(__dirname, '..', 'fixtures', 'real-world');

function load(file: string): AuditInput {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  if (file.endsWith('.Dockerfile')) {
    // companion scripts are appended as "# | " comment lines after a "# ---- companion file: <path>" header
    const scripts: { [p: string]: string } = {};
    const m = /# ---- companion file: (\S+)[^\n]*\n((?:# \|[^\n]*\n?)*)/.exec(text);
    if (m) scripts[m[1]] = m[2].split('\n').map(l => l.replace(/^# \| ?/, '')).join('\n');
    return { documents: [], dockerfiles: [{ file, content: text, scripts }] };
  }
  const documents = YAML.parseAllDocuments(text)
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => d.errors.length === 0) // unrendered templates
    .map(({ d, index }) => ({ object: d.toJS(), file, index }))
    .filter(x => x.object);
  return { documents };
}

const files = fs.readdirSync(DIR).filter(f => /\.(ya?ml|Dockerfile)$/.test(f)).sort();
const results = new Map<string, Finding[]>(files.map(f => [f, audit(load(f))]));
const of = (prefix: string, id: string) => [...results.entries()]
  .filter(([f]) => f.startsWith(prefix)).flatMap(([, found]) => found).filter(f => f.id === id);

describe('real-world corpus', () => {
  test('every file is audited without an exception, every finding is well formed', () => {
    expect(files.length).toBeGreaterThan(15);
    for (const found of results.values()) {
      for (const f of found) expect([f.object?.name, f.path, f.message, f.remediation].every(Boolean)).toBe(true);
    }
  });

  test('case 15: CMD in shell form with two commands: the shell stays PID 1 unless it is bash 5.1+ (the image\'s /bin/sh is bash, version unknown)', () => {
    expect(of('15-', 'pid1-shell-without-exec')).toEqual([]);
    const [f] = of('15-', 'pid1-shell-may-not-exec');
    expect(f.path).toBe('line 28');
    expect(f.message).toMatch(/\/bin\/sh is bash \(image .*java:21-anolis\); which bash version the image has is not known/);
    expect(f.message).toMatch(/dash .* never does; bash 5\.1 and later does unless/);
  });

  test('case 18: entrypoint.sh runs java without exec', () => {
    expect(of('18-', 'pid1-shell-without-exec')[0].message).toMatch(/bash script's last command .*does not start with 'exec'/s);
  });

  test('case df01: entrypoint.sh execs java, then has lines that never run: no PID 1 finding', () => {
    expect(of('df01-', 'pid1-shell-without-exec')).toEqual([]);
    expect(of('df01-', 'pid1-shell-may-not-exec')).toEqual([]);
  });

  test('case df02: sh -c runs a script whose last command is java without exec; BusyBox execs the script, which stays PID 1', () => {
    const [f] = of('df02-', 'pid1-shell-without-exec');
    expect(f.path).toBe('line 23'); // line 13 of the Dockerfile, under the 10-line header
    expect(f.message).toMatch(/BusyBox ash .*\("java -jar \/app\.jar"\) does not start with 'exec'/s);
  });

  test('cases 02 and 14: entrypoint scripts that exec java pass', () => {
    expect([...of('02-codingsoldier-cloud-web-02.Dockerfile', 'pid1-shell-without-exec'), ...of('14-scheduler-service.Dockerfile', 'pid1-shell-without-exec')]).toEqual([]);
  });

  test('case 10: preStop sleep 30 against the default grace period of 30 s', () => {
    const [f] = of('10-', 'prestop-wait-exceeds-grace');
    expect([f.object?.name, f.message]).toEqual(['spring-cloud-b-gray', expect.stringContaining('waits 30 s (sleep 30)')]);
  });

  test('case 13: Eureka OUT_OF_SERVICE with no wait; consumers call for 95 s', () => {
    expect(of('13-', 'takeout-without-wait')[0].message).toContain('up to 95 s');
  });

  test('case 09: two services share Consul\'s default check on port 14001', () => {
    expect(of('09-', 'consul-check-collision').map(f => f.object?.name)).toEqual(['bookstore', 'bookwarehouse']);
  });

  test('nothing about the database and no registry claims without evidence (cases 05, 06)', () => {
    const found = [...of('05-', 'prestop-missing'), ...of('06-', 'prestop-missing')];
    // tier 1: the services with a container port are judged whatever they run; the database never is
    expect(found.map(f => f.object?.name).sort()).toEqual(['licensingservice', 'organizationservice']);
    const all = [...results.entries()].filter(([f]) => f.startsWith('05-') || f.startsWith('06-')).flatMap(([, x]) => x);
    expect(all.filter(f => f.object?.name === 'database')).toEqual([]);
    expect(all.filter(f => /registry-backed|registered with|Nacos|Eureka|Consul/.test(f.message))).toEqual([]);
    for (const f of found) expect(f.remediation).toMatch(/sleep: \{seconds: 10\}/);
  });
});
