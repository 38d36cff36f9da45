/*
 * The audit rules over what a construct rendered: its findings, its synth-time validation messages and the
 * suppressions it records. The same rules as `cdk8s-graceful audit`, applied to the objects' final JSON (so
 * changes made through the escape hatches are judged too).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp } from '../errors';
import { Finding, FindingSeverity } from '../finding';
import { audit, Rules } from '../rules/engine';
import { Suppression } from '../rules/suppression';

/**
 * Runs the rules over the given objects (absent ones skipped), in the order given.
 * @internal
 */
export function auditRendered(objects: (Construct | undefined)[]): Finding[] {
  const documents = objects
    .filter((o): o is Construct => o !== undefined)
    .map((o, index) => ({ object: ApiObject.of(o).toJson(), index }));
  return audit({ documents });
}

/**
 * The errors among the findings, as synth-time validation messages (cdk8s prints them as `[path] message`).
 * @internal
 */
export function validationMessages(findings: Finding[]): string[] {
  return findings
    .filter(f => f.severity === FindingSeverity.ERROR)
    .map(f => `${f.id}: ${f.message}${f.path ? ` (${f.object?.kind} ${f.path})` : ''}. Fix: ${f.remediation}`);
}

/**
 * The annotations that suppress a rule, after checking the rule id and the reason.
 * @internal
 */
export function suppressionAnnotations(ruleId: string, reason: string): { [key: string]: string } {
  if (Rules.byId(ruleId) === undefined) {
    throw invalidProp('suppress(ruleId)', JSON.stringify(ruleId), 'is not a rule id', 'give an id from docs/rules.md, e.g. "single-replica"');
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw invalidProp('suppress(reason)', JSON.stringify(reason), `is empty: a suppression of '${ruleId}' needs a reason`,
      'say why the rule does not apply to this service');
  }
  return Suppression.annotations(ruleId, reason.trim());
}
