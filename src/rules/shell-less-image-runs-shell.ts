import { Finding, FindingSeverity } from '../finding';
import { cname, finding } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps, suggestPreStop } from './serving';
import { shellLessImage } from '../shell/images';
import { basename, SHELLS } from '../shell/tokenize';

/**
 * A shell-less (distroless) image runs a shell or a script file in its preStop hook or command.
 */
export class ShellLessImageRunsShellRule extends Rule {
  public constructor() {
    super({
      id: 'shell-less-image-runs-shell',
      severity: FindingSeverity.WARNING,
      title: 'A shell-less (distroless) image runs /bin/sh, a script or sleep/curl in its preStop hook, or a shell as its command',
      description: 'Distroless and Chainguard production images contain no shell (Spring Boot ≥ 3.4 images built with the default "tiny" '
        + 'builder neither, spring-boot#43830), and no other programs either (no sleep, curl, wget). An exec preStop hook that starts `sh`, `bash`, '
        + 'a script file or such a program fails at once: the kubelet '
        + 'records FailedPreStopHook and sends SIGTERM immediately, so the wait the hook was written for never happens and requests are lost as '
        + 'if there were no hook. A command that starts a shell never runs the application. Judged from the image name only (gcr.io/distroless '
        + 'except :debug, cgr.dev/chainguard except -dev, names that say distroless), hence a warning. The constructs report it too when their '
        + 'image looks shell-less and the preStop is the script or the sleep command.',
      remediation: 'use the native sleep action (lifecycle.preStop.sleep.seconds, Kubernetes ≥ 1.30; PreStopHook.sleepAction() in the constructs) '
        + 'or an httpGet hook to an endpoint of the application (PreStopHook.httpGet()); run the application in exec form; or use the image\'s '
        + 'debug / -dev variant that has a shell',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      const why = shellLessImage(a.c.image);
      if (why === undefined) continue;
      const hook = a.c.c.lifecycle?.preStop?.exec?.command;
      const hookRuns = Array.isArray(hook) ? needsShell(hook) ?? missingProgram(hook) : undefined;
      if (hookRuns !== undefined) {
        const p = a.preStop;
        const wait = p !== undefined && p.wait > 0 && Number.isFinite(p.wait) ? p.wait : suggestPreStop(a).wait;
        out.push({
          ...finding(this, a.w, `${a.c.path}.lifecycle.preStop.exec.command`,
            `${cname(a.c)} runs image ${a.c.image}, ${why}, and its preStop hook starts ${hookRuns} (${JSON.stringify(hook)}): it cannot run, the `
          + 'kubelet records FailedPreStopHook and sends SIGTERM at once, so the hook\'s wait never happens',
            `replace the hook with lifecycle.preStop.sleep: {seconds: ${wait}} (Kubernetes ≥ 1.30; PreStopHook.sleepAction() in the constructs), `
          + `or an httpGet hook to an endpoint of the application that takes the instance out and waits ${wait} s (PreStopHook.httpGet()); `
          + 'or use the image\'s variant with a shell'),
          fix: [{ path: `${a.c.path}.lifecycle.preStop`, value: { sleep: { seconds: wait } } }],
        });
      }
      // args alone go to the image's ENTRYPOINT: only a command names the program
      const argv = Array.isArray(a.c.c.command) ? a.c.argv ?? [] : [];
      const runs = argv.length > 0 ? needsShell(argv) : undefined;
      if (runs !== undefined) {
        out.push(finding(this, a.w, `${a.c.path}.command`,
          `${cname(a.c)} runs image ${a.c.image}, ${why}, and its command starts ${runs} (${JSON.stringify(argv.slice(0, 4))}): the container `
          + 'cannot start the application',
          'give the application\'s own argv in exec form (e.g. ["java", "-jar", "/app/app.jar"]), or use the image\'s variant with a shell'));
      }
    }
    return out;
  }
}

/** Programs a shell-less image does not ship either (distroless: "no shells or any other programs"). */
const MISSING_PROGRAMS = new Set(['sleep', 'curl', 'wget']);

function missingProgram(argv: unknown[]): string | undefined {
  const head = typeof argv[0] === 'string' ? basename(argv[0]) : undefined;
  return head !== undefined && MISSING_PROGRAMS.has(head) ? `the program ${argv[0]}, which such images do not ship` : undefined;
}

/** What a command needs a shell for (`sh`, a script file), or undefined. */
function needsShell(argv: unknown[]): string | undefined {
  const head = typeof argv[0] === 'string' ? argv[0] : undefined;
  if (head === undefined) return undefined;
  if (SHELLS.has(basename(head)) || (basename(head) === 'busybox' && SHELLS.has(String(argv[1])))) return `a shell (${head})`;
  if (/\.(sh|bash)$/.test(head)) return `the shell script ${head}`;
  return undefined;
}
