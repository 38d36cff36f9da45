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
 * How often the rules ran over constructs' objects: `count` the services audited, `runs` the audits (tests prove
 * one audit per synth, in which each service is audited once).
 * @internal
 */
export const renderedAudits = { count: 0, runs: 0 };

/**
 * Runs the rules over the given objects (absent ones skipped), in the order given.
 * @internal
 */
export function auditRendered(objects: (Construct | undefined)[]): Finding[] {
  renderedAudits.count++;
  renderedAudits.runs++;
  const documents = objects
    .filter((o): o is Construct => o !== undefined)
    .map((o, index) => ({ object: ApiObject.of(o).toJson(), index }));
  return audit({ documents });
}

/** What one owner (a service) emits, for {@link auditedInPass}. @internal */
export interface RenderedGroup {
  readonly owner: object;
  readonly objects: (Construct | undefined)[];
}

/** Per synth: each owner's findings, from one audit over the objects of every owner of the app. */
const auditsInPass = new WeakMap<object, Map<object, Finding[]>>();

/**
 * The findings about `owner`'s objects within a synth: the first call of the synth runs the rules once over the
 * objects of every group `all()` returns (the app's services, so they are also judged against each other, and the
 * fixed cost of an audit is paid once per synth, not once per service); each object is resolved once (see
 * resolvedOnce) and an object several owners emit (the shared preStop ConfigMap) is audited once and its findings
 * go to each of them. Every owner's findings come in the order its own audit would give them.
 * @internal
 */
export function auditedInPass(pass: object, owner: object, all: () => RenderedGroup[]): Finding[] {
  let results = auditsInPass.get(pass);
  if (results === undefined) {
    results = auditTogether(all(), pass);
    auditsInPass.set(pass, results);
  }
  return results.get(owner) ?? [];
}

function auditTogether(groups: RenderedGroup[], pass: object): Map<object, Finding[]> {
  renderedAudits.runs++;
  const documents: { object: any; index: number }[] = [];
  const position = new Map<Construct, number>();
  const ownersOf: object[][] = [];
  for (const g of groups) {
    renderedAudits.count++;
    for (const o of g.objects) {
      if (o === undefined) continue;
      let i = position.get(o);
      if (i === undefined) {
        i = documents.length;
        position.set(o, i);
        documents.push({ object: resolvedOnce(ApiObject.of(o), pass), index: i });
        ownersOf.push([]);
      }
      ownersOf[i].push(g.owner);
    }
  }
  const results = new Map<object, Finding[]>(groups.map(g => [g.owner, []]));
  const everyone = groups.map(g => g.owner);
  for (const f of audit({ documents })) {
    const index = f.object?.index;
    for (const owner of index === undefined ? everyone : ownersOf[index] ?? everyone) results.get(owner)!.push(f);
  }
  return results;
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
