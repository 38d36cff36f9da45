import * as fs from 'fs';
import * as path from 'path';
import { STDIN_NAME } from './load';
import { Note, Skipped } from './yaml';
import { Finding, FindingObject, FindingSeverity } from '../finding';
import { redact } from '../redact';
import { Rule } from '../rules/engine';

/** Output formats of `cdk8s-graceful audit`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = typeof FORMATS[number];

/** A finding with where it was found. */
export interface LocatedFinding {
  readonly finding: Finding;
  /** The file (as named in the output), when the finding belongs to one. */
  readonly file?: string;
  /** 1-based line in that file, when it could be found. */
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

/**
 * The report in the given format, ending with a newline. Every text in it (messages, fixes, paths, object
 * names, skip reasons and notes) goes through the library's redaction first: no format shows a credential.
 */
export function formatReport(report: Report, format: Format): string {
  const safe = redactReport(report);
  switch (format) {
    case 'json': return formatJson(safe);
    case 'sarif': return formatSarif(safe);
    default: return formatText(safe);
  }
}

function redactObject(o: FindingObject): FindingObject {
  return { ...o, name: redact(o.name), ...(o.file !== undefined ? { file: redact(o.file) } : {}) };
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
      },
      file: file === undefined ? undefined : redact(file),
      line,
    })),
    skipped: report.skipped.map(note),
    notes: report.notes?.map(note),
  };
}

/**
 * Text: findings grouped by file, one line each (`severity rule-id Kind/name path (line N): message`)
 * with the fix indented below it, then one summary line.
 */
export function formatText(report: Report): string {
  const lines: string[] = [];
  let currentFile: string | null = null;
  for (const { finding: f, file, line } of report.findings) {
    const group = file ?? '(no file)';
    if (group !== currentFile) {
      if (currentFile !== null) lines.push('');
      lines.push(group);
      currentFile = group;
    }
    const where = [objectLabel(f), f.path, line !== undefined && !(f.path ?? '').startsWith('line ') ? `(line ${line})` : undefined]
      .filter(x => x !== undefined && x !== '').join(' ');
    lines.push(`  ${f.severity} ${f.id}${where ? ` ${where}` : ''}: ${f.message}`);
    lines.push(`    fix: ${f.remediation}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summary(report));
  return lines.join('\n') + '\n';
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
 * JSON: an array of findings, each `{ file, line, id, severity, object, path, message, remediation }`
 * (absent values left out), in output order.
 */
export function formatJson(report: Report): string {
  const out = report.findings.map(({ finding: f, file, line }) => ({
    file,
    line,
    id: f.id,
    severity: f.severity,
    object: f.object ? { kind: f.object.kind, name: f.object.name, namespace: f.object.namespace } : undefined,
    path: f.path,
    message: f.message,
    remediation: f.remediation,
  }));
  return JSON.stringify(out, null, 2) + '\n';
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
    if (file !== undefined && file !== STDIN_NAME) {
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
      properties: { remediation: f.remediation, ...(f.path ? { path: f.path } : {}) },
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
