import { deployment, javaContainer, preStop } from './util';
import { Audit, audit, Finding, FindingSeverity, Rule, RuleContext, Rules, Suppression } from '../../src/rules';

const bad = (name: string, extra: any = {}) => deployment(name, [javaContainer({ lifecycle: preStop('sleep', '40') })], extra);

describe('suppression', () => {
  const ids = (fs: Finding[]) => fs.map(f => f.id);

  test('an annotation with a reason on the object suppresses that rule for that object only', () => {
    const annotations = Suppression.annotations('prestop-wait-exceeds-grace', 'a batch job: callers retry');
    const findings = audit({ documents: [{ object: bad('a', { metadata: { annotations } }) }, { object: bad('b') }] });
    expect(findings.filter(f => f.id === 'prestop-wait-exceeds-grace').map(f => f.object?.name)).toEqual(['b']);
    expect(ids(findings)).not.toContain('suppression-invalid');
  });

  test('on the pod template too', () => {
    const annotations = { [Suppression.annotationKey('prestop-wait-exceeds-grace')]: 'measured: the kubelet kill is harmless here' };
    expect(ids(audit({ documents: [{ object: bad('a', { template: { annotations } }) }] }))).not.toContain('prestop-wait-exceeds-grace');
  });

  test('an empty reason does not suppress and is reported', () => {
    const annotations = { 'graceful.cdk8s.io/suppress-prestop-wait-exceeds-grace': '' };
    const found = ids(audit({ documents: [{ object: bad('a', { metadata: { annotations } }) }] }));
    expect(found).toContain('prestop-wait-exceeds-grace');
    expect(found).toContain('suppression-invalid');
  });

  test('Suppression.annotations refuses an empty reason; Suppression.reason reads it back', () => {
    expect(() => Suppression.annotations('single-replica', ' ')).toThrow(/needs a reason/);
    const object = bad('a', { metadata: { annotations: Suppression.annotations('single-replica', 'singleton') } });
    expect(Suppression.reason(object, 'single-replica')).toBe('singleton');
    expect(Suppression.reason(object, 'pdb-missing')).toBeUndefined();
  });

  test('objects of a List are suppressed by their own annotations', () => {
    const annotations = Suppression.annotations('prestop-wait-exceeds-grace', 'reason');
    const list = { apiVersion: 'v1', kind: 'List', items: [bad('a', { metadata: { annotations } }), bad('b')] };
    const found = audit({ documents: [{ object: list, file: 'l.yaml', index: 0 }] }).filter(f => f.id === 'prestop-wait-exceeds-grace');
    expect(found.map(f => [f.object?.name, f.path])).toEqual([['b', 'items[1].spec.template.spec.containers[0].lifecycle.preStop.exec.command']]);
  });
});

describe('order', () => {
  test('file, document index, rule id, path; deterministic whatever the input order', () => {
    const docs = [
      { object: bad('z'), file: 'b.yaml', index: 1 },
      { object: bad('y'), file: 'b.yaml', index: 0 },
      { object: deployment('x', [javaContainer(), javaContainer({ name: 'c2' })]), file: 'a.yaml', index: 0 },
    ];
    const dockerfiles = [{ file: 'Dockerfile', content: 'FROM eclipse-temurin:21-jre\nCMD sleep 1; java -jar /a.jar\n' }];
    const one = audit({ documents: docs, dockerfiles });
    const two = audit({ documents: [...docs].reverse(), dockerfiles });
    expect(two).toEqual(one);
    const keys = one.map(f => `${f.object?.file}#${f.object?.index ?? -1} ${f.id} ${f.path}`);
    expect(keys[0]).toMatch(/^Dockerfile#-1 pid1-shell-without-exec line 2$/);
    const a = keys.filter(k => k.startsWith('a.yaml'));
    expect(a.slice(0, 2)).toEqual([
      'a.yaml#0 prestop-missing spec.template.spec.containers[0].lifecycle.preStop',
      'a.yaml#0 prestop-missing spec.template.spec.containers[1].lifecycle.preStop',
    ]);
    const b = keys.filter(k => k.startsWith('b.yaml'));
    expect(b[0].startsWith('b.yaml#0 ')).toBe(true);
    expect(b[b.length - 1].startsWith('b.yaml#1 ')).toBe(true);
  });

  test('without files, the position in the input is the index', () => {
    const found = audit({ documents: [{ object: bad('a') }, { object: bad('b') }] }).filter(f => f.id === 'prestop-wait-exceeds-grace');
    expect(found.map(f => [f.object?.name, f.object?.index])).toEqual([['a', 0], ['b', 1]]);
  });
});

describe('options', () => {
  test('rules: only the given rules run, including one written outside the library', () => {
    class NoLatestTag extends Rule {
      constructor() {
        super({
          id: 'no-latest-tag',
          severity: FindingSeverity.INFO,
          title: 'image tag latest',
          description: 'd',
          remediation: 'pin the tag',
          examples: { fail: '', pass: '' },
        });
      }
      public check(ctx: RuleContext): Finding[] {
        return ctx.documents.filter(d => JSON.stringify(d.object).includes(':latest')).map(d => ({
          id: this.id,
          severity: this.severity,
          message: 'latest',
          remediation: this.remediation,
          object: { kind: d.object.kind, name: d.object.metadata.name, index: d.index },
          path: 'spec',
        }));
      }
    }
    const object = deployment('a', [javaContainer({ image: 'x:latest' })], { metadata: { annotations: Suppression.annotations('no-latest-tag', 'r') } });
    expect(audit({ documents: [{ object }] }, { rules: [new NoLatestTag()] })).toEqual([]);
    expect(audit({ documents: [{ object: deployment('b', [javaContainer({ image: 'x:latest', env: [{ name: 'JAVA_OPTS', value: '-Xmx1g' }] })]) }] }, { rules: [new NoLatestTag(), Rules.byId('single-replica')!] })
      .map(f => f.id)).toEqual(['no-latest-tag', 'single-replica']);
  });

  test('a rule id must be kebab-case', () => {
    class Bad extends Rule {
      constructor() {
        super({ id: 'Bad_Id', severity: FindingSeverity.INFO, title: 't', description: 'd', remediation: 'r', examples: { fail: '', pass: '' } });
      }
      public check(): Finding[] {
        return [];
      }
    }
    expect(() => new Bad()).toThrow(/kebab-case/);
  });

  test('Audit.run is audit()', () => {
    const input = { documents: [{ object: bad('a') }] };
    expect(Audit.run(input)).toEqual(audit(input));
  });

  test('Rules.all() returns a copy', () => {
    const all = Rules.all();
    all.pop();
    expect(Rules.all().length).toBe(all.length + 1);
  });
});
