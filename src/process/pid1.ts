import { invalidProp } from '../errors';

/**
 * What runs as PID 1 in the container, in front of the application.
 *
 * Kubernetes sends SIGTERM to PID 1 only. A shell as PID 1 neither dies on it (PID 1 ignores signals it
 * has no handler for) nor forwards it, so the JVM never starts its graceful shutdown and is SIGKILLed at
 * the end of the grace period (report 001). Either the application itself is PID 1 (exec form, or a shell
 * that `exec`s it), or a small init that forwards signals is.
 *
 * @see https://github.com/krallin/tini#process-group-killing
 * @see https://github.com/Yelp/dumb-init#session-behavior
 */
export class ProcessInit {
  /**
   * No init: the application is PID 1 itself. The command must be exec form (`["java", …]`) or a shell
   * wrapper whose last command is `exec …`.
   */
  public static none(): ProcessInit {
    return new ProcessInit('none', []);
  }

  /**
   * tini as PID 1 with `-g`, so SIGTERM reaches the whole process group (the shell and the JVM it started).
   * The image must contain tini (Debian/Ubuntu: `apt-get install tini`, at /usr/bin/tini).
   *
   * @param path path of the tini binary in the image
   * @default path 'tini' (looked up on the image's PATH)
   */
  public static tini(path?: string): ProcessInit {
    return new ProcessInit('tini', [checkPath('init.tini(path)', path ?? 'tini'), '-g', '--']);
  }

  /**
   * dumb-init as PID 1; by default it forwards signals to the process group of its child.
   * The image must contain dumb-init (Debian/Ubuntu: `apt-get install dumb-init`).
   *
   * @param path path of the dumb-init binary in the image
   * @default path 'dumb-init' (looked up on the image's PATH)
   */
  public static dumbInit(path?: string): ProcessInit {
    return new ProcessInit('dumb-init', [checkPath('init.dumbInit(path)', path ?? 'dumb-init'), '--']);
  }

  /**
   * @param name short name (`none`, `tini`, `dumb-init`)
   * @param prefix the argv put in front of the application's command
   */
  private constructor(public readonly name: string, public readonly prefix: string[]) {}

  /** Whether this init forwards SIGTERM to the whole process group. */
  public get forwardsToGroup(): boolean {
    return this.prefix.length > 0;
  }
}

function checkPath(prop: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0 || /\s/.test(path)) {
    throw invalidProp(prop, JSON.stringify(path), 'must be a non-empty path without spaces', 'give the binary\'s path in the image, e.g. "/usr/bin/tini"');
  }
  return path;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * What {@link analyzeArgv} found about PID 1.
 * @internal
 */
export interface Pid1Analysis {
  /** The argv makes the application PID 1, or puts a group-forwarding init there. */
  readonly ok: boolean;
  /** Why not, when not ok; or a warning when we cannot see inside (a script file). */
  readonly problem?: string;
  /** true when the problem is certain (reject), false when it is a warning. */
  readonly certain: boolean;
}

/**
 * Decides whether SIGTERM sent to PID 1 reaches the application when the container runs `argv`
 * (`command` followed by `args`).
 * @internal
 */
export function analyzeArgv(argv: string[]): Pid1Analysis {
  if (argv.length === 0) {
    return { ok: true, certain: true };
  }
  const head = basename(argv[0]);
  if (head === 'tini') {
    const opts = argv.slice(1, argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--'));
    if (opts.some(o => /^-[a-zA-Z]*g/.test(o))) {
      return { ok: true, certain: true };
    }
    const rest = argv.indexOf('--') === -1 ? argv.slice(1).filter(a => !a.startsWith('-')) : argv.slice(argv.indexOf('--') + 1);
    return analyzeArgv(rest);
  }
  if (head === 'dumb-init') {
    if (argv.includes('--single-child') || argv.includes('-c')) {
      const i = argv.indexOf('--');
      return analyzeArgv(i === -1 ? argv.slice(1).filter(a => !a.startsWith('-')) : argv.slice(i + 1));
    }
    return { ok: true, certain: true };
  }
  let shellArgv = argv;
  if (head === 'busybox' && argv.length > 1 && SHELLS.has(argv[1])) {
    shellArgv = argv.slice(1);
  } else if (head === 'env') {
    // `env [NAME=value …] cmd …` execs cmd
    let i = 1;
    while (i < argv.length && (argv[i].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]))) i++;
    return analyzeArgv(argv.slice(i));
  }
  if (!SHELLS.has(basename(shellArgv[0]))) {
    return { ok: true, certain: true };
  }
  const shell = basename(shellArgv[0]);
  // find `-c` (possibly clustered: -ec, -xc) among the leading options
  let i = 1;
  let hasC = false;
  while (i < shellArgv.length && shellArgv[i].startsWith('-') && shellArgv[i] !== '--') {
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(shellArgv[i])) hasC = true;
    if (shellArgv[i] === '-o' || shellArgv[i] === '+o') i++;
    i++;
  }
  if (shellArgv[i] === '--') i++;
  if (!hasC) {
    const script = shellArgv[i];
    return {
      ok: false,
      certain: false,
      problem: script === undefined
        ? `'${shell}' with no script is an interactive shell as PID 1`
        : `'${shell} ${script}' makes the shell PID 1; SIGTERM reaches the application only if ${script} ends with 'exec …'`,
    };
  }
  const script = shellArgv[i];
  if (script === undefined) {
    return { ok: false, certain: true, problem: `'${shell} -c' has no script` };
  }
  const last = lastCommand(script);
  if (last === undefined) {
    return { ok: false, certain: true, problem: `the '${shell} -c' script is empty` };
  }
  if (last.background) {
    return { ok: false, certain: true, problem: `the '${shell} -c' script starts its last command in the background ('&'): the shell stays PID 1` };
  }
  if (last.pipeline) {
    return { ok: false, certain: true, problem: `the last command of the '${shell} -c' script is a pipeline ('|'): each part runs in a subshell, so the shell stays PID 1 even with 'exec'` };
  }
  const words = last.words.filter(w => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (words[0] === 'exec' && words.length > 1 && !/^[0-9]*[<>]/.test(words[1])) {
    return { ok: true, certain: true };
  }
  return {
    ok: false,
    certain: true,
    problem: `the '${shell} -c' script's last command (${JSON.stringify(last.text)}) does not start with 'exec', so the shell stays PID 1: `
      + 'it ignores SIGTERM and does not forward it, the application never shuts down gracefully and is SIGKILLed at the end of the grace period (report 001). '
      + 'Some shells happen to exec a lone last command, but not after a trap, a redirection or a second command, and POSIX does not require it',
  };
}

interface LastCommand {
  readonly text: string;
  readonly words: string[];
  readonly background: boolean;
  readonly pipeline: boolean;
}

/**
 * Splits a shell script at top-level `;`, `&&`, `||`, `&`, newlines (outside quotes) and returns the last
 * non-empty command with its words (quotes removed). Good enough to recognise `exec`; not a full parser.
 */
function lastCommand(script: string): LastCommand | undefined {
  const commands: { words: string[]; text: string; background: boolean; pipeline: boolean }[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let text = '';
  let pipeline = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (background: boolean) => {
    endWord();
    if (words.length > 0) commands.push({ words, text: text.trim(), background, pipeline });
    else if (background && commands.length > 0) commands[commands.length - 1] = { ...commands[commands.length - 1], background };
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
      endCommand(false);
    } else if (c === '&' || c === '|') {
      const doubled = script[i + 1] === c;
      if (doubled) {
        endCommand(false);
        i++;
      } else if (c === '&' && (script[i - 1] === '>' || script[i + 1] === '>')) {
        word += c;
        text += c;
        inWord = true;
      } else if (c === '&') {
        endCommand(true);
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
  endCommand(false);
  return commands[commands.length - 1];
}

/**
 * Renders the container's command under the chosen init and checks that SIGTERM reaches the application.
 * @internal
 */
export function renderProcess(init: ProcessInit, command: string[] | undefined, args: string[] | undefined,
  props: { command: string; args: string }): { command?: string[]; args?: string[]; warnings: string[] } {
  for (const [name, list] of [[props.command, command], [props.args, args]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some(a => typeof a !== 'string'))) {
      throw invalidProp(name, JSON.stringify(list), 'must be a list of strings', 'give the argv as a list, e.g. ["java", "-jar", "/app/app.jar"]');
    }
    if (list !== undefined && list.length === 0) {
      throw invalidProp(name, '[]', 'must not be empty', 'leave it out to use the image\'s ENTRYPOINT/CMD');
    }
  }
  if (init.forwardsToGroup) {
    if (command === undefined) {
      throw invalidProp('init', init.name, 'needs an explicit command: the image\'s ENTRYPOINT is not known at synth time, so it cannot be wrapped',
        'give the command too, e.g. command: ["java", "-jar", "/app/app.jar"], or use ProcessInit.none() and make the image\'s ENTRYPOINT exec form');
    }
    return { command: [...init.prefix, ...command], args, warnings: [] };
  }
  const argv = [...(command ?? []), ...(args ?? [])];
  const analysis = analyzeArgv(argv);
  if (!analysis.ok && analysis.certain) {
    const prop = command !== undefined ? props.command : props.args;
    throw invalidProp(prop, JSON.stringify(argv), `is a shell wrapper that keeps the shell as PID 1: ${analysis.problem}`,
      'start the last command with exec (sh -c "…; exec java -jar /app/app.jar"), use exec form (["java", "-jar", "/app/app.jar"]), or set init: ProcessInit.tini()');
  }
  return { command, args, warnings: analysis.ok ? [] : [analysis.problem!] };
}
