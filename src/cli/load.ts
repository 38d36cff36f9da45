import * as fs from 'fs';
import * as path from 'path';
import { copiedScripts, isDockerfileName } from './dockerfile';
import { lineOf, Note, ParsedObject, parseYaml, Skipped } from './yaml';
import { Finding } from '../finding';
import { AuditDockerfile, AuditInput } from '../rules/engine';

/** The name findings and messages use for YAML read from standard input. */
export const STDIN_NAME = '<stdin>';

/** An input path that cannot be read: a usage error (exit code 2), not a finding. */
export class InputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** One file to audit. */
export interface InputFile {
  /** How the file is named in findings and output: relative to the working directory, `/`-separated. */
  readonly name: string;
  /** Absolute path; undefined for standard input. */
  readonly path?: string;
  readonly type: 'yaml' | 'dockerfile';
}

export interface LoadOptions {
  /** Directory names are made relative to. */
  readonly cwd: string;
  /** Reads standard input (for `-`). */
  readonly readStdin?: () => string;
}

/** Everything read from the inputs. */
export interface Loaded {
  /** Every file read (audited or skipped), in order. */
  readonly files: InputFile[];
  readonly objects: ParsedObject[];
  readonly dockerfiles: AuditDockerfile[];
  /** Files that were found but could not be read as YAML: reported and left out. */
  readonly skipped: Skipped[];
  /** Things worth saying about files that were audited (a placeholder read as text). */
  readonly notes: Note[];
}

/**
 * Expands the command-line inputs into files: a file is taken as named (a Dockerfile by its name,
 * anything else as YAML), a directory is walked recursively for `*.yaml`, `*.yml` and Dockerfiles
 * (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`; `.git` and `node_modules` are not
 * entered), `-` is standard input. The result is sorted by name within each directory and free of
 * duplicates.
 * @throws InputError when a named path does not exist or cannot be read
 */
export function collectFiles(inputs: string[], cwd: string): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const add = (file: InputFile) => {
    const key = file.path ?? STDIN_NAME;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(file);
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      add({ name: STDIN_NAME, type: 'yaml' });
      continue;
    }
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e: any) {
      throw new InputError(`${input}: ${e?.code === 'ENOENT' ? 'no such file or directory' : describe(e)}`);
    }
    if (stat.isDirectory()) {
      try {
        fs.readdirSync(abs);
      } catch (e) {
        throw new InputError(`${input}: cannot read directory (${describe(e)})`);
      }
      for (const f of walk(abs, cwd)) add(f);
    } else {
      try {
        fs.accessSync(abs, fs.constants.R_OK);
      } catch (e) {
        throw new InputError(`${input}: cannot read (${describe(e)})`);
      }
      add({ name: displayName(abs, cwd), path: abs, type: isDockerfileName(path.basename(abs)) ? 'dockerfile' : 'yaml' });
    }
  }
  return out;
}

/**
 * Reads and parses the inputs. A YAML file that does not parse is recorded in `skipped` (with its line
 * and why) and the others are still read.
 * @throws InputError as `collectFiles`
 */
export function load(inputs: string[], options: LoadOptions): Loaded {
  const files = collectFiles(inputs, options.cwd);
  const objects: ParsedObject[] = [];
  const dockerfiles: AuditDockerfile[] = [];
  const skipped: Skipped[] = [];
  const notes: Note[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file.path === undefined ? (options.readStdin ?? readStdin)() : fs.readFileSync(file.path, 'utf-8');
    } catch (e) {
      skipped.push({ file: file.name, reason: `cannot be read (${describe(e)})` });
      continue;
    }
    if (file.type === 'dockerfile') {
      const scripts = copiedScripts(text, path.dirname(file.path!));
      dockerfiles.push(Object.keys(scripts).length > 0 ? { file: file.name, content: text, scripts } : { file: file.name, content: text });
      continue;
    }
    const parsed = parseYaml(text, file.name);
    if ('skipped' in parsed) {
      skipped.push(parsed.skipped);
    } else {
      for (const o of parsed.objects) objects.push(o);
      for (const n of parsed.notes) notes.push(n);
    }
  }
  return { files, objects, dockerfiles, skipped, notes };
}

/** The audit's input for what was loaded. */
export function auditInput(loaded: Loaded): AuditInput {
  return { documents: loaded.objects.map(o => o.document), dockerfiles: loaded.dockerfiles };
}

/**
 * Finds where a finding points: its file and 1-based line. Objects are matched by file, document
 * index, kind and name; Dockerfile findings carry their line in the path (`line 12`).
 */
export class Locator {
  /** `file\0index` → the objects of that document (several for a `kind: List`). */
  private readonly byIndex = new Map<string, ParsedObject[]>();
  /** `file\0kind\0name` → objects. */
  private readonly byName = new Map<string, ParsedObject[]>();

  public constructor(objects: ParsedObject[]) {
    for (const o of objects) {
      const file = o.document.file ?? '';
      push(this.byIndex, `${file}\0${o.document.index}`, o);
      push(this.byName, `${file}\0${o.document.object.kind}\0${o.document.object.metadata?.name ?? ''}`, o);
    }
  }

  /** The file of a finding (undefined when it has none). */
  public fileOf(f: Finding): string | undefined {
    return f.object?.file ?? (f.object?.kind === 'Dockerfile' ? f.object.name : undefined);
  }

  /** The 1-based line a finding points at, when it can be found. */
  public lineOf(f: Finding): number | undefined {
    const o = f.object;
    if (!o) return undefined;
    const m = /^line (\d+)\b/.exec(f.path ?? '');
    if (o.kind === 'Dockerfile' || m) return m ? Number(m[1]) : undefined;
    const file = o.file ?? '';
    const same = (p: ParsedObject) => p.document.object.kind === o.kind && (p.document.object.metadata?.name ?? '') === o.name
      && (o.namespace === undefined || p.document.object.metadata?.namespace === o.namespace);
    const atIndex = o.index !== undefined ? this.byIndex.get(`${file}\0${o.index}`) ?? [] : [];
    const parsed = atIndex.find(same)
      ?? (this.byName.get(`${file}\0${o.kind}\0${o.name}`) ?? []).find(same)
      ?? atIndex[0];
    return parsed ? lineOf(parsed, f.path) : undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function* walk(dir: string, cwd: string, visited = new Set<string>()): Generator<InputFile> {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return;
  }
  if (visited.has(real)) return; // a symlink loop
  visited.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const s = fs.statSync(full);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDir) {
      if (e.name !== '.git' && e.name !== 'node_modules') yield* walk(full, cwd, visited);
    } else if (isFile) {
      if (/\.ya?ml$/i.test(e.name)) yield { name: displayName(full, cwd), path: full, type: 'yaml' };
      else if (isDockerfileName(e.name)) yield { name: displayName(full, cwd), path: full, type: 'dockerfile' };
    }
  }
}

function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.message ?? String(e);
}

function readStdin(): string {
  return fs.readFileSync(0, 'utf-8');
}
