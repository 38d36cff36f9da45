/*
 * A Dockerfile reader, enough for the rules: instructions with their line numbers (continuations joined,
 * comment lines inside continuations dropped, the `# escape=` directive honoured, heredocs skipped), JSON
 * exec form vs shell form, stages, and the configuration the final image inherits through `FROM <stage>`.
 */

/** @internal */
export interface Instruction {
  /** Upper-case keyword. */
  readonly keyword: string;
  /** Everything after the keyword, continuations joined. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** The exec form's argv when `args` is a JSON array of strings. */
  readonly json?: string[];
  /**
   * `args` starts with `[` but is not a JSON array of strings (single or typographic quotes, a missing comma):
   * Docker then runs it in shell form (https://docs.docker.com/reference/dockerfile/#exec-form).
   */
  readonly brokenJson?: boolean;
}

/** @internal */
export interface Stage {
  readonly image: string;
  readonly alias?: string;
  readonly line: number;
  readonly instructions: Instruction[];
}

/** A command instruction of the final image: ENTRYPOINT or CMD. @internal */
export interface CommandInstruction {
  readonly instruction: Instruction;
  /** Exec form (argv given) or shell form (run by the SHELL, default `/bin/sh -c`). */
  readonly execForm: boolean;
  /** The argv the instruction contributes (shell form: SHELL + [text]). */
  readonly argv: string[];
}

/** What the last stage's image runs. @internal */
export interface FinalImage {
  readonly stage: Stage;
  /** The root image the last stage is built on (through `FROM <stage>` chains). */
  readonly baseImage: string;
  readonly entrypoint?: CommandInstruction;
  readonly cmd?: CommandInstruction;
  readonly stopSignal?: Instruction;
  readonly shell: string[];
  readonly env: Map<string, string>;
  readonly workdir: string;
  /** The argv the container runs (ENTRYPOINT + CMD, Docker's rules), when there is one. */
  readonly argv?: string[];
}

/** @internal */
export function parseDockerfile(content: string): Stage[] {
  const lines = content.split(/\r?\n/);
  let escape = '\\';
  // parser directives: only at the very top, before any instruction, comment or blank line
  for (const l of lines) {
    const d = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(l);
    if (!d) break;
    if (d[1].toLowerCase() === 'escape') escape = d[2];
  }
  const instructions: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) {
      i++;
      continue;
    }
    const start = i;
    let text = line;
    while (endsWithEscape(text, escape) && i + 1 < lines.length) {
      text = text.trimEnd().slice(0, -1);
      i++;
      while (i < lines.length && /^\s*#/.test(lines[i])) i++; // comment lines inside a continuation are dropped
      if (i < lines.length) text += lines[i];
    }
    i++;
    const m = /^\s*([A-Za-z]+)\s*([\s\S]*)$/.exec(text);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    // heredoc: RUN <<EOF … EOF
    const heredoc = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(args);
    if (heredoc && (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD')) {
      while (i < lines.length && lines[i].trim() !== heredoc[1]) i++;
      i++;
    }
    const json = execForm(args);
    instructions.push({ keyword, args, line: start + 1, json, ...(json === undefined && args.startsWith('[') ? { brokenJson: true } : {}) });
  }
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter(w => !w.startsWith('--'));
      const asIndex = words.findIndex(w => w.toLowerCase() === 'as');
      stages.push({ image: words[0] ?? '', alias: asIndex >= 0 ? words[asIndex + 1] : undefined, line: ins.line, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

function endsWithEscape(text: string, escape: string): boolean {
  const t = text.trimEnd();
  return t.endsWith(escape);
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v = JSON.parse(args);
    return Array.isArray(v) && v.every(x => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configuration of the last stage's image: ENTRYPOINT, CMD, STOPSIGNAL, SHELL, ENV and WORKDIR,
 * inherited through `FROM <earlier stage>`. Undefined when the Dockerfile has no stage.
 * @internal
 */
export function finalImage(stages: Stage[]): FinalImage | undefined {
  if (stages.length === 0) return undefined;
  const chain: Stage[] = [];
  let s: Stage | undefined = stages[stages.length - 1];
  const seen = new Set<Stage>();
  while (s && !seen.has(s)) {
    seen.add(s);
    chain.unshift(s);
    const from: string = s.image;
    const idx = stages.indexOf(s);
    s = stages.slice(0, idx).reverse().find(p => p.alias !== undefined && p.alias.toLowerCase() === from.toLowerCase());
  }
  let shell = ['/bin/sh', '-c'];
  let entrypoint: CommandInstruction | undefined;
  let cmd: CommandInstruction | undefined;
  let stopSignal: Instruction | undefined;
  let workdir = '/';
  const env = new Map<string, string>();
  for (const stage of chain) {
    let entrypointHere = false;
    let cmdHere = false;
    for (const ins of stage.instructions) {
      switch (ins.keyword) {
        case 'SHELL':
          if (ins.json) shell = ins.json;
          break;
        case 'ENTRYPOINT':
          entrypoint = command(ins, shell);
          entrypointHere = true;
          break;
        case 'CMD':
          cmd = command(ins, shell);
          cmdHere = true;
          break;
        case 'STOPSIGNAL':
          stopSignal = ins;
          break;
        case 'WORKDIR': {
          const dir = ins.args.trim();
          workdir = dir.startsWith('/') ? dir : `${workdir.replace(/\/$/, '')}/${dir}`;
          break;
        }
        case 'ENV':
          for (const [k, v] of envPairs(ins.args)) env.set(k, v);
          break;
        default:
      }
    }
    // an ENTRYPOINT set in a stage resets the CMD it inherited
    if (entrypointHere && !cmdHere && stage !== chain[0]) cmd = undefined;
  }
  let argv: string[] | undefined;
  if (entrypoint) argv = entrypoint.execForm ? entrypoint.argv.concat(cmd?.argv ?? []) : entrypoint.argv;
  else if (cmd) argv = cmd.argv;
  return { stage: chain[chain.length - 1], baseImage: chain[0].image, entrypoint, cmd, stopSignal, shell, env, workdir, argv };
}

function command(ins: Instruction, shell: string[]): CommandInstruction {
  if (ins.json) return { instruction: ins, execForm: true, argv: ins.json };
  return { instruction: ins, execForm: false, argv: shell.concat([ins.args]) };
}

function envPairs(args: string): [string, string][] {
  const out: [string, string][] = [];
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args);
    if (m) out.push([m[1], m[2]]);
    return out;
  }
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s\\]|\\.)*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) !== null) {
    out.push([m[1], m[2].replace(/^"([\s\S]*)"$/, '$1').replace(/^'([\s\S]*)'$/, '$1')]);
  }
  return out;
}
