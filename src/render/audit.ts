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
 * How many times the rules ran over a construct's objects (tests prove one run per service per synth).
 * @internal
 */
export const renderedAudits = { count: 0 };

/**
 * Runs the rules over the given objects (absent ones skipped), in the order given.
 * @internal
 */
export function auditRendered(objects: (Construct | undefined)[], pass?: object): Finding[] {
  renderedAudits.count++;
  const documents = objects
    .filter((o): o is Construct => o !== undefined)
    .map((o, index) => ({ object: pass === undefined ? ApiObject.of(o).toJson() : resolvedOnce(ApiObject.of(o), pass), index }));
  return audit({ documents });
}

const WRAPPED = Symbol.for('cdk8s-graceful.to-json-reused-in-synth');

/** The JSON of objects resolved during a synth, per synth (dropped with the synth's marker when it ends). */
const resolvedInPass = new WeakMap<object, Map<ApiObject, any>>();

/**
 * The object's JSON, resolved once per synth: the validation resolves it first (to audit it), and the
 * chart's synthesis, later in the same `App.synth()`, gets the same JSON instead of resolving it again. Only
 * within one synth (nothing changes the objects between cdk8s' validation and its rendering of the charts);
 * outside a synth, and in the next one, `toJson()` resolves as usual. The audit only reads the JSON.
 */
function resolvedOnce(o: ApiObject, pass: object): any {
  if ((o as any)[WRAPPED] === undefined) {
    const original = o.toJson;
    Object.defineProperty(o, WRAPPED, { value: true });
    Object.defineProperty(o, 'toJson', {
      configurable: true,
      writable: true,
      value: function (this: ApiObject) {
        const current = synthPass(this);
        const seen = current === undefined ? undefined : resolvedInPass.get(current);
        if (seen?.has(this)) return seen.get(this);
        const json = original.call(this);
        seen?.set(this, json);
        return json;
      },
    });
  }
  if (!resolvedInPass.has(pass)) resolvedInPass.set(pass, new Map());
  return o.toJson();
}

const SYNTH_PASS = Symbol.for('cdk8s-graceful.synth-pass');

interface SynthPassState {
  pass?: object;
}

/**
 * The synth in progress on the app at the root of `scope`, or undefined outside `App.synth()` / `App.synthYaml()`.
 *
 * cdk8s validates the whole app once before synthesizing and again for every chart (`Chart.toJson()` prepares
 * and validates the app), so a construct's validation runs charts + 1 times per `App.synth()` and the objects
 * cannot change in between. The first call for an app wraps the app's own `synth` and `synthYaml` (the instance,
 * not cdk8s' prototype) to mark each synth with a fresh object; validations memoised per that object run once
 * per synth whatever the chart layout. Outside a synth (`Testing.synth(chart)`, `chart.toJson()`) there is one
 * validation pass per call and nothing is memoised.
 * @internal
 */
export function synthPass(scope: Construct): object | undefined {
  const app = scope.node.root as any;
  let state: SynthPassState | undefined = app[SYNTH_PASS];
  if (state === undefined) {
    const s: SynthPassState = {};
    state = s;
    Object.defineProperty(app, SYNTH_PASS, { value: s });
    for (const method of ['synth', 'synthYaml']) {
      const original = app[method];
      if (typeof original !== 'function') continue;
      Object.defineProperty(app, method, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          if (s.pass !== undefined) return original.apply(this, args); // synthYaml inside synth: the same pass
          s.pass = {};
          try {
            return original.apply(this, args);
          } finally {
            s.pass = undefined;
          }
        },
      });
    }
  }
  return state.pass;
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
