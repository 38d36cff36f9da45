import { formatReport, formatReportChunks, JudgedObject, LocatedFinding, Report } from '../../src/cli/format';
import { FindingSeverity } from '../../src/finding';
import { WorkloadJudgement } from '../../src/rules/classification';

/*
 * No output format spreads an unbounded list into a call: a report with more lines than a call can take
 * arguments (about 120,000 in V8) is written whole. JUnit writes a few lines per judged object.
 */
test('a JUnit report of 200,000 judged objects is written whole', () => {
  const judged: JudgedObject[] = [];
  for (let i = 0; i < 200_000; i++) judged.push({ file: 'big.yaml', object: `ConfigMap/c-${i}` });
  const out = formatReport({ findings: [], rules: [], skipped: [], fileCount: 1, files: ['big.yaml'], judged }, 'junit');
  expect(out.startsWith('<?xml') || out.startsWith('<testsuites')).toBe(true);
  expect(out.trimEnd().endsWith('</testsuites>')).toBe(true);
  expect(out.match(/<testcase /g)).toHaveLength(200_000);
});

/*
 * The text and JSON formats are written in pieces (the CLI never holds a large report as one string beside the
 * parsed input), and the pieces join into exactly what one JSON.stringify / join would give.
 */
describe('the text and JSON reports are written in pieces', () => {
  const located = (i: number): LocatedFinding => ({
    finding: {
      id: i % 2 ? 'prestop-missing' : 'single-replica',
      severity: i % 3 ? FindingSeverity.WARNING : FindingSeverity.ERROR,
      message: `message "${i}"\nwith a newline and a tab\t`,
      remediation: 'fix ≥ 1 × it',
      object: { kind: 'Deployment', name: `d-${i}`, ...(i % 4 ? { namespace: 'shop' } : {}), file: `f${i % 3}.yaml` },
      ...(i % 5 ? { path: 'spec.replicas' } : {}),
      ...(i % 7 === 0 ? { fix: [{ path: 'spec.replicas', value: 2 }, { path: 'spec.x', value: { a: [1, 'b', null] } }] } : {}),
    },
    file: `f${i % 3}.yaml`,
    ...(i % 2 ? { line: i } : {}),
  });
  const report = (n: number): Report => ({
    findings: Array.from({ length: n }, (_, i) => located(i)),
    rules: [],
    skipped: [],
    fileCount: 3,
    workloads: Array.from({ length: n }, (_, i) => ({
      workload: { object: { kind: 'Deployment', name: `d-${i}` }, judgement: WorkloadJudgement.GENERIC, reason: `why ${i}`, serving: 'a port' },
      file: `f${i % 3}.yaml`,
      line: i + 1,
    })),
  });

  test.each([0, 1, 3])('%i findings: json and json-report are what JSON.stringify gives', n => {
    const r = report(n);
    const findings = JSON.parse(formatReport(r, 'json'));
    expect(formatReport(r, 'json')).toBe(JSON.stringify(findings, null, 2) + '\n');
    const whole = JSON.parse(formatReport(r, 'json-report'));
    expect(formatReport(r, 'json-report')).toBe(JSON.stringify(whole, null, 2) + '\n');
    expect(whole.findings).toEqual(findings);
    expect(whole.workloads).toHaveLength(n);
    expect(Object.keys(whole)).toEqual(['findings', 'workloads', 'summary']);
  });

  test.each(['text', 'json', 'json-report'] as const)('%s: 20,000 findings come in many pieces that join into the report', format => {
    const r = report(20_000);
    const chunks = [...formatReportChunks(r, format)];
    expect(chunks.length).toBeGreaterThan(20);
    expect(Math.max(...chunks.map(c => c.length))).toBeLessThan(1024 * 1024);
    const joined = chunks.join('');
    if (format === 'text') {
      // every finding is in the text, each once (its message names it), in the report's order
      const named = [...joined.matchAll(/message "(\d+)"/g)].map(m => Number(m[1]));
      expect(named).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    } else {
      // the pieces join into what one JSON.stringify of the parsed whole gives, with every finding in it
      const whole = JSON.parse(joined);
      expect(joined).toBe(JSON.stringify(whole, null, 2) + '\n');
      const findings = format === 'json' ? whole : whole.findings;
      expect(findings).toHaveLength(20_000);
      expect(findings[19_999].message).toBe('message "19999"\nwith a newline and a tab\t');
      if (format === 'json-report') expect(whole.workloads).toHaveLength(20_000);
    }
  });
});
