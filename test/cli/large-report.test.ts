import { formatReport, JudgedObject } from '../../src/cli/format';

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
