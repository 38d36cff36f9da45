import { allRules } from './all';
import { Finding, FindingSeverity } from '../finding';
import { finding, model } from './model';
import { Rule, RuleContext } from './rule';
import { Suppression, suppressionAnnotations } from './suppression';

/**
 * A suppression annotation without a reason, or for a rule that does not exist.
 */
export class SuppressionInvalidRule extends Rule {
  public constructor() {
    super({
      id: 'suppression-invalid',
      severity: FindingSeverity.WARNING,
      title: 'A suppression annotation has no reason or names no rule',
      description: `A rule is suppressed for an object with the annotation ${Suppression.ANNOTATION_PREFIX}<rule-id>: "<reason>" on the object `
        + 'or its pod template. The reason is what a reviewer reads: an empty one does not suppress. A misspelt rule id suppresses nothing.',
      remediation: 'give the reason why the rule does not apply to this object, and a rule id from docs/rules.md',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const o of model(ctx).objects) {
      for (const s of suppressionAnnotations(o.object)) {
        if (!allRules().some(r => r.id === s.ruleId)) {
          out.push(finding(this, o, o.prefix + s.path, `the annotation suppresses '${s.ruleId}', which is not a rule: it suppresses nothing`));
        } else if (s.reason.trim() === '') {
          out.push(finding(this, o, o.prefix + s.path, `the suppression of '${s.ruleId}' has an empty reason, so it does not suppress: a suppression needs a reason`));
        }
      }
    }
    return out;
  }
}
