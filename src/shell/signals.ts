import { ASSIGNMENT, basename, execTarget, REDIRECT, shellInvocation, SHELLS, termDisposition, topLevelCommands, unconditionalExecIndex } from './tokenize';

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
  /**
   * Set when the problem is a shell whose script is one simple command without `exec` and without
   * redirections: bash and busybox sh exec such a lone command by themselves, dash does not (measured in
   * test/e2e/pid1.e2e.test.ts). The audit rules weigh this by the shell; the construct rejects it.
   */
  readonly loneCommand?: boolean;
  /**
   * Set when the problem is the last simple command of a `-c` script that does not start with `exec` (not
   * in the background, not in a pipeline, SIGTERM not ignored): whether the shell execs it anyway depends on
   * the shell (see {@link shellExecsLast}).
   */
  readonly lastCommand?: LastCommand;
  /** The shell the problem is about, when it is about a shell. */
  readonly shell?: string;
  /** Set when PID 1 runs a script file whose text we did not see (`sh start.sh`). */
  readonly scriptFile?: string;
  /**
   * Set with {@link lastCommand} when that command runs a script file whose text is known
   * (`sh -c ./entrypoint.sh`): the judgement of that script for a shell that execs the command.
   */
  readonly lastCommandExecd?: Pid1Analysis;
}

/** A script's text by its path in the image, or undefined when not known. @internal */
export type ScriptText = (path: string) => string | undefined;

const NO_SCRIPTS: ScriptText = () => undefined;

/**
 * Who receives the SIGTERM the kubelet sends to PID 1, seen from the process being analysed:
 * - `pid1`: the process itself is PID 1 (it ignores SIGTERM unless it has a handler);
 * - `child`: an init (tini without `-g`, `dumb-init --single-child`) forwards SIGTERM to this process only;
 * - `group`: an init (tini `-g`, dumb-init by default) forwards SIGTERM to this process's whole process group.
 *
 * In the last two cases the init exits as soon as this process (its direct child) exits; when PID 1 exits,
 * the kernel SIGKILLs everything else in the container's PID namespace.
 * @internal
 */
export type Receiver = 'pid1' | 'child' | 'group';

const OK: Pid1Analysis = { ok: true, certain: true };

/** Builtins common to dash, bash and BusyBox ash: a shell never execs them. */
const BUILTINS = new Set(['wait', 'read', ':', 'true', 'false', 'cd', 'eval', '.', 'source', 'set', 'export', 'echo', 'printf', 'test', '[',
  'trap', 'shift', 'unset', 'umask', 'ulimit', 'exit', 'return', 'break', 'continue', 'times', 'type', 'command', 'getopts', 'hash', 'jobs',
  'kill', 'pwd', 'readonly', 'local', 'alias', 'unalias', 'fg', 'bg']);

/** The last command of a `-c` script, as far as a shell's exec-the-last-command optimisation cares. @internal */
export interface LastCommand {
  /** Other commands come before it (`cd /app; java …`, `a && java …`). */
  readonly several: boolean;
  /** It has a redirection (`java … > log 2>&1`). */
  readonly redirect: boolean;
  /** A trap with a handler is set before it (`trap 'kill $PID' TERM; …`). */
  readonly trap: boolean;
}

/**
 * Whether a shell execs the last simple command of a `-c` script itself (so that the command takes the
 * shell's place as PID 1), measured here with `sh -c '…'` and `ps -o comm= -p <pid>` (test/e2e/shell-exec-last.e2e.test.ts):
 *
 * | script | dash 0.5.12 (Debian, Ubuntu) | bash 5.2.15 | BusyBox 1.35 ash |
 * |---|---|---|---|
 * | `sleep 30` | no | yes | yes |
 * | `true; sleep 30`, `cd /tmp && sleep 30` | no | yes (5.1 and later) | yes |
 * | `sleep 30 > /dev/null`, `sleep 30 2>&1` | no | no | yes |
 * | `trap 'echo x' TERM; sleep 30` | no | no | no |
 *
 * Bash before 5.1 execs only a lone command. `undefined`: it depends on the bash version.
 * @internal
 */
export function shellExecsLast(shell: 'dash' | 'bash' | 'busybox', last: LastCommand): boolean | undefined {
  if (last.trap || shell === 'dash') return false;
  if (shell === 'busybox') return true;
  if (last.redirect) return false;
  return last.several ? undefined : true;
}

/**
 * Decides whether SIGTERM sent to PID 1 reaches the application when the container runs `argv`
 * (`command` followed by `args`), and whether the application can then finish its graceful shutdown.
 * @internal
 */
export function analyzeArgv(argv: string[]): Pid1Analysis {
  return analyze(argv, 'pid1');
}

/**
 * The same judgement for a script file run as PID 1 (`ENTRYPOINT ["/app/start.sh"]`), from its text. The
 * shell is taken from the `#!` line (`sh` when there is none). No shell execs the last command of a script
 * file by itself (unlike a lone `-c` command), so a missing `exec` is always certain.
 * @internal
 */
export function analyzeScriptFile(content: string, receiver: Receiver = 'pid1'): Pid1Analysis {
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(content);
  let shell = 'sh';
  if (shebang) {
    const interp = basename(shebang[1]);
    shell = interp === 'env' && shebang[2] ? basename(shebang[2]) : interp;
  }
  if (!SHELLS.has(shell)) {
    return OK; // a script in another language: not ours to judge
  }
  return analyzeScript(shell, content, receiver, false);
}

function analyze(given: string[], pid1: Receiver, scriptText: ScriptText = NO_SCRIPTS): Pid1Analysis {
  const { argv, receiver, problem } = unwrapInits(given, pid1);
  if (problem !== undefined) {
    return { ok: false, certain: true, problem };
  }
  if (argv.length > 0 && !SHELLS.has(basename(argv[0]))) {
    const text = scriptText(argv[0]);
    if (text !== undefined) return analyzeScriptFile(text, receiver);
  }
  const invocation = shellInvocation(argv);
  if (invocation === undefined) {
    return OK;
  }
  const shell = invocation.shell;
  const where = receiver === 'pid1' ? 'PID 1' : 'the init\'s child';
  if (!invocation.hasC) {
    const script = invocation.script;
    const text = script !== undefined ? scriptText(script) : undefined;
    if (text !== undefined) return analyzeScript(shell, text, receiver, false, scriptText);
    return {
      ok: false,
      certain: false,
      shell,
      scriptFile: script,
      problem: script === undefined
        ? `'${shell}' with no script is an interactive shell as ${where}`
        : `'${shell} ${script}' makes the shell ${where}; SIGTERM reaches the application only if ${script} ends with 'exec …'`,
    };
  }
  const script = invocation.script;
  if (script === undefined) {
    return { ok: false, certain: true, shell, problem: `'${shell} -c' has no script` };
  }
  return analyzeScript(shell, script, receiver, true, scriptText);
}

function analyzeScript(shell: string, script: string, receiver: Receiver, dashC: boolean, scriptText: ScriptText = NO_SCRIPTS): Pid1Analysis {
  const where = receiver === 'pid1' ? 'PID 1' : 'the init\'s child';
  const what = dashC ? `'${shell} -c' script` : `${shell} script`;
  const all = topLevelCommands(script);
  // an unconditional top-level `exec` replaces the shell: what follows it never runs
  const execAt = unconditionalExecIndex(all);
  const commands = execAt >= 0 ? all.slice(0, execAt + 1) : all;
  const last = commands[commands.length - 1];
  if (last === undefined) {
    return { ok: false, certain: true, shell, problem: `the ${what} is empty` };
  }
  if (last.background) {
    return { ok: false, certain: true, shell, problem: `the ${what} starts its last command in the background ('&'): the shell stays ${where}` };
  }
  if (last.pipeline) {
    return { ok: false, certain: true, shell, problem: `the last command of the ${what} is a pipeline ('|'): each part runs in a subshell, so the shell stays ${where} even with 'exec'` };
  }
  const term = termDisposition(commands.slice(0, -1));
  const target = execTarget(last.words);
  if (target !== undefined) {
    if (term === 'ignored') {
      return {
        ok: false,
        certain: true,
        shell,
        problem: `the ${what} ignores SIGTERM (trap '' TERM) before its 'exec': an ignored signal stays ignored across exec, `
          + 'and the JVM keeps it ignored (it installs its shutdown handler only for signals that are not ignored at startup)',
      };
    }
    // the exec'd program takes the shell's place, pid and all
    return analyze(target, receiver, scriptText);
  }
  const loneCommand = dashC && commands.length === 1 && !last.words.some(w => REDIRECT.test(w)) ? { loneCommand: true } : {};
  // a shell builtin (wait, read …) or an earlier background job keeps the shell in front whatever the shell is
  const head = last.words.find(w => !ASSIGNMENT.test(w)) ?? '';
  const builtin = BUILTINS.has(head);
  const lastCommand: { lastCommand?: LastCommand; lastCommandExecd?: Pid1Analysis } = dashC && term !== 'ignored' && !builtin && !commands.some(c => c.background)
    ? { lastCommand: { several: commands.length > 1, redirect: last.words.some(w => REDIRECT.test(w)), trap: term === 'handled' } }
    : {};
  if (lastCommand.lastCommand) {
    // `sh -c ./entrypoint.sh`: where the shell execs the command, the script it runs is what decides
    const program = last.words.filter(w => !REDIRECT.test(w));
    const start = program.findIndex(w => !ASSIGNMENT.test(w));
    const runs = start >= 0 ? program[start] : undefined;
    const sh = runs !== undefined ? shellInvocation(program.slice(start)) : undefined;
    const file = sh ? (sh.hasC ? undefined : sh.script) : runs;
    if (runs !== undefined && file !== undefined && scriptText(file) !== undefined) {
      lastCommand.lastCommandExecd = analyze(program.slice(start), receiver, scriptText);
    }
  }
  const depends = dashC
    ? 'Whether a shell execs that command itself depends on the shell: dash (/bin/sh of Debian and Ubuntu images) never does; bash 5.1 '
      + 'and later does unless the command has a redirection or a trap is set (older bash only for a lone command); BusyBox ash does unless '
      + 'a trap is set; POSIX does not require it'
    : 'No shell execs the last command of a script file by itself';
  if (receiver === 'group') {
    if (term === 'handled' && !commands.some(c => c.background)) {
      // the shell survives the group's SIGTERM (its trap runs only once the foreground command is done),
      // so the init stays up while the application, which got the same SIGTERM, drains
      return OK;
    }
    return {
      ok: false,
      certain: true,
      shell,
      ...loneCommand,
      ...lastCommand,
      problem: `the ${what}'s last command (${JSON.stringify(last.text)}) does not start with 'exec'${dashC ? '; where the shell does not exec it,' : ', so'} the shell `
        + 'is the init\'s direct child: the SIGTERM forwarded to the process group ends the shell at once, the init exits with it (tini and '
        + `dumb-init exit when their child exits) and the kernel kills the application before it has drained. ${depends}`,
    };
  }
  return {
    ok: false,
    certain: true,
    shell,
    ...loneCommand,
    ...lastCommand,
    problem: `the ${what}'s last command (${JSON.stringify(last.text)}) does not start with 'exec'${dashC ? '; where the shell does not exec it,' : ', so'} the shell stays ${where}: `
      + (receiver === 'pid1'
        ? 'it ignores SIGTERM and does not forward it, the application never shuts down gracefully and is SIGKILLed at the end of the grace period '
          + '(docs/rules.md#pid1-shell-without-exec). '
        : 'the init forwards SIGTERM to the shell alone, which does not pass it on: the shell dies (or, with a trap, waits), '
          + 'and the application is killed with the init or at the end of the grace period, never shut down gracefully. ')
      + depends,
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
 * The program an argv finally runs once inits (tini, dumb-init) and `env` are peeled off, and who gets the
 * kubelet's SIGTERM there.
 * @internal
 */
export function unwrapInits(argv: string[], receiver: Receiver = 'pid1'): { argv: string[]; receiver: Receiver; problem?: string } {
  if (argv.length === 0) return { argv, receiver };
  const head = basename(argv[0]);
  if (head === 'tini') {
    // tini [-h -s -v -w -g -l] [-p SIGNAL] [-e EXIT_CODE] [--] PROGRAM …
    const { flags, rest, endOfOptions } = getopt(argv.slice(1), 'pe', []);
    if (!endOfOptions && rest.slice(1).some(a => a.startsWith('-'))) {
      // tini's getopt permutes: it takes the program's options as its own and exits with "invalid option"
      return {
        argv: rest,
        receiver,
        problem: `tini reads the options of '${rest.join(' ')}' as its own and refuses to start: put '--' before the program (tini -g -- ${rest[0]} …)`,
      };
    }
    return unwrapInits(rest, flags.has('g') ? 'group' : 'child');
  }
  if (head === 'dumb-init') {
    // dumb-init [-c|--single-child] [-r|--rewrite s:r] [-v] [--] PROGRAM …; without -c it signals the group
    const { flags, longs, rest } = getopt(argv.slice(1), 'r', ['rewrite']);
    return unwrapInits(rest, flags.has('c') || longs.has('single-child') ? 'child' : 'group');
  }
  if (head === 'env') {
    // `env [-i] [-u NAME] [-C DIR] [NAME=value …] cmd …` execs cmd
    let i = 1;
    while (i < argv.length && (argv[i].startsWith('-') || ASSIGNMENT.test(argv[i]))) {
      const a = argv[i++];
      if (a === '--') break;
      if (a === '-u' || a === '-C' || a === '--unset' || a === '--chdir') i++;
    }
    return unwrapInits(argv.slice(i), receiver);
  }
  return { argv, receiver };
}

/**
 * {@link analyzeArgv}, looking inside script files whose text is known (`ENTRYPOINT ["/app/start.sh"]`,
 * `sh /app/start.sh`): `scriptText` returns a script's text by its path in the image, or undefined.
 * @internal
 */
export function analyzeWithScripts(argv: string[], scriptText: ScriptText): Pid1Analysis {
  return analyze(argv, 'pid1', scriptText);
}
