import { sarifViolations } from './sarif-schema';
import { formatJson, formatSarif, formatText, LocatedFinding, Report, RULES_DOC_URL, sortLocated } from '../../src/cli/format';
import { Finding, FindingSeverity } from '../../src/finding';
import { Rule, RuleContext } from '../../src/rules/engine';

class FakeRule extends Rule {
  public constructor(id: string, severity: FindingSeverity) {
    super({
      id,
      severity,
      title: `${id} title`,
      description: `${id} description`,
      remediation: `${id} remediation`,
      examples: { fail: '', pass: '' },
      docsAnchor: `anchor-${id}`,
    });
  }

  public check(_ctx: RuleContext): Finding[] {
    return [];
  }
}

const RULES = [new FakeRule('shell-pid1', FindingSeverity.ERROR), new FakeRule('probe-shared', FindingSeverity.WARNING), new FakeRule('note-x', FindingSeverity.INFO)];

function finding(id: string, severity: FindingSeverity, extra: Partial<Finding> = {}): Finding {
  return { id, severity, message: `${id} message`, remediation: `${id} fix`, ...extra };
}

const FINDINGS: LocatedFinding[] = sortLocated([
  {
    finding: finding('probe-shared', FindingSeverity.WARNING, { object: { kind: 'Deployment', name: 'b', file: 'z.yaml' }, path: 'spec.template' }),
    file: 'z.yaml',
    line: 9,
  },
  {
    finding: finding('shell-pid1', FindingSeverity.ERROR, {
      object: { kind: 'Deployment', name: 'a', namespace: 'shop', file: 'a dir/x.yaml' },
      path: 'spec.template.spec.containers[0].command',
    }),
    file: 'a dir/x.yaml',
    line: 22,
  },
  { finding: finding('note-x', FindingSeverity.INFO, { object: { kind: 'Dockerfile', name: 'Dockerfile', file: 'Dockerfile' }, path: 'line 3' }), file: 'Dockerfile', line: 3 },
  { finding: finding('shell-pid1', FindingSeverity.ERROR, { object: { kind: 'Deployment', name: 'c', file: '<stdin>' } }), file: '<stdin>', line: 1 },
  { finding: finding('unknown-rule', FindingSeverity.WARNING) },
]);

const REPORT: Report = {
  findings: FINDINGS,
  rules: RULES,
  skipped: [{ file: 'helm/t.yaml', line: 3, reason: 'not valid YAML' }],
  notes: [{ file: 'ci.yaml', line: 5, reason: 'placeholder read as text' }],
  fileCount: 6,
};

test('findings are sorted by file (no file last), line, severity, rule', () => {
  expect(FINDINGS.map(f => f.file ?? '-')).toEqual(['<stdin>', 'Dockerfile', 'a dir/x.yaml', 'z.yaml', '-']);
});

test('text: grouped by file, one line per finding with the fix below, and a summary', () => {
  expect(formatText(REPORT)).toBe([
    '<stdin>',
    '  error shell-pid1 Deployment/c (line 1): shell-pid1 message',
    '    fix: shell-pid1 fix',
    '',
    'Dockerfile',
    '  info note-x Dockerfile line 3: note-x message',
    '    fix: note-x fix',
    '',
    'a dir/x.yaml',
    '  error shell-pid1 Deployment/a -n shop spec.template.spec.containers[0].command (line 22): shell-pid1 message',
    '    fix: shell-pid1 fix',
    '',
    'z.yaml',
    '  warning probe-shared Deployment/b spec.template (line 9): probe-shared message',
    '    fix: probe-shared fix',
    '',
    '(no file)',
    '  warning unknown-rule: unknown-rule message',
    '    fix: unknown-rule fix',
    '',
    '2 errors, 2 warnings, 1 info in 6 files (1 skipped)',
    '',
  ].join('\n'));
  expect(formatText({ ...REPORT, findings: [], skipped: [] })).toBe('no findings in 6 files\n');
});

test('json: a stable array with file and line', () => {
  const json = JSON.parse(formatJson(REPORT));
  expect(json).toHaveLength(5);
  expect(json[2]).toEqual({
    file: 'a dir/x.yaml',
    line: 22,
    id: 'shell-pid1',
    severity: 'error',
    object: { kind: 'Deployment', name: 'a', namespace: 'shop' },
    path: 'spec.template.spec.containers[0].command',
    message: 'shell-pid1 message',
    remediation: 'shell-pid1 fix',
  });
  expect(Object.keys(json[0])).toEqual(['file', 'line', 'id', 'severity', 'object', 'message', 'remediation']);
  expect(formatJson({ ...REPORT, findings: [] })).toBe('[]\n');
});

describe('sarif', () => {
  const sarif = JSON.parse(formatSarif(REPORT));

  test('is valid against the essential SARIF 2.1.0 schema', () => {
    expect(sarifViolations(sarif)).toEqual([]);
  });

  test('the checker catches what it should', () => {
    const broken = JSON.parse(JSON.stringify(sarif));
    delete broken.version;
    broken.runs[0].results[2].level = 'fatal';
    broken.runs[0].results[2].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].tool.driver.rules[0].extra = true;
    broken.runs[0].results[1].ruleIndex = 0;
    expect(sarifViolations(broken)).toEqual([
      "$: missing required property 'version'",
      '$.version: must be one of 2.1.0, got undefined',
      "$.runs[0].tool.driver.rules[0]: property 'extra' is not allowed",
      '$.runs[0].results[1].ruleIndex 0 does not point at rule note-x',
      '$.runs[0].results[2].level: must be one of none, note, warning, error, got "fatal"',
      '$.runs[0].results[2].locations[0].physicalLocation.region.startLine: must be an integer ≥ 1, got 0',
    ]);
  });

  test('the driver lists every rule with descriptions, help, helpUri and default level', () => {
    expect(sarif.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('cdk8s-graceful');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules).toEqual([
      {
        id: 'shell-pid1',
        name: 'ShellPid1',
        shortDescription: { text: 'shell-pid1 title' },
        fullDescription: { text: 'shell-pid1 description' },
        help: { text: 'shell-pid1 remediation' },
        helpUri: `${RULES_DOC_URL}#anchor-shell-pid1`,
        defaultConfiguration: { level: 'error' },
      },
      expect.objectContaining({ id: 'probe-shared', defaultConfiguration: { level: 'warning' } }),
      expect.objectContaining({ id: 'note-x', defaultConfiguration: { level: 'note' } }),
    ]);
  });

  test('results: rule, level, message, relative URI with line, logical location', () => {
    const results = sarif.runs[0].results;
    expect(results.map((r: any) => r.level)).toEqual(['error', 'note', 'error', 'warning', 'warning']);
    expect(results[2]).toEqual({
      ruleId: 'shell-pid1',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'shell-pid1 message' },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'a%20dir/x.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 22 } },
        logicalLocations: [{ name: 'a', fullyQualifiedName: 'shop/Deployment/a', kind: 'resource' }],
      }],
      properties: { remediation: 'shell-pid1 fix', path: 'spec.template.spec.containers[0].command' },
    });
    // standard input has no artifact; a rule the driver does not list has no ruleIndex
    expect(results[0].locations[0].physicalLocation).toBeUndefined();
    expect(results[4]).not.toHaveProperty('ruleIndex');
    expect(results[4].locations).toEqual([]);
  });

  test('skipped files and notes are tool execution notifications', () => {
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'warning', message: { text: 'helm/t.yaml:3: skipped: not valid YAML' } }),
      expect.objectContaining({ level: 'note', message: { text: 'ci.yaml:5: note: placeholder read as text' } }),
    ]);
  });
});
