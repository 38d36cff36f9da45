import * as fs from 'fs';
import * as path from 'path';
import { STDIN_NAME } from './load';
import { renderedSource } from './render';
import { Note, Skipped } from './yaml';
import { Finding, FindingObject, FindingSeverity } from '../finding';
import { redact } from '../redact';
import { WorkloadClassification, WorkloadJudgement } from '../rules/classification';
import { Rule } from '../rules/engine';

/** Output formats of `cdk8s-graceful audit`. */
export const FORMATS = ['text', 'json', 'json-report', 'sarif', 'junit'] as const;
export type Format = typeof FORMATS[number];

/** Output formats of `cdk8s-graceful rules`. */
export const RULES_FORMATS = ['text', 'json'] as const;
export type RulesFormat = typeof RULES_FORMATS[number];

/** An object that was judged (for JUnit's one test case per object). */
export interface JudgedObject {
  /** Its file, as named in the output. */
  readonly file: string;
  /** `Deployment/orders -n shop`, or `Dockerfile` (see {@link objectLabel}). */
  readonly object: string;
}

/** A finding with where it was found. */
export interface LocatedFinding {
  readonly finding: Finding;
  /** The file (as named in the output), when the finding belongs to one. */
  readonly file?: string;
  /** 1-based line in that file, when it could be found. */
  readonly line?: number;
}

/** A workload's classification with where it was found. */
export interface LocatedWorkload {
  readonly workload: WorkloadClassification;
  /** The file (as named in the output). */
  readonly file?: string;
  /** 1-based line of the object in that file, when it could be found. */
  readonly line?: number;
}

/** What a report is made of. */
export interface Report {
  readonly findings: LocatedFinding[];
  /** The rules that ran (SARIF lists them). */
  readonly rules: Rule[];
  /** Files that were skipped, with why. */
  readonly skipped: Skipped[];
  /** Notes about files that were audited. */
  readonly notes?: Note[];
  /** How many files were read (audited or skipped). */
  readonly fileCount: number;
  /** The files read, as named in the output (JUnit: one test suite each). */
  readonly files?: string[];
  /** The objects judged (JUnit: one test case each). */
  readonly judged?: JudgedObject[];
  /** The lowest severity rank that fails (JUnit: findings at or above it are failures); default 3 (error). */
  readonly failThreshold?: number;
  /** Every workload of the input with how it was judged (the classification summary). */
  readonly workloads?: LocatedWorkload[];
}

const SEVERITY_RANK: Record<string, number> = { [FindingSeverity.INFO]: 1, [FindingSeverity.WARNING]: 2, [FindingSeverity.ERROR]: 3 };

/** 1 info, 2 warning, 3 error. */
export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 0;
}

/**
 * Findings in output order: by file (findings without a file last), line, severity (errors first),
 * rule id, object, path, message. The same input always gives the same order.
 */
export function sortLocated(findings: LocatedFinding[]): LocatedFinding[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return findings
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (a.x.file === undefined ? 1 : 0) - (b.x.file === undefined ? 1 : 0)
      || cmp(a.x.file ?? '', b.x.file ?? '')
      || (a.x.line ?? 0) - (b.x.line ?? 0)
      || severityRank(b.x.finding.severity) - severityRank(a.x.finding.severity)
      || cmp(a.x.finding.id, b.x.finding.id)
      || cmp(objectLabel(a.x.finding), objectLabel(b.x.finding))
      || cmp(a.x.finding.path ?? '', b.x.finding.path ?? '')
      || cmp(a.x.finding.message, b.x.finding.message)
      || a.i - b.i)
    .map(({ x }) => x);
}

/** `Deployment/orders`, `Deployment/orders -n shop`, or '' for a finding without an object. */
export function objectLabel(f: Finding): string {
  const o = f.object;
  if (!o) return '';
  if (o.kind === 'Dockerfile') return 'Dockerfile'; // its name is the file, which the output already shows
  return `${o.kind}/${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}`;
}

/** {@link objectLabel} of a manifest object as read. */
export function objectLabelOf(object: any): string {
  const name = object?.metadata?.name;
  const namespace = object?.metadata?.namespace;
  return `${String(object?.kind ?? '')}/${name === undefined || name === null ? '' : String(name)}`
    + `${namespace ? ` -n ${String(namespace)}` : ''}`;
}

/**
 * The report in the given format, ending with a newline. Every text in it (messages, fixes, paths, object
 * names, skip reasons and notes) goes through the library's redaction first: no format shows a credential.
 */
export function formatReport(report: Report, format: Format): string {
  return [...formatReportChunks(report, format)].join('');
}

/**
 * {@link formatReport} in pieces, to be written one after another: the text and JSON formats are never held as
 * one string (a report of 100,000 objects is over 100 MiB of text), so the CLI's memory does not grow by the
 * report's size on top of the parsed input. Joined, the pieces are exactly {@link formatReport}'s text.
 */
export function* formatReportChunks(report: Report, format: Format): Generator<string> {
  const safe = redactReport(report);
  switch (format) {
    case 'json': yield* batched(jsonChunks(safe)); return;
    case 'json-report': yield* batched(jsonReportChunks(safe)); return;
    case 'sarif': yield formatSarif(safe); return;
    case 'junit': yield formatJunit(safe); return;
    default: yield* batched(textLines(safe));
  }
}

/** Pieces joined into chunks of about 64 KiB (fewer writes). */
function* batched(pieces: Iterable<string>, size = 64 * 1024): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const p of pieces) {
    buffer.push(p);
    length += p.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}

/** `JSON.stringify(items, null, 2)` nested `level` deep in a document indented by 2, an item at a time. */
function* jsonArray(items: Iterable<unknown>, level: number): Generator<string> {
  const inner = '  '.repeat(level + 1);
  let first = true;
  for (const item of items) {
    yield `${first ? '[\n' : ',\n'}${inner}${nested(JSON.stringify(item, null, 2), level + 1)}`;
    first = false;
  }
  yield first ? '[]' : `\n${'  '.repeat(level)}]`;
}

/** A JSON text indented by 2, moved `level` levels in (JSON strings hold no raw newline). */
function nested(json: string, level: number): string {
  return json.replace(/\n/g, `\n${'  '.repeat(level)}`);
}

function redactObject(o: FindingObject): FindingObject {
  return { ...o, name: redact(o.name), ...(o.file !== undefined ? { file: redact(o.file) } : {}) };
}

/** A fix's value with every string in it redacted (numbers, booleans and null as they are). */
function redactValue(v: any): any {
  if (typeof v === 'string') return redact(v);
  if (Array.isArray(v)) return v.map(redactValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), redactValue(x)]));
  return v;
}

/** The report with every credential in its texts replaced by `<redacted>` (see src/redact.ts). */
export function redactReport(report: Report): Report {
  const note = (n: Skipped): Skipped => ({ ...n, file: redact(n.file), reason: redact(n.reason) });
  return {
    ...report,
    findings: report.findings.map(({ finding: f, file, line }) => ({
      finding: {
        ...f,
        message: redact(f.message),
        remediation: redact(f.remediation),
        ...(f.path !== undefined ? { path: redact(f.path) } : {}),
        ...(f.object ? { object: redactObject(f.object) } : {}),
        ...(f.fix !== undefined ? { fix: f.fix.map(x => ({ path: redact(x.path), value: redactValue(x.value) })) } : {}),
      },
      file: file === undefined ? undefined : redact(file),
      line,
    })),
    skipped: report.skipped.map(note),
    notes: report.notes?.map(note),
    files: report.files?.map(redact),
    judged: report.judged?.map(j => ({ file: redact(j.file), object: redact(j.object) })),
    workloads: report.workloads?.map(x => ({
      ...x,
      file: x.file === undefined ? undefined : redact(x.file),
      workload: {
        ...x.workload,
        object: redactObject(x.workload.object),
        reason: redact(x.workload.reason),
        ...(x.workload.application !== undefined ? { application: redact(x.workload.application) } : {}),
        ...(x.workload.serving !== undefined ? { serving: redact(x.workload.serving) } : {}),
      },
    })),
  };
}

/**
 * Text: findings grouped by file, one line each (`severity rule-id Kind/name path (line N): message`)
 * with the fix indented below it, then one summary line.
 */
export function formatText(report: Report): string {
  return [...textLines(report)].join('');
}

/** The lines of {@link formatText}, each with its newline. */
function* textLines(report: Report): Generator<string> {
  let currentFile: string | null = null;
  for (const { finding: f, file, line } of report.findings) {
    const group = file ?? '(no file)';
    if (group !== currentFile) {
      if (currentFile !== null) yield '\n';
      yield `${group}\n`;
      currentFile = group;
    }
    const where = [objectLabel(f), f.path, line !== undefined && !(f.path ?? '').startsWith('line ') ? `(line ${line})` : undefined]
      .filter(x => x !== undefined && x !== '').join(' ');
    yield `  ${f.severity} ${f.id}${where ? ` ${where}` : ''}: ${f.message}\n`;
    yield `    fix: ${f.remediation}\n`;
  }
  if (report.findings.length > 0) yield '\n';
  const judged = workloadSummary(report);
  for (const l of judged) yield `${l}\n`;
  if (judged.length > 0) yield '\n';
  yield `${summary(report)}\n`;
}

/** `Deployment/orders -n shop` of a classified workload. */
function workloadLabel(w: WorkloadClassification): string {
  if (w.object.kind === 'Dockerfile') return 'Dockerfile'; // its name is the file, which the location shows
  return `${w.object.kind}/${w.object.name}${w.object.namespace ? ` -n ${w.object.namespace}` : ''}`;
}

function locationOf(x: LocatedWorkload): string {
  return x.file === undefined ? '' : ` (${x.file}${x.line !== undefined ? `:${x.line}` : ''})`;
}

/** How many workloads were judged as applications (with a registry), generically, not at all. */
export interface WorkloadCounts {
  readonly application: number;
  readonly withRegistry: number;
  readonly generic: number;
  readonly notJudged: number;
}

/** The counts of a classification: judged as applications (with a registry), generic, not judged. */
export function workloadCounts(workloads: readonly WorkloadClassification[]): WorkloadCounts {
  return {
    application: workloads.filter(w => w.judgement === WorkloadJudgement.APPLICATION).length,
    withRegistry: workloads.filter(w => w.judgement === WorkloadJudgement.APPLICATION && w.registry !== undefined).length,
    generic: workloads.filter(w => w.judgement === WorkloadJudgement.GENERIC).length,
    notJudged: workloads.filter(w => w.judgement === WorkloadJudgement.NOT_JUDGED).length,
  };
}

/**
 * The classification summary of the text output: one line of counts, then each workload judged generically
 * (tier-1 rules only) and each workload not judged, with why. Empty when every workload (or none) was judged
 * as an application: then every rule ran on everything.
 */
export function workloadSummary(report: Report): string[] {
  const list = report.workloads ?? [];
  if (!list.some(x => x.workload.judgement !== WorkloadJudgement.APPLICATION)) return [];
  const n = workloadCounts(list.map(x => x.workload));
  const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const images = list.filter(x => x.workload.object.kind === 'Dockerfile').length;
  const what = [list.length > images ? plural(list.length - images, 'workload') : '', images > 0 ? plural(images, 'Dockerfile') : '']
    .filter(x => x !== '').join(' and ');
  const lines = [`${what}: ${n.application} judged as Spring/JVM (${n.withRegistry} with a service registry), `
    + `${n.generic} generic (tier-1 rules only), ${n.notJudged} not judged`];
  for (const x of list.filter(y => y.workload.judgement === WorkloadJudgement.GENERIC)) {
    lines.push(`  generic ${workloadLabel(x.workload)}${locationOf(x)}: ${x.workload.reason}`);
  }
  for (const x of list.filter(y => y.workload.judgement === WorkloadJudgement.NOT_JUDGED)) {
    lines.push(`  not judged ${workloadLabel(x.workload)}${locationOf(x)}: ${x.workload.reason}`);
  }
  return lines;
}

/** A classification as the JSON and SARIF outputs carry it. */
function workloadJson(x: LocatedWorkload): object {
  const w = x.workload;
  return {
    file: x.file,
    line: x.line,
    object: { kind: w.object.kind, name: w.object.name, namespace: w.object.namespace },
    judgement: w.judgement,
    reason: w.reason,
    application: w.application,
    registry: w.registry,
    serving: w.serving,
  };
}

/** `2 errors, 1 warning, 0 info in 3 files (1 skipped)` */
export function summary(report: Report): string {
  const count = (s: FindingSeverity) => report.findings.filter(f => f.finding.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const files = `${plural(report.fileCount, 'file')}${report.skipped.length > 0 ? ` (${report.skipped.length} skipped)` : ''}`;
  if (report.findings.length === 0) return `no findings in ${files}`;
  return `${plural(count(FindingSeverity.ERROR), 'error')}, ${plural(count(FindingSeverity.WARNING), 'warning')}, `
    + `${count(FindingSeverity.INFO)} info in ${files}`;
}

/**
 * JSON: an array of findings, each `{ file, line, id, severity, object, path, message, remediation, fix }`
 * (absent values left out; `fix` is the structured fix, a list of `{ path, value }` to set in the object, where the
 * rule gives one), in output order.
 */
export function formatJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

function* jsonChunks(report: Report): Generator<string> {
  yield* jsonArray(jsonFindings(report), 0);
  yield '\n';
}

/**
 * JSON with what was judged: `{ findings, workloads, summary }`: the findings as `json` gives them; every
 * workload with how it was judged, `{ file, line, object, judgement, reason, application, registry, serving }`;
 * and the counts `{ application, withRegistry, generic, notJudged }`.
 */
export function formatJsonReport(report: Report): string {
  return [...jsonReportChunks(report)].join('');
}

function* jsonReportChunks(report: Report): Generator<string> {
  const workloads = report.workloads ?? [];
  yield '{\n  "findings": ';
  yield* jsonArray(jsonFindings(report), 1);
  yield ',\n  "workloads": ';
  yield* jsonArray(mapped(workloads, workloadJson), 1);
  yield `,\n  "summary": ${nested(JSON.stringify(workloadCounts(workloads.map(x => x.workload)), null, 2), 1)}\n}\n`;
}

function* mapped<T, U>(items: Iterable<T>, f: (x: T) => U): Generator<U> {
  for (const x of items) yield f(x);
}

/** The findings as the JSON formats show them, one at a time. */
function jsonFindings(report: Report): Iterable<object> {
  return mapped(report.findings, ({ finding: f, file, line }) => ({
    file,
    line,
    id: f.id,
    severity: f.severity,
    object: f.object ? { kind: f.object.kind, name: f.object.name, namespace: f.object.namespace } : undefined,
    path: f.path,
    message: f.message,
    remediation: f.remediation,
    fix: f.fix,
  }));
}

/** Where the rule catalogue is published; `helpUri` of each rule points into it. */
export const REPOSITORY_URL = 'https://github.com/cdk8s-graceful/cdk8s-graceful';
export const RULES_DOC_URL = `${REPOSITORY_URL}/blob/main/docs/rules.md`;
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0: one run; the driver lists every rule that ran; each result has its rule, level, message,
 * the file (relative URI) and line when known, and the Kubernetes object as a logical location. Files
 * that were skipped are tool execution notifications.
 */
export function formatSarif(report: Report): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const results = report.findings.map(({ finding: f, file, line }) => {
    const location: any = {};
    // An object rendered by helm or kubectl points at its template or kustomization (a file of the
    // repository); its line is one of the rendered output, so it goes into the properties, not the region.
    const rendered = file !== undefined ? renderedSource(file) : undefined;
    if (rendered !== undefined) {
      location.physicalLocation = { artifactLocation: { uri: fileUri(rendered.file), uriBaseId: '%SRCROOT%' } };
    } else if (file !== undefined && file !== STDIN_NAME) {
      location.physicalLocation = {
        artifactLocation: { uri: fileUri(file), uriBaseId: '%SRCROOT%' },
        ...(line !== undefined ? { region: { startLine: line } } : {}),
      };
    }
    if (f.object) {
      location.logicalLocations = [{
        name: f.object.name,
        fullyQualifiedName: [f.object.namespace, f.object.kind, f.object.name].filter(x => x).join('/'),
        kind: f.object.kind === 'Dockerfile' ? 'module' : 'resource',
      }];
    }
    const result: any = {
      ruleId: f.id,
      ...(ruleIndex.has(f.id) ? { ruleIndex: ruleIndex.get(f.id) } : {}),
      level: SARIF_LEVEL[f.severity] ?? 'warning',
      message: { text: f.message },
      locations: Object.keys(location).length > 0 ? [location] : [],
      properties: {
        remediation: f.remediation,
        ...(f.path ? { path: f.path } : {}),
        ...(f.fix !== undefined ? { fix: f.fix } : {}),
        ...(rendered !== undefined ? { renderedBy: rendered.command, ...(line !== undefined ? { renderedLine: line } : {}) } : {}),
      },
    };
    return result;
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-graceful',
          version: packageVersion(),
          informationUri: REPOSITORY_URL,
          rules: report.rules.map(r => ({
            id: r.id,
            name: camel(r.id),
            shortDescription: { text: r.title },
            fullDescription: { text: r.description },
            help: { text: r.remediation },
            helpUri: `${RULES_DOC_URL}#${r.docsAnchor}`,
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] ?? 'warning' },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: [
          ...report.skipped.map(s => ({ ...s, level: 'warning', what: 'skipped' })),
          ...(report.notes ?? []).map(n => ({ ...n, level: 'note', what: 'note' })),
          ...(report.workloads ?? []).filter(x => x.workload.judgement !== WorkloadJudgement.APPLICATION).map(x => ({
            file: x.file ?? STDIN_NAME,
            line: x.line,
            level: 'note',
            what: x.workload.judgement === WorkloadJudgement.GENERIC ? `${workloadLabel(x.workload)} judged generically (tier-1 rules only)`
              : `${workloadLabel(x.workload)} not judged`,
            reason: x.workload.reason,
          })),
        ].map(s => ({
          level: s.level,
          message: { text: `${s.file}${s.line !== undefined ? `:${s.line}` : ''}: ${s.what}: ${s.reason}` },
          ...(s.file !== STDIN_NAME ? {
            locations: [{
              physicalLocation: {
                artifactLocation: { uri: fileUri(s.file), uriBaseId: '%SRCROOT%' },
                ...(s.line !== undefined ? { region: { startLine: s.line } } : {}),
              },
            }],
          } : {}),
        })),
      }],
      columnKind: 'utf16CodeUnits',
      ...(report.workloads !== undefined ? {
        properties: {
          workloads: report.workloads.map(workloadJson),
          summary: workloadCounts(report.workloads.map(x => x.workload)),
        },
      } : {}),
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** The package's version, read from its package.json (`src/cli` and `lib/cli` both sit two levels below it). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** A relative path as a URI reference (each segment percent-encoded). */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** `prestop-missing` → `PrestopMissing` (SARIF's rule `name`, an identifier). */
function camel(id: string): string {
  return id.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/**
 * The rule catalogue for `cdk8s-graceful rules`. Text: one line per rule, `id  severity  title`, in
 * aligned columns. JSON: an array of `{ id, severity, title, description, remediation, docs }`.
 */
export function formatRules(rules: Rule[], format: RulesFormat): string {
  if (format === 'json') {
    return JSON.stringify(rules.map(r => ({
      id: r.id,
      severity: r.severity,
      title: r.title,
      description: r.description,
      remediation: r.remediation,
      docs: `${RULES_DOC_URL}#${r.docsAnchor}`,
    })), null, 2) + '\n';
  }
  const idWidth = Math.max(2, ...rules.map(r => r.id.length));
  const sevWidth = Math.max(8, ...rules.map(r => r.severity.length));
  const row = (id: string, severity: string, title: string) => `${id.padEnd(idWidth)}  ${severity.padEnd(sevWidth)}  ${title}`;
  return [row('ID', 'SEVERITY', 'TITLE'), ...rules.map(r => row(r.id, r.severity, r.title))].join('\n') + '\n';
}

/** Text escaped for XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/**
 * JUnit XML (the schema Jenkins and GitLab read): one `<testsuite>` per file, one `<testcase>` per object
 * judged (`classname` the file, `name` the object: stable from run to run, so CI can track each object's
 * history and lists the passing ones too). An object with findings at or above `--fail-on` has one
 * `<failure>` (GitLab and Jenkins show one per test case) whose message is the first of them and whose
 * text lists all of them with their fixes; findings below it are in `<system-out>`. A skipped file is a
 * test case with `<skipped>`. Findings without an object (or whose object was not read) get a test case
 * of their own.
 */
export function formatJunit(report: Report): string {
  const threshold = report.failThreshold ?? 3;
  const NO_FILE = '(no file)';
  interface Case { name: string; findings: LocatedFinding[]; skipped?: string }
  const suites = new Map<string, Map<string, Case>>();
  const suite = (file: string) => {
    let s = suites.get(file);
    if (!s) suites.set(file, s = new Map());
    return s;
  };
  const testcase = (file: string, name: string) => {
    const s = suite(file);
    let c = s.get(name);
    if (!c) s.set(name, c = { name, findings: [] });
    return c;
  };
  for (const file of report.files ?? []) suite(file);
  for (const j of report.judged ?? []) testcase(j.file, j.object);
  for (const s of report.skipped) testcase(s.file, s.file).skipped = `${s.line !== undefined ? `line ${s.line}: ` : ''}${s.reason}`;
  for (const x of report.findings) testcase(x.file ?? NO_FILE, objectLabel(x.finding) || x.finding.id).findings.push(x);
  for (const x of report.workloads ?? []) {
    if (x.workload.judgement !== WorkloadJudgement.NOT_JUDGED) continue;
    const c = testcase(x.file ?? NO_FILE, workloadLabel(x.workload));
    if (c.findings.length === 0) c.skipped = `not judged: ${x.workload.reason}`;
  }

  const line = ({ finding: f, line: n }: LocatedFinding) =>
    `${f.severity} ${f.id}${f.path ? ` ${f.path}` : ''}${n !== undefined && !(f.path ?? '').startsWith('line ') ? ` (line ${n})` : ''}: ${f.message}`;
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const body: string[] = [];
  let total = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  for (const file of [...suites.keys()].sort((a, b) => (a === NO_FILE ? 1 : 0) - (b === NO_FILE ? 1 : 0) || cmp(a, b))) {
    const cases = [...suites.get(file)!.values()];
    const failing = (c: Case) => c.findings.filter(x => severityRank(x.finding.severity) >= threshold);
    const failures = cases.filter(c => failing(c).length > 0).length;
    const skipped = cases.filter(c => c.skipped !== undefined).length;
    total += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    body.push(`  <testsuite name="${xmlEscape(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`);
    for (const c of cases) {
      const bad = failing(c);
      const rest = c.findings.filter(x => !bad.includes(x));
      const open = `    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(c.name)}"`;
      if (bad.length === 0 && rest.length === 0 && c.skipped === undefined) {
        body.push(`${open}/>`);
        continue;
      }
      body.push(`${open}>`);
      if (c.skipped !== undefined) body.push(`      <skipped message="${xmlEscape(c.skipped)}"/>`);
      if (bad.length > 0) {
        const text = bad.map(x => `${line(x)}\n  fix: ${x.finding.remediation}`).join('\n');
        body.push(`      <failure message="${xmlEscape(line(bad[0]))}${bad.length > 1 ? xmlEscape(` (and ${bad.length - 1} more)`) : ''}"`
          + ` type="${xmlEscape(bad[0].finding.id)}">${xmlText(text)}</failure>`);
      }
      if (rest.length > 0) {
        body.push(`      <system-out>${xmlText(rest.map(x => `${line(x)}\n  fix: ${x.finding.remediation}`).join('\n'))}</system-out>`);
      }
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  out.push(`<testsuites name="cdk8s-graceful" tests="${total}" failures="${totalFailures}" errors="0" skipped="${totalSkipped}">`);
  // no spread: a large input's body has more lines than a call can take arguments (RangeError)
  return [...out, ...body, '</testsuites>'].join('\n') + '\n';
}

/** Element text: escaped, but line breaks kept as they are (CI shows them). */
function xmlText(text: string): string {
  return xmlEscape(text).replace(/&#10;/g, '\n');
}
