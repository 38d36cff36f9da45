import * as fs from 'fs';
import * as path from 'path';
import { copiedScripts, isDockerfileName } from './dockerfile';
import { commandOf, findOnPath, RenderError, renderDirectory, RenderKind, renderKindOf, toolOf } from './render';
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
  /**
   * A directory rendered by a tool (`helm template`, `kubectl kustomize`) instead of being read; `path` is
   * the directory, `executable` the tool found on PATH.
   */
  readonly render?: { readonly kind: RenderKind; readonly executable: string };
}

export interface LoadOptions {
  /** Directory names are made relative to. */
  readonly cwd: string;
  /** Reads standard input (for `-`): its bytes, or text already decoded. */
  readonly readStdin?: () => string | Buffer;
  /** Accept an empty standard input (a note instead of an InputError). */
  readonly allowEmpty?: boolean;
  /**
   * Where `helm` and `kubectl` are looked for (PATH's syntax).
   * @default process.env.PATH
   */
  readonly searchPath?: string;
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
 * @throws InputError when a named path does not exist or cannot be read (naming every such path, in
 * name order)
 */
export function collectFiles(inputs: string[], cwd: string, tools: Tools = new Tools(process.env.PATH)): InputFile[] {
  const out: InputFile[] = [];
  const problems: string[] = [];
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
      problems.push(`${input}: ${e?.code === 'ENOENT' || e?.code === 'ENOTDIR' ? 'no such file or directory' : describe(e)}`);
      continue;
    }
    if (stat.isDirectory()) {
      try {
        fs.readdirSync(abs);
      } catch (e) {
        problems.push(`${input}: cannot read directory (${describe(e)})`);
        continue;
      }
      for (const f of walk(abs, cwd, problems, tools)) add(f);
    } else {
      try {
        fs.accessSync(abs, fs.constants.R_OK);
      } catch (e) {
        problems.push(`${input}: cannot be read (${describe(e)})`);
        continue;
      }
      add({ name: displayName(abs, cwd), path: abs, type: isDockerfileName(path.basename(abs)) ? 'dockerfile' : 'yaml' });
    }
  }
  if (problems.length > 0) throw new InputError(problems.sort(compare).join('\n'));
  return out;
}

/**
 * Reads and parses the inputs, in name order whatever the order they were given in (so that the output
 * does not depend on it). A YAML file that does not parse is recorded in `skipped` (with its line and
 * why) and the others are still read. Bytes are decoded by their byte-order mark (see `decode`).
 * @throws InputError as `collectFiles`; and, naming every such file, when a file or standard input cannot
 * be read or decoded, or standard input is empty (unless `allowEmpty`)
 */
export function load(inputs: string[], options: LoadOptions): Loaded {
  const tools = new Tools(options.searchPath ?? process.env.PATH);
  const files = collectFiles(inputs, options.cwd, tools).sort((a, b) => compare(a.name, b.name));
  const objects: ParsedObject[] = [];
  const dockerfiles: AuditDockerfile[] = [];
  const skipped: Skipped[] = [];
  const notes: Note[] = [...tools.notes];
  const problems: string[] = [];
  for (const file of files) {
    if (file.render !== undefined) {
      let parts;
      try {
        parts = renderDirectory(file.render.kind, file.path!, file.name, file.render.executable);
      } catch (e) {
        if (e instanceof RenderError) {
          problems.push(e.message);
          continue;
        }
        throw e;
      }
      if (parts.length === 0) {
        skipped.push({ file: file.name, reason: `${commandOf(file.render.kind)} rendered nothing` });
      }
      for (const part of parts) {
        const parsed = parseYaml(part.text, part.name);
        if ('skipped' in parsed) {
          skipped.push(parsed.skipped);
        } else {
          for (const o of parsed.objects) objects.push(o);
          for (const n of parsed.notes) notes.push(n);
        }
      }
      continue;
    }
    let text: string;
    try {
      const raw = file.path === undefined ? (options.readStdin ?? readStdin)() : fs.readFileSync(file.path);
      const decoded = typeof raw === 'string' ? { text: raw } : decode(raw);
      if ('problem' in decoded) {
        problems.push(`${file.name}: ${decoded.problem}`);
        continue;
      }
      text = decoded.text;
    } catch (e) {
      problems.push(`${file.name}: cannot be read (${describe(e)})`);
      continue;
    }
    if (file.path === undefined && text.trim() === '') {
      if (options.allowEmpty) {
        notes.push({ file: file.name, reason: 'standard input is empty; accepted because of --allow-empty' });
      } else {
        problems.push(`${file.name}: standard input is empty (did the command before the pipe fail?); `
          + 'pass --allow-empty to accept an empty input');
      }
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
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return { files, objects, dockerfiles, skipped: sortNotes(skipped), notes: sortNotes(notes) };
}

/**
 * Decodes a file's bytes by its byte-order mark: UTF-8 (the mark dropped), UTF-16LE and UTF-16BE (what
 * PowerShell's `>` writes); without a mark, UTF-8. Anything else with NUL bytes (binary, UTF-32, UTF-16
 * without a mark) is a problem, not text read as empty.
 */
export function decode(bytes: Buffer): { text: string } | { problem: string } {
  const saveAs = 'save it as UTF-8 (PowerShell: `Out-File -Encoding utf8`, or `Set-Content -Encoding utf8`)';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return checked(bytes.toString('utf-8', 3), 'UTF-8');
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0)
    || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    return { problem: `is UTF-32, which is not read; ${saveAs}` };
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const body = bytes.subarray(2);
    if (body.length % 2 !== 0) return { problem: `is cut off: UTF-16${le ? 'LE' : 'BE'} (by its byte-order mark) with an odd number of bytes` };
    if (le) return checked(body.toString('utf16le'), 'UTF-16LE');
    const swapped = Buffer.from(body); // swap16 works in place
    return checked(swapped.swap16().toString('utf16le'), 'UTF-16BE');
  }
  if (bytes.includes(0)) {
    return { problem: `contains NUL bytes: binary, or UTF-16/UTF-32 without a byte-order mark, not YAML or a Dockerfile; ${saveAs}` };
  }
  return { text: bytes.toString('utf-8') };

  function checked(text: string, encoding: string): { text: string } | { problem: string } {
    return text.includes('\0') ? { problem: `contains NUL characters (decoded as ${encoding} by its byte-order mark): not YAML or a Dockerfile` } : { text };
  }
}

/** Skip reasons and notes in output order: by file, line (none first), reason, as findings are sorted. */
function sortNotes(list: Skipped[]): Skipped[] {
  return list.slice().sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compare(a.reason, b.reason));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

/**
 * The tools that render chart and kustomization directories, looked up once on PATH, and what was said
 * about directories that could not be rendered.
 */
export class Tools {
  public readonly notes: Note[] = [];
  private readonly found = new Map<string, string | undefined>();

  public constructor(private readonly searchPath: string | undefined) {}

  /**
   * The rendered input for a chart or kustomization directory, or undefined to walk it as plain files (a
   * note says why).
   */
  public renderInput(dir: string, cwd: string): InputFile | undefined {
    const kind = renderKindOf(dir);
    if (kind === undefined) return undefined;
    const tool = toolOf(kind);
    if (!this.found.has(tool)) this.found.set(tool, findOnPath(tool, this.searchPath));
    const executable = this.found.get(tool);
    const name = displayName(dir, cwd);
    if (executable === undefined) {
      this.notes.push({
        file: name,
        reason: kind === 'helm'
          ? `a Helm chart, but helm is not on PATH: its templates are read unrendered (a file that does not parse is skipped, a workload with a template value is not judged); install helm, or audit \`helm template ${name}\` piped into \`-\``
          : `a kustomization, but kubectl is not on PATH: its files are read as they are (patches, generators, name prefixes and bases are not applied); install kubectl, or audit \`kubectl kustomize ${name}\` piped into \`-\``,
      });
      return undefined;
    }
    return { name, path: dir, type: 'yaml', render: { kind, executable } };
  }
}

/**
 * Files under `dir`; a subdirectory that cannot be read is added to `problems` (its files would be missed).
 * A Helm chart or kustomization directory (the one given or one met on the way) is one rendered input
 * when its tool is on PATH.
 */
function* walk(dir: string, cwd: string, problems: string[], tools: Tools, visited = new Set<string>(),
  dockerfilesOnly = false): Generator<InputFile> {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (e) {
    problems.push(`${displayName(dir, cwd)}: cannot read directory (${describe(e)})`);
    return;
  }
  if (visited.has(real)) return; // a symlink loop
  visited.add(real);
  const rendered = dockerfilesOnly ? undefined : tools.renderInput(dir, cwd);
  if (rendered !== undefined) {
    // its YAML is in the rendered output; Dockerfiles beside it (an application with its chart) are still read
    yield rendered;
    dockerfilesOnly = true;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push(`${displayName(dir, cwd)}: cannot read directory (${describe(e)})`);
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
      if (e.name !== '.git' && e.name !== 'node_modules') yield* walk(full, cwd, problems, tools, visited, dockerfilesOnly);
    } else if (isFile) {
      if (/\.ya?ml$/i.test(e.name)) {
        if (!dockerfilesOnly) yield { name: displayName(full, cwd), path: full, type: 'yaml' };
      } else if (isDockerfileName(e.name)) {
        yield { name: displayName(full, cwd), path: full, type: 'dockerfile' };
      }
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
  if (err?.code === 'EBADF') return 'not open';
  return err?.message ?? String(e);
}

/**
 * Standard input's bytes. `readFileSync(0)` gives up with EAGAIN on a non-blocking pipe; this waits and
 * reads on until the end.
 */
function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(65_536);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e: any) {
      if (e?.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (e?.code === 'EOF') break; // Windows: the other end of the pipe was closed
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}
