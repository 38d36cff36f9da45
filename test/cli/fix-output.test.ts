// The structured fix (Finding.fix) reaches the machine-readable outputs: json, json-report and SARIF
// properties, redacted like every other text.
import * as path from 'path';
import { sarifViolations } from './sarif-schema';
import { formatReport, Report } from '../../src/cli/format';
import { run } from '../../src/cli/main';
import { FindingSeverity } from '../../src/finding';

const ROOT = path.join(__dirname, '..', '..');
const FAIL = path.join(ROOT, 'rules', 'examples', 'grace-below-prestop-and-shutdown', 'fail.yaml');

function runCli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { cwd: ROOT, stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { code, stdout, stderr };
}

test('json: a finding with a structured fix carries it as { path, value }', () => {
  const res = runCli(['audit', '--format', 'json', FAIL]);
  const grace = JSON.parse(res.stdout).find((f: any) => f.id === 'grace-below-prestop-and-shutdown');
  expect(grace.fix).toEqual([{ path: 'spec.template.spec.terminationGracePeriodSeconds', value: expect.any(Number) }]);
  expect(grace.remediation).toContain(String(grace.fix[0].value));
});

test('json-report and SARIF carry the same fix; SARIF stays valid', () => {
  const report = JSON.parse(runCli(['audit', '--format', 'json-report', FAIL]).stdout);
  const fromJson = JSON.parse(runCli(['audit', '--format', 'json', FAIL]).stdout);
  expect(report.findings.map((f: any) => f.fix)).toEqual(fromJson.map((f: any) => f.fix));
  const sarif = JSON.parse(runCli(['audit', '--format', 'sarif', FAIL]).stdout);
  expect(sarifViolations(sarif)).toEqual([]);
  const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'grace-below-prestop-and-shutdown');
  expect(result.properties.fix).toEqual(fromJson.find((f: any) => f.id === 'grace-below-prestop-and-shutdown').fix);
});

test('findings without a structured fix have no fix field', () => {
  const res = runCli(['audit', '--format', 'json', path.join(ROOT, 'rules', 'examples', 'pdb-missing', 'fail.yaml')]);
  const pdb = JSON.parse(res.stdout).find((f: any) => f.id === 'pdb-missing');
  expect(pdb).toBeDefined();
  expect('fix' in pdb).toBe(false);
});

test('a credential inside a fix value is redacted in every format', () => {
  const secret = 'Sup3rS3cretPw';
  const report: Report = {
    findings: [{
      finding: {
        id: 'x',
        severity: FindingSeverity.WARNING,
        message: 'm',
        remediation: 'r',
        object: { kind: 'Deployment', name: 'orders' },
        fix: [{ path: 'spec.template.spec.containers[0].env[0].value', value: { url: `http://nacos:${secret}@nacos:8848`, n: 3, on: true } }],
      },
      file: 'a.yaml',
      line: 1,
    }],
    rules: [],
    skipped: [],
    fileCount: 1,
  };
  for (const format of ['json', 'json-report', 'sarif'] as const) {
    const out = formatReport(report, format);
    expect(out).not.toContain(secret);
    expect(out).toContain('"n": 3');
  }
});
