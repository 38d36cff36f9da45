import { looksLikeScript } from './app';
import { sleepOperandSeconds } from './duration';
import { ContainerRef, ManifestEnvVar, str } from './workload';
import { SCRIPT_PATH } from '../../prestop/paths';
import { DEFAULT_CALL_TIMEOUT } from '../../registry/adapter';
import { REGISTRY_MODULES } from '../../registry/all';
import { neverTakesOut, takesOut, takesOutByRequest } from '../../registry/module';
import { basename, commandWords, ShellInvocation, shellInvocation, SHELLS, topLevelCommands } from '../../shell/tokenize';

/*
 * What a container's preStop hook does, read from the manifest: how long it certainly waits, which HTTP
 * calls it makes (take-outs among them), whether they are bounded, and what it cannot tell (a script file,
 * an httpGet endpoint, a Helm template). One reading shared by every preStop rule.
 */

/** Path of the library's own preStop script (src/prestop: `/bin/sh /etc/graceful/prestop.sh [take-out argv]`). @internal */
export const GRACEFUL_SCRIPT = SCRIPT_PATH;
/** The per-call bound when GRACEFUL_CALL_TIMEOUT_SECONDS is not set (the script falls back to the library's default too). */
const GRACEFUL_DEFAULT_CALL_TIMEOUT = DEFAULT_CALL_TIMEOUT.toSeconds();

/** @internal */
export interface ObservedCall {
  readonly tool: string;
  readonly url?: string;
  /** The command as written. */
  readonly text: string;
  /** Position among the hook's commands. */
  readonly at: number;
  readonly takeout: boolean;
  /** Seconds the call can take at most; undefined when nothing bounds it. */
  readonly bound?: number;
  /** How it is bounded, for messages. */
  readonly boundBy?: string;
}

/** @internal */
export interface Sleep {
  readonly seconds?: number;
  readonly text: string;
  readonly at: number;
  /** Runs on the hook's normal path (top level, not after `||`, not in the background, not in a loop or branch). */
  readonly certain: boolean;
}

/** @internal */
export interface PreStop {
  /** JSON path of `lifecycle.preStop`. */
  readonly path: string;
  /** JSON path of the handler's detail (`….exec.command`, `….sleep.seconds`, `….httpGet`). */
  readonly detailPath: string;
  readonly kind: 'exec' | 'sleep' | 'httpGet' | 'tcpSocket' | 'graceful' | 'unknown';
  /** The hook, short, for messages. */
  readonly text: string;
  /** Why the wait cannot be read from the manifest, when it cannot. */
  readonly opaque?: string;
  /** Seconds the hook certainly waits on its normal path (sum of its certain sleeps). */
  readonly wait: number;
  /** false when other sleeps may add to `wait` (unresolved operands, loops, branches). */
  readonly waitExact: boolean;
  readonly sleeps: Sleep[];
  readonly calls: ObservedCall[];
  /** The take-out calls (or the graceful script's take-out). */
  readonly takeouts: ObservedCall[];
  /** Certain seconds waited after the last take-out (when there is one) and before a shutdown call or kill. */
  readonly waitAfterTakeout?: number;
  /** Worst case of the bounded calls, summed. */
  readonly callBound: number;
  /** Words after `sh -c SCRIPT` that the script never uses (they become $0, $1 …). */
  readonly ignoredArgs?: { readonly args: string[]; readonly path: string };
  /** The whole hook as one text (to spot registry APIs). */
  readonly fullText: string;
}

/**
 * Whether a URL (or command text) takes an instance out of a registry: a take-out call of any registry module
 * (src/registry/all.ts), and no module's call that never is one (a login).
 * @internal
 */
export function isTakeout(text: string): boolean {
  return REGISTRY_MODULES.some(m => takesOut(m, text)) && !REGISTRY_MODULES.some(m => neverTakesOut(m, text));
}

/**
 * Reads a container's preStop hook; undefined when it has none.
 * @internal
 */
export function preStopOf(c: ContainerRef): PreStop | undefined {
  const h = c.c?.lifecycle?.preStop;
  if (h === undefined || h === null) return undefined;
  const path = `${c.path}.lifecycle.preStop`;
  if (typeof h !== 'object') {
    return opaque(path, path, 'unknown', JSON.stringify(h), 'the preStop handler is not an object (a template?)');
  }
  if (h.sleep !== undefined) {
    const seconds = h.sleep?.seconds;
    if (typeof seconds === 'number') {
      return {
        path,
        detailPath: `${path}.sleep.seconds`,
        kind: 'sleep',
        text: `sleep action ${seconds} s`,
        wait: seconds,
        waitExact: true,
        sleeps: [{ seconds, text: `sleep.seconds: ${seconds}`, at: 0, certain: true }],
        calls: [],
        takeouts: [],
        callBound: 0,
        fullText: '',
      };
    }
    return opaque(path, `${path}.sleep.seconds`, 'sleep', 'sleep action', 'sleep.seconds is not a number (a template?)');
  }
  if (h.httpGet !== undefined) {
    const p = str(h.httpGet?.path) ?? '/';
    const port = str(h.httpGet?.port) ?? '?';
    return opaque(path, `${path}.httpGet`, 'httpGet', `httpGet :${port}${p}`,
      `an httpGet hook (:${port}${p}): how long the endpoint takes is not in the manifest`, `${p}`);
  }
  if (h.tcpSocket !== undefined) {
    return {
      path,
      detailPath: `${path}.tcpSocket`,
      kind: 'tcpSocket',
      text: 'tcpSocket',
      wait: 0,
      waitExact: true,
      sleeps: [],
      calls: [],
      takeouts: [],
      callBound: 0,
      fullText: '',
    };
  }
  const command = h.exec?.command;
  const detailPath = `${path}.exec.command`;
  if (!Array.isArray(command) || command.length === 0) {
    return opaque(path, detailPath, 'unknown', JSON.stringify(h), 'the preStop hook has no exec command, sleep or httpGet');
  }
  const text = `exec ${JSON.stringify(command)}`;
  if (command.some((a: unknown) => typeof a !== 'string')) {
    const sh = shellInvocation(command);
    const ignored = sh && ignoredShellArgs(sh) ? { args: sh.extra, path: `${detailPath}[${sh.scriptIndex + 1}]` } : undefined;
    return { ...opaque(path, detailPath, 'exec', text, 'the command is templated (not plain strings)'), ignoredArgs: ignored };
  }
  const argv = command as string[];
  // the library's own script
  const sh = shellInvocation(argv);
  if (sh && !sh.hasC && sh.script === GRACEFUL_SCRIPT) {
    return graceful(c, path, detailPath, text, sh.extra);
  }
  if (sh && sh.hasC) {
    const script = sh.script ?? '';
    const ignoredArgs = ignoredShellArgs(sh) ? { args: sh.extra, path: `${detailPath}[${sh.scriptIndex + 1}]` } : undefined;
    return { ...fromCommands(path, detailPath, text, topLevelCommands(script), c.env, script), ignoredArgs };
  }
  if (sh) {
    return opaque(path, detailPath, 'exec', text, `it runs the script file ${sh.script ?? '(none)'}, whose text the manifest does not show`);
  }
  // exec form: one command
  return fromCommands(path, detailPath, text, [{ words: argv, text: argv.join(' '), background: false, pipeline: false, connector: '' }], c.env, argv.join(' '));
}

/**
 * Whether the words after `sh -c SCRIPT` were meant to run: there are some, the script does not read its
 * arguments ($0, $1, $@ …), and they are not a mere name for $0 (`sh`, `--`, `_`).
 * @internal
 */
export function ignoredShellArgs(sh: ShellInvocation): boolean {
  if (!sh.hasC || sh.extra.length === 0) return false;
  if (sh.script !== undefined && /\$([0-9@*#]|\{[0-9@*#])/.test(sh.script)) return false;
  return !(sh.extra.length === 1 && (SHELLS.has(sh.extra[0]) || ['--', '_', '-'].includes(sh.extra[0])));
}

function opaque(path: string, detailPath: string, kind: PreStop['kind'], text: string, why: string, fullText = ''): PreStop {
  return { path, detailPath, kind, text, opaque: why, wait: 0, waitExact: false, sleeps: [], calls: [], takeouts: [], callBound: 0, fullText };
}

function graceful(c: ContainerRef, path: string, detailPath: string, text: string, extra: string[]): PreStop {
  const envValue = (n: string) => c.env.get(n)?.value;
  const waitRaw = envValue('GRACEFUL_WAIT_SECONDS');
  const timeoutRaw = envValue('GRACEFUL_CALL_TIMEOUT_SECONDS');
  const timeout = timeoutRaw !== undefined && /^[0-9]+$/.test(timeoutRaw) && Number(timeoutRaw) > 0 ? Number(timeoutRaw) : GRACEFUL_DEFAULT_CALL_TIMEOUT;
  const boundBy = `GRACEFUL_CALL_TIMEOUT_SECONDS ${timeout}`;
  const calls: ObservedCall[] = [];
  const takeoutUrl = envValue('GRACEFUL_TAKEOUT_URL') ?? (c.env.get('GRACEFUL_TAKEOUT_URL')?.unresolved ? '<from a reference>' : '');
  if (extra.length > 0) {
    calls.push({ tool: 'command', text: extra.join(' '), at: 0, takeout: true, bound: timeout, boundBy });
  } else {
    const login = envValue('GRACEFUL_LOGIN_URL');
    if (login && takeoutUrl) calls.push({ tool: 'script', url: login, text: `login ${login}`, at: 0, takeout: false, bound: timeout, boundBy });
    if (takeoutUrl) calls.push({ tool: 'script', url: takeoutUrl, text: `take-out ${takeoutUrl}`, at: 1, takeout: true, bound: timeout, boundBy });
  }
  const after = envValue('GRACEFUL_AFTER_URL');
  if (after) calls.push({ tool: 'script', url: after, text: `after ${after}`, at: 3, takeout: false, bound: timeout, boundBy });
  const base = {
    path,
    detailPath,
    kind: 'graceful' as const,
    text,
    calls,
    takeouts: calls.filter(x => x.takeout),
    callBound: calls.length * timeout,
    fullText: [takeoutUrl, ...extra].join(' '),
  };
  if (waitRaw === undefined || !/^[0-9]+$/.test(waitRaw.trim())) {
    const why = waitRaw === undefined
      ? (c.env.get('GRACEFUL_WAIT_SECONDS')?.unresolved ? 'GRACEFUL_WAIT_SECONDS comes from a reference' : 'GRACEFUL_WAIT_SECONDS is not set: the script does nothing')
      : `GRACEFUL_WAIT_SECONDS (${JSON.stringify(waitRaw)}) is not a whole number: the script does nothing`;
    return { ...base, opaque: why, wait: 0, waitExact: false, sleeps: [] };
  }
  const wait = Number(waitRaw.trim());
  return {
    ...base,
    wait,
    waitExact: true,
    sleeps: [{ seconds: wait, text: `GRACEFUL_WAIT_SECONDS=${wait}`, at: 2, certain: true }],
    waitAfterTakeout: base.takeouts.length > 0 ? wait : undefined,
  };
}

const OPENERS = new Set(['if', 'while', 'until', 'for', 'case', 'select']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const LOOPS = new Set(['while', 'until', 'for', 'select']);

interface Cmd {
  readonly words: string[];
  readonly text: string;
  readonly background: boolean;
  readonly pipeline: boolean;
  readonly connector?: string;
}

function fromCommands(path: string, detailPath: string, text: string, commands: readonly Cmd[], env: Map<string, ManifestEnvVar>,
  fullText: string): PreStop {
  const sleeps: Sleep[] = [];
  const calls: ObservedCall[] = [];
  /** Positions of commands that stop the application (a shutdown endpoint, kill): waiting after them serves nobody. */
  const stops: number[] = [];
  let opaqueWhy: string | undefined;
  let depth = 0;
  commands.forEach((cmd, at) => {
    const raw = cmd.words;
    let first = raw.find(w => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
    first = first.replace(/^[({]+/, '') || first;
    if (CLOSERS.has(first) || /^(fi|done|esac)[;)]*$/.test(first)) {
      depth = Math.max(0, depth - 1);
      return;
    }
    const isFunction = raw[1] === '()' || /\(\)$/.test(raw[0] ?? '');
    const opens = OPENERS.has(first) || isFunction;
    if (opens && (LOOPS.has(first) || isFunction)) depth++; // a loop's condition repeats; a function body may never run
    const certain = depth === 0 && cmd.connector !== '||' && !cmd.background && !cmd.pipeline;
    let words = commandWords(raw);
    let bound: number | undefined;
    let boundBy: string | undefined;
    // wrappers
    for (;;) {
      const head = basename(words[0] ?? '');
      if (head === 'timeout') {
        let k = 1;
        while (k < words.length && words[k].startsWith('-')) k += /^-(s|k)$|^--(signal|kill-after)$/.test(words[k]) ? 2 : 1;
        const t = sleepOperandSeconds(resolve(words[k] ?? '', env) ?? '');
        if (t !== undefined) {
          bound = bound === undefined ? t : Math.min(bound, t);
          boundBy = `timeout ${words[k]}`;
        }
        words = words.slice(k + 1);
      } else if (['exec', 'nohup', 'command', 'busybox'].includes(head)) {
        words = words.slice(1);
      } else if (head === 'env') {
        let k = 1;
        while (k < words.length && (words[k].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]))) k++;
        words = words.slice(k);
      } else {
        break;
      }
    }
    const name = basename(words[0] ?? '');
    if (name === 'sleep') {
      let total: number | undefined = 0;
      for (const op of words.slice(1)) {
        const v = resolve(op, env);
        const sec = v === undefined ? undefined : sleepOperandSeconds(v);
        total = sec === undefined || total === undefined ? undefined : total + sec;
      }
      sleeps.push({ seconds: words.length > 1 ? total : undefined, text: cmd.text, at, certain });
    } else if (name === 'curl' || name === 'wget') {
      const call = httpCall(name, words, cmd.text, at, env);
      const outer = bound !== undefined && (call.bound === undefined || bound <= call.bound);
      calls.push({ ...call, bound: minDefined(call.bound, bound), boundBy: outer ? boundBy : call.boundBy });
      if (/\/shutdown(\b|$)/.test(call.url ?? '') && !call.takeout) stops.push(at);
    } else if (name === 'kill' || name === 'pkill' || name === 'killall') {
      stops.push(at);
    } else if (words[0] !== undefined && looksLikeScript(words[0]) && !opens) {
      opaqueWhy ??= `it runs ${words[0]}, whose text the manifest does not show`;
    }
    if (opens && !LOOPS.has(first) && !isFunction) depth++; // if/case: the condition runs, the branches may not
  });
  const certainSleeps = sleeps.filter(x => x.certain && x.seconds !== undefined);
  const wait = certainSleeps.reduce((a, x) => a + (x.seconds as number), 0);
  const waitExact = opaqueWhy === undefined && sleeps.every(x => x.certain && x.seconds !== undefined);
  const takeouts = calls.filter(x => x.takeout);
  const lastTakeout = takeouts[takeouts.length - 1];
  // the wait that serves the propagation: after the last take-out, before the application is told to stop
  const stop = lastTakeout === undefined ? undefined : stops.find(at => at > lastTakeout.at);
  const waitAfterTakeout = lastTakeout === undefined ? undefined
    : certainSleeps.filter(x => x.at > lastTakeout.at && (stop === undefined || x.at < stop)).reduce((a, x) => a + (x.seconds as number), 0);
  return {
    path,
    detailPath,
    kind: 'exec',
    text,
    opaque: opaqueWhy,
    wait,
    waitExact,
    sleeps,
    calls,
    takeouts,
    waitAfterTakeout,
    callBound: calls.reduce((a, x) => a + (x.bound ?? 0), 0),
    fullText,
  };
}

function minDefined(a?: number, b?: number): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** Options of curl and wget that take a separate value. */
const CURL_VALUE = new Set(['-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-u', '--user',
  '-o', '--output', '-w', '--write-out', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-c',
  '--cookie-jar', '-T', '--upload-file', '-x', '--proxy', '--retry', '--retry-delay', '--retry-max-time', '-F', '--form', '--resolve', '--cacert',
  '--cert', '--key', '-E', '--url', '-K', '--config', '--unix-socket']);
const WGET_VALUE = new Set(['-O', '--output-document', '-T', '--timeout', '-t', '--tries', '--header', '--post-data', '--body-data', '--method',
  '-o', '--output-file', '-U', '--user-agent', '--user', '--password', '-P', '--directory-prefix', '-e', '--execute', '--read-timeout',
  '--connect-timeout', '--dns-timeout', '-w', '--wait']);

function httpCall(tool: string, words: string[], text: string, at: number, env: Map<string, ManifestEnvVar>): ObservedCall {
  const valueOpts = tool === 'curl' ? CURL_VALUE : WGET_VALUE;
  let url: string | undefined;
  let bound: number | undefined;
  let boundBy: string | undefined;
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    const [opt, attached] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    let value: string | undefined = attached;
    if (value === undefined && valueOpts.has(opt)) value = words[++k];
    else if (value === undefined && /^-[mT][0-9]/.test(w)) value = w.slice(2); // -m5, -T5
    const isTimeout = tool === 'curl' ? opt === '-m' || opt === '--max-time' || /^-m[0-9]/.test(w)
      : opt === '-T' || opt === '--timeout' || /^-T[0-9]/.test(w);
    if (isTimeout && value !== undefined) {
      const sec = sleepOperandSeconds(resolve(value, env) ?? '');
      if (sec !== undefined && sec > 0) {
        bound = sec;
        boundBy = `${opt} ${value}`;
      }
      continue;
    }
    if (opt === '--url' && value !== undefined) url ??= value;
    if (w.startsWith('-') || value !== undefined) continue;
    url ??= w;
  }
  // some registries take out by method alone (a bare DELETE of the instance)
  const method = /(?:^|\s)(?:-X|--request|--method)[\s=]*([A-Za-z]+)/.exec(words.join(' '))?.[1]?.toUpperCase();
  const byRequest = REGISTRY_MODULES.some(m => takesOutByRequest(m, method, url ?? text));
  return { tool, url, text, at, takeout: isTakeout(url ?? text) || byRequest, bound, boundBy };
}

/** A shell word with `$VAR`, `${VAR}`, `${VAR:-default}` resolved from literal env values; undefined when it cannot be. */
function resolve(word: string, env: Map<string, ManifestEnvVar>): string | undefined {
  let ok = true;
  const out = word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, op, def, bare) => {
    const name = braced ?? bare;
    const v = env.get(name)?.value;
    if (v !== undefined && !(op?.startsWith(':') && v === '')) return v;
    if (op !== undefined) return def;
    ok = false;
    return '';
  });
  return ok ? out : undefined;
}
