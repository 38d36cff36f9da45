import { allRules } from './all';
import { Finding } from './finding';
import { AuditDocument, AuditInput, Rule, RuleContext } from './rule';
import { Suppression } from './suppression';

export { Rule, RuleContext } from './rule';
export type { AuditDocument, AuditDockerfile, AuditInput, RuleExamples, RuleProps } from './rule';

/**
 * Options of an audit.
 */
export interface AuditOptions {
  /**
   * The rules to run.
   * @default Rules.all()
   */
  readonly rules?: Rule[];
}

/**
 * Runs the rules over the input and returns their findings, suppressions applied, in a stable order:
 * file, document index, rule id, path.
 */
export function audit(input: AuditInput, options: AuditOptions = {}): Finding[] {
  const ctx = new RuleContext(input);
  const rules = options.rules ?? Rules.all();
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) {
      if (!isSuppressed(ctx, f)) findings.push(f);
    }
  }
  return sortFindings(findings);
}

/**
 * The audit, for languages that cannot call a free function.
 */
export class Audit {
  /**
   * Runs the rules over the input; see {@link audit}.
   */
  public static run(input: AuditInput, options?: AuditOptions): Finding[] {
    return audit(input, options);
  }

  private constructor() {}
}

/**
 * The registry of rules.
 */
export class Rules {
  /** Every rule, in catalogue order. */
  public static all(): Rule[] {
    return [...allRules()];
  }

  /** The rule with this id. */
  public static byId(id: string): Rule | undefined {
    return allRules().find(r => r.id === id);
  }

  private constructor() {}
}

function isSuppressed(ctx: RuleContext, f: Finding): boolean {
  const o = f.object;
  if (o === undefined) return false;
  if (o.kind === 'Dockerfile') {
    const df = ctx.dockerfiles.find(d => d.file === o.name || d.file === o.file);
    return df !== undefined && dockerfileSuppressed(df.content, f.id);
  }
  const doc = findDocument(ctx.documents, f);
  if (doc === undefined) return false;
  let object = doc.object;
  if (object?.kind === 'List' && Array.isArray(object.items)) {
    // an object inside a List: the one the finding's path points into, else the one with the finding's name
    const i = /^items\[(\d+)\]\./.exec(f.path ?? '');
    object = i ? object.items[Number(i[1])] : object.items.find((x: any) => x?.kind === o.kind && (x?.metadata?.name ?? '') === o.name);
  }
  return object !== undefined && Suppression.reason(object, f.id) !== undefined;
}

function findDocument(documents: AuditDocument[], f: Finding): AuditDocument | undefined {
  const o = f.object!;
  const sameObject = (d: AuditDocument) => (d.object?.kind === o.kind && (d.object?.metadata?.name ?? '') === o.name
    && (o.namespace === undefined || d.object?.metadata?.namespace === o.namespace))
    || (d.object?.kind === 'List' && Array.isArray(d.object.items) && d.object.items.some((x: any) => x?.kind === o.kind && x?.metadata?.name === o.name));
  return documents.find(d => d.file === o.file && o.index !== undefined && d.index === o.index)
    ?? documents.find(d => d.file === o.file && sameObject(d))
    ?? documents.find(sameObject);
}

/**
 * A Dockerfile suppresses a rule with a comment line `# graceful.cdk8s.io/suppress-<rule-id>: <reason>`.
 */
function dockerfileSuppressed(content: string, ruleId: string): boolean {
  const key = Suppression.annotationKey(ruleId);
  return content.split(/\r?\n/).some(line => {
    const m = /^\s*#\s*(\S+?)\s*[:=]\s*(.*)$/.exec(line);
    return m !== null && m[1] === key && m[2].trim().replace(/^["']|["']$/g, '').trim() !== '';
  });
}

/** @internal */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => compare(a.f.object?.file ?? '', b.f.object?.file ?? '')
      || (a.f.object?.index ?? -1) - (b.f.object?.index ?? -1)
      || compare(a.f.object?.kind === 'Dockerfile' ? a.f.object.name : '', b.f.object?.kind === 'Dockerfile' ? b.f.object.name : '')
      || compare(a.f.id, b.f.id)
      || comparePath(a.f.path ?? '', b.f.path ?? '')
      || a.i - b.i)
    .map(x => x.f);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paths compare with their numbers as numbers: `containers[2]` before `containers[10]`, `line 9` before `line 12`. */
function comparePath(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    return i % 2 === 1 ? Number(pa[i]) - Number(pb[i]) : compare(pa[i], pb[i]);
  }
  return pa.length - pb.length;
}
