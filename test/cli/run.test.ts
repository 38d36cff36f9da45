// The CLI in process, with stand-in rules, for what does not depend on the real catalogue: --fail-on
// thresholds, rule selection, a rule that throws.
import { FIXTURES } from './cli';
import { EXIT, run } from '../../src/cli/main';
import { Finding, FindingSeverity } from '../../src/finding';
import { Rule, RuleContext, Rules } from '../../src/rules/engine';

/** Reports every Deployment once, at its severity. */
class EveryDeployment extends Rule {
  public constructor(id: string, severity: FindingSeverity) {
    super({ id, severity, title: id, description: id, remediation: `fix ${id}`, examples: { fail: '', pass: '' } });
  }

  public check(ctx: RuleContext): Finding[] {
    return ctx.documents.filter(d => d.object.kind === 'Deployment').map(d => ({
      id: this.id,
      severity: this.severity,
      message: `${this.id} on ${d.object.metadata.name}`,
      remediation: this.remediation,
      object: { kind: 'Deployment', name: d.object.metadata.name, namespace: d.object.metadata.namespace, file: d.file, index: d.index },
      path: 'spec.template.spec.containers[0].command',
    }));
  }
}

class Throws extends EveryDeployment {
  public check(): Finding[] {
    throw new Error('boom');
  }
}

function runCli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { cwd: FIXTURES, stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { code, stdout, stderr };
}

let rules: Rule[];
beforeEach(() => {
  rules = [new EveryDeployment('r-error', FindingSeverity.ERROR), new EveryDeployment('r-warning', FindingSeverity.WARNING),
    new EveryDeployment('r-info', FindingSeverity.INFO)];
  jest.spyOn(Rules, 'all').mockImplementation(() => [...rules]);
  jest.spyOn(Rules, 'byId').mockImplementation(id => rules.find(r => r.id === id));
});
afterEach(() => jest.restoreAllMocks());

test.each([
  [[], EXIT.FINDINGS],
  [['--fail-on', 'none'], EXIT.CLEAN],
  [['--exclude', 'r-error'], EXIT.CLEAN],
  [['--exclude', 'r-error', '--fail-on', 'warning'], EXIT.FINDINGS],
  [['--rules', 'r-info', '--fail-on', 'warning'], EXIT.CLEAN],
  [['--rules', 'r-info', '--fail-on=info'], EXIT.FINDINGS],
  [['--rules', 'r-info,r-warning', '--exclude', 'r-warning', '--fail-on', 'warning'], EXIT.CLEAN],
])('%j → exit %d', (args, code) => {
  expect(runCli(['audit', 'bad', ...args]).code).toBe(code);
});

test('only the selected rules run and the text output shows file, line and fix', () => {
  const res = runCli(['audit', '--rules', 'r-warning', 'bad']);
  expect(res).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'bad/shell-wrapper.yaml',
      '  warning r-warning Deployment/payments -n shop spec.template.spec.containers[0].command (line 22): r-warning on payments',
      '    fix: fix r-warning',
      '',
      '0 errors, 1 warning, 0 info in 1 file',
      '',
    ].join('\n'),
  });
});

test('a rule that throws: the other rules still report, the failing one is named, exit 2', () => {
  rules = [new Throws('r-throws', FindingSeverity.ERROR), new EveryDeployment('r-warning', FindingSeverity.WARNING)];
  const res = runCli(['audit', '--format', 'json', 'bad']);
  expect(res.code).toBe(EXIT.USAGE);
  expect(JSON.parse(res.stdout).map((f: any) => f.id)).toEqual(['r-warning']);
  expect(res.stderr).toMatch(/^cdk8s-graceful: internal error in rule r-throws \(its findings are missing; please report it\): Error: boom/);
});
