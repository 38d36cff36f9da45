import { Document, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, visit } from 'yaml';
import { redact } from '../redact';
import { AuditDocument } from '../rules/engine';

/**
 * Parsing options shared by the CLI, the cdk8s validation plugin and the benchmark, so that all three
 * read YAML the same way. `merge` follows kubectl (sigs.k8s.io/yaml accepts `<<` merge keys);
 * `logLevel: 'error'` keeps the parser from printing process warnings for odd keys.
 */
export const YAML_OPTIONS = { merge: true, logLevel: 'error' as const, prettyErrors: true };

/** One Kubernetes object read from YAML, with what is needed to find the line of a JSON path in it. */
export interface ParsedObject {
  readonly document: AuditDocument;
  /** The YAML node of the object (a document's contents, or an item of a `kind: List`). */
  readonly node: Node;
  readonly lineCounter: LineCounter;
}

/** A file that could not be read as Kubernetes YAML: it is reported once and skipped. */
export interface Skipped {
  readonly file: string;
  /** 1-based line of the problem, when known. */
  readonly line?: number;
  readonly reason: string;
}

/** Something worth saying about a file that was still audited (same shape as `Skipped`). */
export type Note = Skipped;

/** What a YAML text holds: its objects (and notes about how it was read), or why it was skipped. */
export type ParsedYaml = { readonly objects: ParsedObject[]; readonly notes: Note[] } | { readonly skipped: Skipped };

/**
 * Parses a (multi-document) YAML text into Kubernetes objects. Documents without a `kind` (empty
 * documents, Helm values, Spring config) are ignored; `kind: List` items are expanded. The whole file is
 * skipped, with one reason, when any document does not parse or carries an unrendered template.
 *
 * One exception: a CI placeholder made of a bare name (`image: {{DOCKER_IMAGE}}`) in a value is read as
 * the text `{{DOCKER_IMAGE}}` (as if quoted) when that makes the file valid and it holds no other
 * template syntax; the file is audited and a note says so. Helm templates (`{{ .Values.x }}`, `{{- if }}`)
 * are skipped when they break the YAML or stand as a key: their structure is only known after rendering. One
 * that parses because it sits in a quoted string (`image: "{{ .Values.image }}"`) is read; the audit then lists
 * its workload as not judged (`unrenderedTemplate` in src/rules/model/workload.ts).
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const first = parseStrict(text, file);
  if (!('skipped' in first)) return first;
  const quoted = quoteBarePlaceholders(text);
  if (quoted === undefined) return first;
  const second = parseStrict(quoted.text, file);
  if ('skipped' in second) return first;
  const more = quoted.count > 1 ? ` and ${quoted.count - 1} more` : '';
  return {
    objects: second.objects,
    notes: [{
      file,
      line: quoted.line,
      reason: `template placeholder \`${redact(quoted.first)}\`${more} read as text; the audit sees the file as it is before CI substitutes it`,
    }],
  };
}

function parseStrict(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    return { skipped: { file, reason: `not valid YAML (${firstLine(e)})` } };
  }
  const template = templateMarker(text);
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      return { skipped: { file, line, reason: `not valid YAML: ${firstLine(error)}${duplicateKey(error, text)}${template ? templateHint(template) : ''}` } };
    }
  }
  if (template) {
    // It parsed, but `key: {{ X }}` parses as a map whose key is a map: no Kubernetes object looks like that.
    for (const doc of docs) {
      const placeholder = collectionKey(doc);
      if (placeholder) {
        const line = lineCounter.linePos(placeholder.range![0]).line;
        return { skipped: { file, line, reason: `unrendered template placeholder${templateHint({ ...template, line })}` } };
      }
    }
  }

  const objects: ParsedObject[] = [];
  for (let index = 0; index < docs.length; index++) {
    const doc = docs[index];
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : undefined;
      return { skipped: { file, line, reason: `cannot be read as data: ${firstLine(e)}` } };
    }
    if (!isKubernetesObject(value) || !doc.contents) continue;
    if (value.kind === 'List' && Array.isArray(value.items)) {
      const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      value.items.forEach((item: any, i: number) => {
        const itemNode = isSeq(items) ? items.items[i] : undefined;
        if (isKubernetesObject(item)) {
          objects.push({ document: { object: item, file, index }, node: isNode(itemNode) ? itemNode : doc.contents!, lineCounter });
        }
      });
      continue;
    }
    objects.push({ document: { object: value, file, index }, node: doc.contents, lineCounter });
  }
  return { objects, notes: [] };
}

const TEMPLATE = /\{\{.*?\}\}/g;
const BARE_PLACEHOLDER = /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;

/**
 * The text with every bare-name placeholder that starts a value (`key: {{X}}`, `- {{X}}`) single-quoted,
 * or undefined when a non-comment line holds any other template syntax (or none is found).
 */
function quoteBarePlaceholders(text: string): { text: string; count: number; first: string; line: number } | undefined {
  let count = 0;
  let first = '';
  let line = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#/.test(lines[i])) continue;
    const templates = lines[i].match(TEMPLATE) ?? [];
    if (!templates.every(t => BARE_PLACEHOLDER.test(t))) return undefined;
    lines[i] = lines[i].replace(/(^\s*-\s+|:\s+)(\{\{[^}]*\}\}[^\s#]*)/g, (_, pre: string, value: string) => {
      count++;
      if (count === 1) {
        first = value;
        line = i + 1;
      }
      return `${pre}'${value.replace(/'/g, "''")}'`;
    });
  }
  return count > 0 ? { text: lines.join('\n'), count, first, line } : undefined;
}

/**
 * The 1-based line of a finding's JSON path (`spec.template.spec.containers[0].lifecycle.preStop`,
 * `metadata.annotations["a/b"]`) inside an object: the line of the deepest part of the path that exists
 * (the key that is there, or the object that lacks the field), or the object's first line.
 */
export function lineOf(parsed: ParsedObject, jsonPath?: string): number {
  let node: unknown = parsed.node;
  let offset = startOffset(parsed.node);
  for (const segment of jsonPath ? splitPath(jsonPath) : []) {
    if (isMap(node)) {
      const pair = node.items.find(p => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      offset = startOffset(pair.key as Node) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      offset = startOffset(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? 1 : parsed.lineCounter.linePos(offset).line;
}

/** `a.b[0]["c.d"]` → `['a', 'b', 0, 'c.d']`. */
export function splitPath(jsonPath: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'([^']*)'\s*\]|([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(jsonPath)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) out.push(m[3]);
    else out.push(m[4]);
  }
  return out;
}

function isKubernetesObject(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.kind === 'string' && value.kind !== '';
}

function isNode(x: unknown): x is Node {
  return isScalar(x) || isCollection(x) || (x !== null && typeof x === 'object' && 'range' in (x as object));
}

function startOffset(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** ` ('resources' appears twice in the same mapping)` for a duplicate key, naming it when it is a plain name; else ''. */
function duplicateKey(error: { code?: string; pos?: [number, number] }, text: string): string {
  if (error.code !== 'DUPLICATE_KEY' || error.pos === undefined) return '';
  const key = /^(["']?)([A-Za-z0-9_.\/-]{1,64})\1\s*:/.exec(text.slice(error.pos[0], error.pos[0] + 80));
  return key ? ` ('${key[2]}' appears twice in the same mapping)` : '';
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // prettyErrors appends "at line L, column C:" and a code excerpt; the line is reported separately
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

interface TemplateMarker {
  readonly line: number;
  readonly text: string;
}

/**
 * The first `{{ … }}` outside a comment line: the text is a template that has not been rendered. The line is
 * redacted before the template is cut out of it, so that a `default "…"` credential is hidden even when
 * the secret's name is outside the template (`password: {{ .Values.x | default "…" }}`) or cut off.
 */
function templateMarker(text: string): TemplateMarker | undefined {
  if (!text.includes('{{')) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#/.test(lines[i]) || !/\{\{.*?\}\}/.test(lines[i])) continue;
    const line = redact(lines[i]);
    const m = /\{\{.*?\}\}/.exec(line);
    if (m) return { line: i + 1, text: m[0].length > 60 ? `${m[0].slice(0, 57)}...` : m[0] };
  }
  return undefined;
}

function templateHint(t: TemplateMarker): string {
  const helm = /\{\{-?\s*(\.|if |end|range |include |template |toYaml|with |-)/.test(t.text);
  const what = helm ? 'an unrendered Helm template' : 'an unrendered template';
  const fix = helm ? 'render it first (`helm template …`) and audit the output' : 'substitute the placeholders first and audit the output';
  return `; it looks like ${what} (\`${t.text}\` at line ${t.line}): ${fix}`;
}

/** The first map key that is itself a collection (`image: {{X}}` parses as `{ {X: null}: null }`). */
function collectionKey(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        found = pair.key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
