import * as fs from 'fs';
import * as path from 'path';

/** File names the audit reads as Dockerfiles when it walks a directory. */
export function isDockerfileName(name: string): boolean {
  if (/\.dockerignore$/i.test(name)) return false;
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

/** Scripts larger than this are not read (a shell script that size is not a start script). */
const MAX_SCRIPT_BYTES = 256 * 1024;
/** Files read from one `COPY dir/ …` at most. */
const MAX_FILES_PER_DIRECTORY = 50;

/**
 * The scripts a Dockerfile puts into its image that exist in the build context (taken to be the
 * Dockerfile's directory), keyed by their path in the image: `COPY start.sh /app/` → `/app/start.sh`.
 *
 * Only plain sources are followed: `COPY --from=…` (another stage or image), URLs, globs and sources
 * with build arguments (`$VAR`) are left out, as are files that are neither `*.sh` nor start with `#!`.
 * Relative destinations are resolved against the stage's `WORKDIR`.
 */
export function copiedScripts(content: string, contextDir: string): { [pathInImage: string]: string } {
  const scripts: { [pathInImage: string]: string } = {};
  let workdir = '/';
  for (const instruction of instructions(content)) {
    const [keyword, ...rest] = instruction.split(/\s+/);
    const kw = keyword.toUpperCase();
    if (kw === 'FROM') {
      workdir = '/';
    } else if (kw === 'WORKDIR' && rest.length > 0 && !rest.join(' ').includes('$')) {
      workdir = path.posix.resolve(workdir, unquote(rest.join(' ')));
    } else if (kw === 'COPY' || kw === 'ADD') {
      const args = copyArguments(instruction.slice(keyword.length).trim());
      if (!args) continue;
      const { sources, dest } = args;
      if (dest.includes('$')) continue;
      const destInImage = path.posix.resolve(workdir, dest);
      const intoDirectory = dest.endsWith('/') || dest === '.' || dest === '..' || sources.length > 1;
      for (const source of sources) {
        if (/[*?[$]/.test(source) || /^[a-z]+:\/\//i.test(source) || source.startsWith('<<')) continue;
        // A source is always inside the build context, even when written with a leading slash
        // (`ADD /docker/entrypoint.sh /home/` reads <context>/docker/entrypoint.sh), so it is joined, not resolved.
        const local = path.join(contextDir, source);
        if (!isInside(contextDir, local)) continue;
        for (const [relative, text] of readScripts(local)) {
          const target = relative === ''
            ? (intoDirectory ? path.posix.join(destInImage, path.basename(local)) : destInImage)
            : path.posix.join(destInImage, relative);
          scripts[target] = text;
        }
      }
    }
  }
  return scripts;
}

/** Logical instructions: comments and blank lines dropped, `\` continuations joined. */
function instructions(content: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (current !== '' && line.startsWith('#')) continue; // comment lines inside a continuation
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim() !== '') out.push(current.trim());
    current = '';
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function copyArguments(args: string): { sources: string[]; dest: string } | undefined {
  const words: string[] = [];
  let rest = args;
  // flags: --chown=…, --chmod=…, --link, --from=… (another stage: nothing in the context)
  while (rest.startsWith('--')) {
    const m = /^(--\S+)\s*/.exec(rest)!;
    if (m[1].startsWith('--from')) return undefined;
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith('[')) {
    try {
      const parsed = JSON.parse(rest);
      if (!Array.isArray(parsed) || !parsed.every(x => typeof x === 'string')) return undefined;
      for (const w of parsed) words.push(w);
    } catch {
      return undefined;
    }
  } else {
    for (const w of rest.split(/\s+/)) if (w !== '') words.push(unquote(w));
  }
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

/** A script file → `[['', text]]`; a directory → its script files by relative path; anything else → none. */
function readScripts(local: string): [string, string][] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(local);
  } catch {
    return [];
  }
  if (stat.isFile()) {
    const text = readScript(local, stat);
    return text === undefined ? [] : [['', text]];
  }
  if (!stat.isDirectory()) return [];
  const out: [string, string][] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3 || out.length >= MAX_FILES_PER_DIRECTORY) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') walk(full, depth + 1);
      } else if (e.isFile() && out.length < MAX_FILES_PER_DIRECTORY) {
        const text = readScript(full, fs.statSync(full));
        if (text !== undefined) out.push([path.relative(local, full).split(path.sep).join('/'), text]);
      }
    }
  };
  walk(local, 0);
  return out;
}

function readScript(file: string, stat: fs.Stats): string | undefined {
  if (stat.size > MAX_SCRIPT_BYTES) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    return undefined;
  }
  if (text.includes('\u0000')) return undefined;
  return file.endsWith('.sh') || text.startsWith('#!') ? text : undefined;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
