import { invalidProp, show } from '../errors';
import { analyzeArgv } from '../shell/signals';

// The shell analysis lives in src/shell/, shared with the audit rules; re-exported for existing callers.
export { analyzeArgv } from '../shell/signals';
export type { Pid1Analysis } from '../shell/signals';

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
    throw invalidProp(prop, show(path), 'must be a non-empty path without spaces', 'give the binary\'s path in the image, e.g. "/usr/bin/tini"');
  }
  return path;
}

/**
 * Renders the container's command under the chosen init and checks that SIGTERM reaches the application.
 * @internal
 */
export function renderProcess(init: ProcessInit, command: string[] | undefined, args: string[] | undefined,
  props: { command: string; args: string }): { command?: string[]; args?: string[]; warnings: string[] } {
  for (const [name, list] of [[props.command, command], [props.args, args]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some(a => typeof a !== 'string'))) {
      throw invalidProp(name, show(list), 'must be a list of strings', 'give the argv as a list, e.g. ["java", "-jar", "/app/app.jar"]');
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
    throw invalidProp(prop, show(command !== undefined ? [...command, ...(args ?? [])] : argv),
      `${init.forwardsToGroup ? `under ${init.name} ` : ''}does not let SIGTERM reach the application: ${analysis.problem}`,
      'start the last command with exec (sh -c "…; exec java -jar /app/app.jar"), or use exec form (["java", "-jar", "/app/app.jar"])');
  }
  return { command: rendered, args, warnings: analysis.ok ? [] : [analysis.problem!] };
}
