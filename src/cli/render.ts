/*
 * Directories that are not plain manifests: a Helm chart (`Chart.yaml`) is rendered with `helm template`,
 * a kustomization (`kustomization.yaml`) is built with `kubectl kustomize`, when the tool is on PATH. The
 * tool runs without a shell (execFile), with a time and an output limit; what it prints is parsed as YAML
 * and every object keeps where it came from (the chart's template, or the kustomization) in its file name.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { redact } from '../redact';

/** How a directory is turned into manifests. */
export type RenderKind = 'helm' | 'kustomize';

/** The longest a rendering may take. */
export const RENDER_TIMEOUT_MS = 60_000;
/** The most output a rendering may print (a chart renders to kilobytes; this is a runaway guard). */
export const RENDER_MAX_BYTES = 32 * 1024 * 1024;
/** How much of the tool's standard error an error message quotes. */
const STDERR_QUOTE = 2_000;

/** The files that make a directory a kustomization (kustomize's own list). */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** What a directory is: a Helm chart, a kustomization, or plain files. */
export function renderKindOf(dir: string): RenderKind | undefined {
  if (isFile(path.join(dir, 'Chart.yaml'))) return 'helm';
  if (KUSTOMIZATION_FILES.some(f => isFile(path.join(dir, f)))) return 'kustomize';
  return undefined;
}

/** The command a kind runs (for messages): `helm template`, `kubectl kustomize`. */
export function commandOf(kind: RenderKind): string {
  return kind === 'helm' ? 'helm template' : 'kubectl kustomize';
}

/** The executable a kind needs. */
export function toolOf(kind: RenderKind): string {
  return kind === 'helm' ? 'helm' : 'kubectl';
}

/**
 * The absolute path of an executable named `tool` in the directories of `searchPath` (PATH's syntax), or
 * undefined.
 */
export function findOnPath(tool: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, tool);
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** One rendered piece: the name findings use for it, and its YAML. */
export interface RenderedPart {
  readonly name: string;
  readonly text: string;
}

/** A rendering that failed: the message says which directory, which command and why. */
export class RenderError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * Renders `dir` (shown as `display`) with `executable`. Helm's output is split at its `# Source:` comments,
 * so each object is named after the template it came from
 * (`charts/orders/templates/deployment.yaml (helm template charts/orders)`); a kustomization's output is one
 * part (`overlays/prod/kustomization.yaml (kubectl kustomize overlays/prod)`). Lines are those of the
 * rendered part.
 * @throws RenderError when the tool cannot be run, fails, takes longer than {@link RENDER_TIMEOUT_MS} or
 * prints more than {@link RENDER_MAX_BYTES}
 */
export function renderDirectory(kind: RenderKind, dir: string, display: string, executable: string,
  limits: { readonly timeoutMs: number; readonly maxBytes: number } = { timeoutMs: RENDER_TIMEOUT_MS, maxBytes: RENDER_MAX_BYTES }): RenderedPart[] {
  const args = kind === 'helm' ? ['template', dir] : ['kustomize', dir];
  const what = `${commandOf(kind)} ${display}`;
  let out: string;
  try {
    out = execFileSync(executable, args, {
      encoding: 'utf-8',
      timeout: limits.timeoutMs,
      maxBuffer: limits.maxBytes,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e: any) {
    throw new RenderError(`${display}: ${what} failed: ${describeFailure(e, limits)}`);
  }
  if (kind === 'kustomize') {
    const file = KUSTOMIZATION_FILES.find(f => isFile(path.join(dir, f))) ?? KUSTOMIZATION_FILES[0];
    return [{ name: `${display}/${file} (${what})`, text: out }];
  }
  return splitHelmSources(out, display, what);
}

/**
 * Helm prints `---` and `# Source: <chart>/templates/x.yaml` before each rendered template; the chart's
 * name is replaced by the directory's so the name points at the file in the repository.
 */
function splitHelmSources(out: string, display: string, what: string): RenderedPart[] {
  const parts: { source?: string; lines: string[] }[] = [{ lines: [] }];
  for (const line of out.split('\n')) {
    const m = /^# Source: (.+?)\s*$/.exec(line);
    if (m) {
      const previous = parts[parts.length - 1];
      // the `---` that opened this document belongs to it, not to the previous part
      if (previous.lines.length > 0 && previous.lines[previous.lines.length - 1].trim() === '---') previous.lines.pop();
      parts.push({ source: m[1], lines: [] });
      continue;
    }
    parts[parts.length - 1].lines.push(line);
  }
  const named = new Map<string, string[]>();
  for (const p of parts) {
    const text = p.lines.join('\n');
    if (text.trim() === '' || text.trim() === '---') continue;
    const source = p.source === undefined ? undefined : `${display}/${p.source.split('/').slice(1).join('/')}`;
    const name = source !== undefined ? `${source} (${what})` : `${display} (${what})`;
    named.set(name, [...(named.get(name) ?? []), text]);
  }
  return [...named.entries()].map(([name, texts]) => ({ name, text: texts.join('\n---\n') }));
}

/**
 * The file a rendered part came from and the command that rendered it, read back from the part's name
 * (`charts/orders/templates/deployment.yaml (helm template charts/orders)`); undefined for a file read as is.
 */
export function renderedSource(name: string): { file: string; command: string } | undefined {
  const m = /^(.+) \(((?:helm template|kubectl kustomize) .+)\)$/.exec(name);
  return m ? { file: m[1], command: m[2] } : undefined;
}

function describeFailure(e: any, limits: { readonly timeoutMs: number; readonly maxBytes: number }): string {
  if (e?.code === 'ENOBUFS') return `printed more than ${limits.maxBytes} bytes (${(limits.maxBytes / 1024 / 1024).toFixed(2)} MiB); audit its output piped into \`-\``;
  if (e?.code === 'ETIMEDOUT' || (e?.signal === 'SIGTERM' && e?.status === null)) {
    return `did not finish within ${limits.timeoutMs / 1000} s (stopped)`;
  }
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'ENOENT') return 'not found';
  const stderr = typeof e?.stderr === 'string' ? e.stderr.trim() : '';
  const quoted = stderr.length > STDERR_QUOTE ? `${stderr.slice(0, STDERR_QUOTE)}…` : stderr;
  const status = typeof e?.status === 'number' ? `exit code ${e.status}` : e?.signal ? `killed by ${e.signal}` : (e?.message ?? String(e));
  return redact(quoted ? `${status}: ${quoted}` : status);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
