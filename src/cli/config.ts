import * as fs from 'fs';
import * as path from 'path';
import { isMap, parseDocument } from 'yaml';
import { InputError } from './load';
import { FAIL_ON, FailOn } from './select';
import { FindingSeverity } from '../finding';
import { Rules } from '../rules/engine';

/** The name of the configuration file, looked for in the working directory and its parents. */
export const CONFIG_FILE = '.cdk8s-graceful.yaml';

/** What `.cdk8s-graceful.yaml` says (every field optional). */
export interface Config {
  /** The file it was read from, as shown in messages. */
  readonly file: string;
  /** `rules.include`: run only these rules. */
  readonly include?: string[];
  /** `rules.exclude`: do not run these rules. */
  readonly exclude?: string[];
  /** `severity`: rule id → the severity its findings are reported with. */
  readonly severity: Record<string, FindingSeverity>;
  /** `fail-on`: the default of `--fail-on`. */
  readonly failOn?: FailOn;
}

const KEYS = ['rules', 'severity', 'fail-on'];
const RULES_KEYS = ['include', 'exclude'];
const SEVERITIES: string[] = [FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO];

/**
 * The configuration file that applies in `cwd`: `.cdk8s-graceful.yaml` in `cwd`, else in its parents,
 * up to and including the repository root (the first directory with a `.git`) or the filesystem root.
 */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (fs.existsSync(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and checks a configuration file.
 * @param file its path (absolute or relative to `cwd`)
 * @param cwd the working directory (the file is named relative to it in messages)
 * @throws InputError naming the file and the key when it cannot be read, is not YAML, has an unknown
 * key, an unknown rule id or a value of the wrong kind
 */
export function readConfig(file: string, cwd: string): Config {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const shown = (rel === '' || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
  const fail = (key: string | undefined, problem: string): never => {
    throw new InputError(`${shown}: ${key !== undefined ? `${key}: ` : ''}${problem}`);
  };
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf-8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    return fail(undefined, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'cannot read (permission denied)'
      : code === 'EISDIR' ? 'is a directory' : `cannot read (${(e as Error).message})`);
  }
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { uniqueKeys: true });
  if (doc.errors.length > 0) return fail(undefined, `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const root = doc.toJS();
  if (root === null || root === undefined) return { file: shown, severity: {} };
  if (!isMap(doc.contents)) return fail(undefined, 'must be a mapping (keys: rules, severity, fail-on)');

  const known = new Set(Rules.all().map(r => r.id));
  const checkIds = (key: string, ids: unknown): string[] => {
    if (!Array.isArray(ids) || ids.some(x => typeof x !== 'string')) return fail(key, 'must be a list of rule ids');
    const unknown = (ids as string[]).filter(id => !known.has(id));
    if (unknown.length > 0) {
      fail(key, `unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.map(id => `'${id}'`).join(', ')} (known: ${[...known].join(', ')})`);
    }
    return ids as string[];
  };
  for (const key of Object.keys(root)) {
    if (!KEYS.includes(key)) fail(key, `unknown key (known: ${KEYS.join(', ')})`);
  }

  let include: string[] | undefined;
  let exclude: string[] | undefined;
  if (root.rules !== undefined && root.rules !== null) {
    if (typeof root.rules !== 'object' || Array.isArray(root.rules)) return fail('rules', 'must be a mapping (keys: include, exclude)');
    for (const key of Object.keys(root.rules)) {
      if (!RULES_KEYS.includes(key)) fail(`rules.${key}`, `unknown key (known: ${RULES_KEYS.join(', ')})`);
    }
    if (root.rules.include !== undefined && root.rules.include !== null) include = checkIds('rules.include', root.rules.include);
    if (root.rules.exclude !== undefined && root.rules.exclude !== null) exclude = checkIds('rules.exclude', root.rules.exclude);
  }

  const severity: Record<string, FindingSeverity> = {};
  if (root.severity !== undefined && root.severity !== null) {
    if (typeof root.severity !== 'object' || Array.isArray(root.severity)) return fail('severity', 'must be a mapping of rule id to error, warning or info');
    for (const [id, value] of Object.entries(root.severity)) {
      if (!known.has(id)) fail(`severity.${id}`, `unknown rule id '${id}' (known: ${[...known].join(', ')})`);
      if (typeof value !== 'string' || !SEVERITIES.includes(value)) {
        fail(`severity.${id}`, `must be one of ${SEVERITIES.join(', ')}; got ${JSON.stringify(value)}`);
      }
      severity[id] = value as FindingSeverity;
    }
  }

  let failOn: FailOn | undefined;
  const f = root['fail-on'];
  if (f !== undefined && f !== null) {
    if (typeof f !== 'string' || !(FAIL_ON as readonly string[]).includes(f)) {
      fail('fail-on', `must be one of ${FAIL_ON.join(', ')}; got ${JSON.stringify(f)}`);
    }
    failOn = f as FailOn;
  }
  return { file: shown, include, exclude, severity, failOn };
}
