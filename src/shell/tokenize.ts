/**
 * The one shell tokenizer of the library: splits `sh -c` scripts, script files and argv into commands and
 * words, well enough to recognise `exec`, `trap`, `sleep`, `curl`/`wget` and their options. Not a full
 * parser: no expansion, no here-documents, command substitution is kept inside its word.
 *
 * Used by the PID 1 analysis (`./signals.ts`, behind `ProcessInit`/`renderProcess`) and by the audit rules.
 */

import { remembered } from '../memo';

/** Shells whose `-c` scripts we read. @internal */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh']);

/** `NAME=value` in front of a command (or as an `env` operand). @internal */
export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** @internal */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * What joins a command to the one before it: `;` or a newline (sequence), `&&`, `||`, `&` (the previous one
 * went to the background), `''` for the first command.
 * @internal
 */
export type Connector = '' | ';' | '&&' | '||' | '&';

/** @internal */
export interface ScriptCommand {
  /** The command's source text (quotes kept). */
  readonly text: string;
  /** Its words, quotes removed. */
  readonly words: string[];
  /** Ends with `&`. */
  readonly background: boolean;
  /** Contains a `|`. */
  readonly pipeline: boolean;
  /** What joins it to the command before it. */
  readonly connector?: Connector;
}

/**
 * Splits a shell script at top-level `;`, `&&`, `||`, `&`, newlines (outside quotes) and returns its
 * non-empty commands with their words (quotes removed). Good enough to recognise `exec` and `trap`; not a
 * full parser.
 * @internal
 */
export function topLevelCommands(script: string): readonly ScriptCommand[] {
  return splits(script);
}

/* The same scripts are split for every workload that runs them and by several rules: each is split once (bounded). */
const splits = remembered(
  (script: string): readonly ScriptCommand[] =>
    Object.freeze(splitTopLevel(script).map(c => Object.freeze({ ...c, words: Object.freeze(c.words) as string[] }))),
  1000);

function splitTopLevel(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let text = '';
  let pipeline = false;
  let connector: Connector = '';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (background: boolean, next: Connector) => {
    endWord();
    if (words.length > 0) {
      commands.push({ words, text: text.trim(), background, pipeline, connector: commands.length === 0 ? '' : connector });
      connector = next;
    } else if (background && commands.length > 0) {
      commands[commands.length - 1] = { ...commands[commands.length - 1], background };
      connector = next;
    } else if (commands.length > 0 && (next === '&&' || next === '||' || connector === ';' || connector === '')) {
      // `a;\n b` keeps `;`; `a &&\n b` keeps `&&`
      if (next !== ';') connector = next;
    }
    words = [];
    text = '';
    pipeline = false;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '\'') {
      const j = script.indexOf('\'', i + 1);
      const end = j === -1 ? script.length : j;
      word += script.slice(i + 1, end);
      text += script.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < script.length && script[j] !== '"') {
        if (script[j] === '\\') j++;
        j++;
      }
      word += script.slice(i + 1, j).replace(/\\(.)/g, '$1');
      text += script.slice(i, j + 1);
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < script.length) {
      if (script[i + 1] !== '\n') {
        word += script[i + 1];
        inWord = true;
      }
      text += c + script[i + 1];
      i++;
    } else if (c === '#' && !inWord) {
      const j = script.indexOf('\n', i);
      i = (j === -1 ? script.length : j) - 1;
    } else if (c === ';' || c === '\n') {
      endCommand(false, ';');
    } else if (c === '&' || c === '|') {
      const doubled = script[i + 1] === c;
      if (doubled) {
        endCommand(false, c === '&' ? '&&' : '||');
        i++;
      } else if (c === '&' && (script[i - 1] === '>' || script[i + 1] === '>')) {
        word += c;
        text += c;
        inWord = true;
      } else if (c === '&') {
        endCommand(true, '&');
      } else {
        endWord();
        pipeline = true;
        text += c;
      }
    } else if (c === ' ' || c === '\t') {
      endWord();
      text += c;
    } else {
      word += c;
      text += c;
      inWord = true;
    }
  }
  endCommand(false, ';');
  return commands;
}

/**
 * The argv that `exec` replaces the shell with, when `words` is an `exec` command that names a program
 * (`exec >log 2>&1` only redirects); undefined otherwise.
 * @internal
 */
export function execTarget(words: string[]): string[] | undefined {
  let k = 0;
  while (k < words.length && ASSIGNMENT.test(words[k])) k++;
  if (words[k] !== 'exec') {
    return undefined;
  }
  k++;
  while (k < words.length) {
    const w = words[k];
    const redirect = REDIRECT.exec(w);
    if (redirect) {
      k += redirect[2] === '' ? 2 : 1;
    } else if (w === '-a') { // bash: exec -a NAME
      k += 2;
    } else if (/^-[cl]+$/.test(w)) { // bash: exec -c, -l
      k++;
    } else {
      if (w === '--') k++;
      break;
    }
  }
  return k < words.length ? words.slice(k) : undefined;
}

/** Words that open a compound command whose body is conditional or repeated. */
const COMPOUND_OPEN = new Set(['if', 'while', 'until', 'for', 'select']);
const COMPOUND_CLOSE = new Set(['fi', 'done']);

/**
 * The index of the first command of `commands` that is an `exec` of a program at the top level of the
 * script, run unconditionally (first, or after `;`, a newline or `&`, not inside `if`/`while`/`for`/`{ … }`/a
 * subshell, not in the background, not in a pipeline): the shell is replaced there, so nothing after it
 * ever runs (`exec java -jar app.jar` followed by `mkdir -p /logs`). -1 when there is none, or when the
 * script has constructs this splitter does not follow (`case`, parentheses).
 * @internal
 */
export function unconditionalExecIndex(commands: readonly ScriptCommand[]): number {
  let depth = 0;
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    const words = c.words;
    if (words.some(w => w === 'case' || /^\(|(^|[^$])\(.*\)$|^[^(]*\)$/.test(w))) return -1;
    if (depth === 0 && (c.connector === undefined || c.connector === '' || c.connector === ';' || c.connector === '&')
      && !c.background && !c.pipeline && execTarget(words) !== undefined) {
      return i;
    }
    for (const w of words) {
      if (w === '{') depth++;
      else if (w === '}') depth--;
    }
    if (COMPOUND_OPEN.has(words[0])) depth++;
    if (COMPOUND_CLOSE.has(words[0])) depth--;
    if (depth < 0) return -1;
  }
  return -1;
}

/** A redirection word (`>log`, `2>&1`, `<`); group 2 is its target when attached. @internal */
export const REDIRECT = /^[0-9]*(>>|>&|<&|<>|>\||>|<)(.*)$/;

/** @internal */
export type Disposition = 'default' | 'ignored' | 'handled';

/**
 * What the shell does with SIGTERM after running `commands` (top-level `trap` commands only).
 * @internal
 */
export function termDisposition(commands: readonly ScriptCommand[]): Disposition {
  let disposition: Disposition = 'default';
  for (const c of commands) {
    let k = 0;
    while (k < c.words.length && ASSIGNMENT.test(c.words[k])) k++;
    if (c.background || c.words[k] !== 'trap') continue;
    let ops = c.words.slice(k + 1);
    if (ops[0] === '--') ops = ops.slice(1);
    if (ops.length === 0 || (ops[0].startsWith('-') && ops[0] !== '-')) continue; // trap, trap -p, trap -l
    // `trap N…` (unsigned integers) and `trap SIG` reset; otherwise `trap ACTION SIG…`
    const reset = ops.length === 1 || /^[0-9]+$/.test(ops[0]);
    const action = reset ? '-' : ops[0];
    const conditions = reset ? ops : ops.slice(1);
    if (conditions.some(s => ['TERM', 'SIGTERM', '15'].includes(s.toUpperCase()))) {
      disposition = action === '-' ? 'default' : action === '' ? 'ignored' : 'handled';
    }
  }
  return disposition;
}

/**
 * A shell invocation: `sh [options] -c SCRIPT [ARG0 ARG…]` or `sh [options] FILE [ARG…]` (also
 * `busybox sh …`). Undefined when argv does not start with a shell.
 * @internal
 */
export interface ShellInvocation {
  /** The shell's name (`sh`, `bash`, …). */
  readonly shell: string;
  /** Whether `-c` was given (possibly clustered: `-ec`). */
  readonly hasC: boolean;
  /** Index in argv of the script (with -c) or script file (without); may be past the end. */
  readonly scriptIndex: number;
  /** The script (with -c) or the script file's path (without); undefined when missing. */
  readonly script?: string;
  /** The words after the script: `$0`, `$1`, … of a `-c` script; the arguments of a script file. */
  readonly extra: string[];
}

/** @internal */
export function shellInvocation(argv: unknown[]): ShellInvocation | undefined {
  if (argv.length === 0 || typeof argv[0] !== 'string') return undefined;
  let start = 0;
  if (basename(argv[0]) === 'busybox' && typeof argv[1] === 'string' && SHELLS.has(argv[1])) start = 1;
  const head = argv[start];
  if (typeof head !== 'string' || !SHELLS.has(basename(head))) return undefined;
  let i = start + 1;
  let hasC = false;
  while (i < argv.length && typeof argv[i] === 'string' && (argv[i] as string).startsWith('-') && argv[i] !== '--') {
    const a = argv[i] as string;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) hasC = true;
    if (a === '-o' || a === '+o') i++;
    i++;
  }
  if (argv[i] === '--') i++;
  const script = argv[i];
  return {
    shell: basename(head),
    hasC,
    scriptIndex: i,
    script: typeof script === 'string' ? script : undefined,
    extra: argv.slice(i + 1).map(a => (typeof a === 'string' ? a : JSON.stringify(a))),
  };
}

/**
 * Shell keywords that may stand in front of a command word (`then sleep 5`, `do curl …`, `! grep`).
 * @internal
 */
export const LEADING_KEYWORDS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'time']);

/**
 * The words of the simple command inside `words`: leading keywords, `(`/`{` and variable assignments
 * removed. `(sleep 5)` → `sleep 5`.
 * @internal
 */
export function commandWords(words: string[]): string[] {
  let k = 0;
  const out = [...words];
  while (k < out.length) {
    const w = out[k];
    if (LEADING_KEYWORDS.has(w) || ASSIGNMENT.test(w)) {
      k++;
    } else if (w.startsWith('(') || w.startsWith('{')) {
      const stripped = w.replace(/^[({]+/, '');
      if (stripped === '') {k++;} else {
        out[k] = stripped;
        break;
      }
    } else {
      break;
    }
  }
  const rest = out.slice(k);
  if (rest.length > 0) {
    // a closing `)` or `}` of a subshell or group: only what the word does not open itself (`${WAIT}` keeps its brace)
    const last = rest.length - 1;
    let w = rest[last];
    const unbalanced = (open: string, close: string) => w.split(close).length - w.split(open).length;
    while ((w.endsWith(')') && unbalanced('(', ')') > 0) || (w.endsWith('}') && unbalanced('{', '}') > 0)) w = w.slice(0, -1);
    rest[last] = w;
    if (rest[last] === '') rest.pop();
  }
  return rest;
}
