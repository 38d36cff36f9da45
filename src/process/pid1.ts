import { invalidProp } from '../errors';

/**
 * What runs as PID 1 in the container, in front of the application.
 *
 * Kubernetes sends SIGTERM to PID 1 only. A shell as PID 1 neither dies on it (PID 1 ignores signals it
 * has no handler for) nor forwards it, so the JVM never starts its graceful shutdown and is SIGKILLed at
 * the end of the grace period (field report 001). The application must be PID 1 (exec form, or a shell
 * that `exec`s it), or the only child of a small init that forwards signals and reaps zombies.
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
   * tini as PID 1 with `-g`: it reaps zombies and forwards SIGTERM to the whole process group of the
   * application (so helper processes the JVM started get it too). It does not make a shell wrapper safe:
   * tini exits when its direct child exits, so the command must still be exec form or end with `exec`.
   * The image must contain tini (Debian/Ubuntu: `apt-get install tini`, at /usr/bin/tini).
   *
   * @param path path of the tini binary in the image
   * @default path 'tini' (looked up on the image's PATH)
   */
  public static tini(path?: string): ProcessInit {
    return new ProcessInit('tini', [checkPath('init.tini(path)', path ?? 'tini'), '-g', '--']);
  }

  /**
   * dumb-init as PID 1: it reaps zombies and by default forwards signals to the process group of its
   * child. Like tini it exits when its child exits, so the command must still be exec form or end with
   * `exec`. The image must contain dumb-init (Debian/Ubuntu: `apt-get install dumb-init`).
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

/** `NAME=value` in front of a command (or as an `env` operand). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * What {@link analyzeArgv} found about PID 1.
 * @internal
 */
export interface Pid1Analysis {
  /**
   * SIGTERM sent to PID 1 reaches the application, and nothing in front of it exits (taking the whole PID
   * namespace with it) before the application has finished its graceful shutdown.
   */
  readonly ok: boolean;
  /** Why not, when not ok; or a warning when we cannot see inside (a script file). */
  readonly problem?: string;
  /** true when the problem is certain (reject), false when it is a warning. */
  readonly certain: boolean;
}

/**
 * Who receives the SIGTERM the kubelet sends to PID 1, seen from the process being analysed:
 * - `pid1`: the process itself is PID 1 (it ignores SIGTERM unless it has a handler);
 * - `child`: an init (tini without `-g`, `dumb-init --single-child`) forwards SIGTERM to this process only;
 * - `group`: an init (tini `-g`, dumb-init by default) forwards SIGTERM to this process's whole process group.
 *
 * In the last two cases the init exits as soon as this process (its direct child) exits; when PID 1 exits,
 * the kernel SIGKILLs everything else in the container's PID namespace.
 */
type Receiver = 'pid1' | 'child' | 'group';

const OK: Pid1Analysis = { ok: true, certain: true };

/**
 * Decides whether SIGTERM sent to PID 1 reaches the application when the container runs `argv`
 * (`command` followed by `args`), and whether the application can then finish its graceful shutdown.
 * @internal
 */
export function analyzeArgv(argv: string[]): Pid1Analysis {
  return analyze(argv, 'pid1');
}

function analyze(argv: string[], receiver: Receiver): Pid1Analysis {
  if (argv.length === 0) {
    return OK;
  }
  const head = basename(argv[0]);
  if (head === 'tini') {
    // tini [-h -s -v -w -g -l] [-p SIGNAL] [-e EXIT_CODE] [--] PROGRAM …
    const { flags, rest, endOfOptions } = getopt(argv.slice(1), 'pe', []);
    if (!endOfOptions && rest.slice(1).some(a => a.startsWith('-'))) {
      // tini's getopt permutes: it takes the program's options as its own and exits with "invalid option"
      return {
        ok: false,
        certain: true,
        problem: `tini reads the options of '${rest.join(' ')}' as its own and refuses to start: put '--' before the program (tini -g -- ${rest[0]} …)`,
      };
    }
    return analyze(rest, flags.has('g') ? 'group' : 'child');
  }
  if (head === 'dumb-init') {
    // dumb-init [-c|--single-child] [-r|--rewrite s:r] [-v] [--] PROGRAM …; without -c it signals the group
    const { flags, longs, rest } = getopt(argv.slice(1), 'r', ['rewrite']);
    return analyze(rest, flags.has('c') || longs.has('single-child') ? 'child' : 'group');
  }
  if (head === 'env') {
    // `env [-i] [-u NAME] [-C DIR] [NAME=value …] cmd …` execs cmd
    let i = 1;
    while (i < argv.length && (argv[i].startsWith('-') || ASSIGNMENT.test(argv[i]))) {
      const a = argv[i++];
      if (a === '--') break;
      if (a === '-u' || a === '-C' || a === '--unset' || a === '--chdir') i++;
    }
    return analyze(argv.slice(i), receiver);
  }
  let shellArgv = argv;
  if (head === 'busybox' && argv.length > 1 && SHELLS.has(argv[1])) {
    shellArgv = argv.slice(1);
  }
  if (!SHELLS.has(basename(shellArgv[0]))) {
    return OK;
  }
  const shell = basename(shellArgv[0]);
  const where = receiver === 'pid1' ? 'PID 1' : 'the init\'s child';
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
        ? `'${shell}' with no script is an interactive shell as ${where}`
        : `'${shell} ${script}' makes the shell ${where}; SIGTERM reaches the application only if ${script} ends with 'exec …'`,
    };
  }
  const script = shellArgv[i];
  if (script === undefined) {
    return { ok: false, certain: true, problem: `'${shell} -c' has no script` };
  }
  const commands = topLevelCommands(script);
  const last = commands[commands.length - 1];
  if (last === undefined) {
    return { ok: false, certain: true, problem: `the '${shell} -c' script is empty` };
  }
  if (last.background) {
    return { ok: false, certain: true, problem: `the '${shell} -c' script starts its last command in the background ('&'): the shell stays ${where}` };
  }
  if (last.pipeline) {
    return { ok: false, certain: true, problem: `the last command of the '${shell} -c' script is a pipeline ('|'): each part runs in a subshell, so the shell stays ${where} even with 'exec'` };
  }
  const term = termDisposition(commands.slice(0, -1));
  const target = execTarget(last.words);
  if (target !== undefined) {
    if (term === 'ignored') {
      return {
        ok: false,
        certain: true,
        problem: `the '${shell} -c' script ignores SIGTERM (trap '' TERM) before its 'exec': an ignored signal stays ignored across exec, `
          + 'and the JVM keeps it ignored (it installs its shutdown handler only for signals that are not ignored at startup)',
      };
    }
    // the exec'd program takes the shell's place, pid and all
    return analyze(target, receiver);
  }
  if (receiver === 'group') {
    if (term === 'handled' && !commands.some(c => c.background)) {
      // the shell survives the group's SIGTERM (its trap runs only once the foreground command is done),
      // so the init stays up while the application, which got the same SIGTERM, drains
      return OK;
    }
    return {
      ok: false,
      certain: true,
      problem: `the '${shell} -c' script's last command (${JSON.stringify(last.text)}) does not start with 'exec', so the shell is the init's direct child: `
        + 'the SIGTERM forwarded to the process group ends the shell at once, the init exits with it (tini and dumb-init exit when their child exits) '
        + 'and the kernel kills the application before it has drained. '
        + 'Some shells happen to exec a lone last command, but not after a trap, a redirection or a second command, and POSIX does not require it',
    };
  }
  return {
    ok: false,
    certain: true,
    problem: `the '${shell} -c' script's last command (${JSON.stringify(last.text)}) does not start with 'exec', so the shell stays ${where}: `
      + (receiver === 'pid1'
        ? 'it ignores SIGTERM and does not forward it, the application never shuts down gracefully and is SIGKILLed at the end of the grace period (field report 001). '
        : 'the init forwards SIGTERM to the shell alone, which does not pass it on: the shell dies (or, with a trap, waits), '
          + 'and the application is killed with the init or at the end of the grace period, never shut down gracefully. ')
      + 'Some shells happen to exec a lone last command, but not after a trap, a redirection or a second command, and POSIX does not require it',
  };
}

/**
 * Splits the leading options of an init's argv (getopt style: clustered short options, `--` ends them).
 * `withValue` lists the short options that take a value, `longWithValue` the long ones.
 */
function getopt(args: string[], withValue: string, longWithValue: string[]):
{ flags: Set<string>; longs: Set<string>; rest: string[]; endOfOptions: boolean } {
  const flags = new Set<string>();
  const longs = new Set<string>();
  let endOfOptions = false;
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const a = args[i++];
    if (a === '--') {
      endOfOptions = true;
      break;
    }
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0];
      longs.add(name);
      if (longWithValue.includes(name) && !a.includes('=')) i++;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      flags.add(a[j]);
      if (withValue.includes(a[j])) {
        if (j === a.length - 1) i++;
        break;
      }
    }
  }
  return { flags, longs, rest: args.slice(i), endOfOptions };
}

/**
 * The argv that `exec` replaces the shell with, when `words` is an `exec` command that names a program
 * (`exec >log 2>&1` only redirects); undefined otherwise.
 */
function execTarget(words: string[]): string[] | undefined {
  let k = 0;
  while (k < words.length && ASSIGNMENT.test(words[k])) k++;
  if (words[k] !== 'exec') {
    return undefined;
  }
  k++;
  while (k < words.length) {
    const w = words[k];
    const redirect = /^[0-9]*(>>|>&|<&|<>|>\||>|<)(.*)$/.exec(w);
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

type Disposition = 'default' | 'ignored' | 'handled';

/**
 * What the shell does with SIGTERM after running `commands` (top-level `trap` commands only).
 */
function termDisposition(commands: ScriptCommand[]): Disposition {
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

interface ScriptCommand {
  readonly text: string;
  readonly words: string[];
  readonly background: boolean;
  readonly pipeline: boolean;
}

/**
 * Splits a shell script at top-level `;`, `&&`, `||`, `&`, newlines (outside quotes) and returns its
 * non-empty commands with their words (quotes removed). Good enough to recognise `exec` and `trap`; not a
 * full parser.
 */
function topLevelCommands(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
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
  return commands;
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
  if (init.forwardsToGroup && command === undefined) {
    throw invalidProp('init', init.name, 'needs an explicit command: the image\'s ENTRYPOINT is not known at synth time, so it cannot be wrapped',
      'give the command too, e.g. command: ["java", "-jar", "/app/app.jar"], or use ProcessInit.none() and make the image\'s ENTRYPOINT exec form');
  }
  const rendered = command !== undefined ? [...init.prefix, ...command] : undefined;
  // One check for every case: the argv the container will really run, init included. An init does not
  // rescue a shell that does not exec the JVM: it exits as soon as the shell (its child) dies of the
  // forwarded SIGTERM, and the kernel then SIGKILLs the JVM mid-drain (krallin/tini#157).
  const argv = [...(rendered ?? []), ...(args ?? [])];
  const analysis = analyzeArgv(argv);
  if (!analysis.ok && analysis.certain) {
    const prop = command !== undefined ? props.command : props.args;
    throw invalidProp(prop, JSON.stringify(command !== undefined ? [...command, ...(args ?? [])] : argv),
      `${init.forwardsToGroup ? `under ${init.name} ` : ''}does not let SIGTERM reach the application: ${analysis.problem}`,
      'start the last command with exec (sh -c "…; exec java -jar /app/app.jar"), or use exec form (["java", "-jar", "/app/app.jar"])');
  }
  return { command: rendered, args, warnings: analysis.ok ? [] : [analysis.problem!] };
}
