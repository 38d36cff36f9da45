import { allRules } from './all';
import { AuditReport, WorkloadClassification } from './classification';
import { Finding } from '../finding';
import { findingRedactor, redact } from '../redact';
import { classify } from './model/classify';
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
 * file, document index, rule id, path. No credential leaves the audit: every message and remediation
 * goes through the library's redaction (a literal password, token or `user:password@` becomes
 * `<redacted>`).
 */
export function audit(input: AuditInput, options: AuditOptions = {}): Finding[] {
  return run(new RuleContext(input), options);
}

/**
 * The audit's findings (as {@link audit} returns them) and what it judged: every workload of the input,
 * classified as judged as an application (JVM / Spring Boot, with or without a registry: every rule), judged
 * generically (it serves traffic, its application is not recognised: the tier-1 rules), or not judged, with
 * the reason (infrastructure, runs to completion, serves no traffic, a bare Pod, unreadable).
 */
export function auditReport(input: AuditInput, options: AuditOptions = {}): AuditReport {
  const ctx = new RuleContext(input);
  const findings = run(ctx, options);
  const workloads: WorkloadClassification[] = classify(ctx).map(c => ({
    object: c.object,
    judgement: c.judgement,
    reason: redact(c.reason),
    ...(c.application !== undefined ? { application: redact(c.application) } : {}),
    ...(c.registry !== undefined ? { registry: c.registry } : {}),
    ...(c.serving !== undefined ? { serving: redact(c.serving) } : {}),
  }));
  return { findings, workloads };
}

function run(ctx: RuleContext, options: AuditOptions): Finding[] {
  const rules = options.rules ?? Rules.all();
  const lookup = new DocumentLookup(ctx.documents);
  const findings: Finding[] = [];
  const redactFinding = findingRedactor();
  for (const rule of rules) {
    for (const f of rule.check(ctx)) {
      if (!isSuppressed(ctx, lookup, f)) findings.push(redactFinding(f));
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

  /**
   * The findings and the classification of every workload; see {@link auditReport}.
   */
  public static report(input: AuditInput, options?: AuditOptions): AuditReport {
    return auditReport(input, options);
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

function isSuppressed(ctx: RuleContext, lookup: DocumentLookup, f: Finding): boolean {
  const o = f.object;
  if (o === undefined) return false;
  if (o.kind === 'Dockerfile') {
    const df = ctx.dockerfiles.find(d => d.file === o.name || d.file === o.file);
    return df !== undefined && dockerfileSuppressed(df.content, f.id);
  }
  const doc = lookup.find(f);
  if (doc === undefined) return false;
  let object = doc.object;
  if (object?.kind === 'List' && Array.isArray(object.items)) {
    // an object inside a List: the one the finding's path points into, else the one with the finding's name
    const i = /^items\[(\d+)\]\./.exec(f.path ?? '');
    object = i ? object.items[Number(i[1])] : object.items.find((x: any) => x?.kind === o.kind && (x?.metadata?.name ?? '') === o.name);
  }
  return object !== undefined && Suppression.reason(object, f.id) !== undefined;
}

/** Finds the document a finding is about: by file and index, else by kind, name (and namespace), also inside Lists. */
class DocumentLookup {
  private readonly byPosition = new Map<string, AuditDocument>();
  /** Built at the first finding that needs it (findings from the rules carry their document's position). */
  private byNameIndex?: Map<string, AuditDocument[]>;

  constructor(private readonly documents: AuditDocument[]) {
    for (const d of documents) this.byPosition.set(`${d.file ?? ''}\0${d.index}`, d);
  }

  public find(f: Finding): AuditDocument | undefined {
    const o = f.object!;
    if (o.index !== undefined) {
      const d = this.byPosition.get(`${o.file ?? ''}\0${o.index}`);
      if (d) return d;
    }
    const candidates = this.byName().get(`${o.kind}\0${o.name}`) ?? [];
    const inNamespace = (d: AuditDocument) => o.namespace === undefined || d.object?.kind === 'List' || d.object?.metadata?.namespace === o.namespace;
    return candidates.find(d => d.file === o.file && inNamespace(d)) ?? candidates.find(inNamespace);
  }

  private byName(): Map<string, AuditDocument[]> {
    if (this.byNameIndex === undefined) {
      const index = new Map<string, AuditDocument[]>();
      for (const d of this.documents) {
        const named = d.object?.kind === 'List' && Array.isArray(d.object.items) ? d.object.items : [d.object];
        for (const x of named) {
          const key = `${x?.kind}\0${x?.metadata?.name ?? ''}`;
          const list = index.get(key);
          if (list) list.push(d);
          else index.set(key, [d]);
        }
      }
      this.byNameIndex = index;
    }
    return this.byNameIndex;
  }
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
