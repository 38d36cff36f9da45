import { Finding, FindingSeverity } from '../finding';
import { pid1Subjects } from './model/pid1';
import { Rule, RuleContext } from './rule';

/**
 * The last command of a `sh -c` script without `exec`, whose fate depends on which shell /bin/sh is.
 */
export class Pid1ShellMayNotExecRule extends Rule {
  public constructor() {
    super({
      id: 'pid1-shell-may-not-exec',
      severity: FindingSeverity.WARNING,
      title: 'PID 1 is `sh -c "… java …"` without exec: whether SIGTERM reaches the JVM depends on the image\'s shell',
      description: 'Whether a shell execs the last command of a `-c` script itself (so that the JVM becomes PID 1) depends on the shell, '
        + 'measured with dash 0.5.12, bash 5.2 and BusyBox 1.35: dash (/bin/sh of Debian and Ubuntu based images: eclipse-temurin, openjdk:8/11, '
        + '*-slim) never does, so it stays PID 1, ignores SIGTERM, and the JVM is SIGKILLed at the end of the grace period; bash 5.1 and later '
        + 'does unless the command has a redirection or a trap is set (older bash only for a lone command); BusyBox ash does unless a trap is '
        + 'set. Reported when the image name does not tell which shell (or which bash version) it has; also for Dockerfile shell-form '
        + 'ENTRYPOINT/CMD, which Docker runs as `/bin/sh -c "…"`. When the image\'s shell is known not to exec it, `pid1-shell-without-exec` '
        + 'reports it instead.',
      remediation: 'write `exec java …` (or use exec form), which works with every shell',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    return pid1Subjects(ctx)
      .filter(s => s.verdict.level === 'shell-dependent')
      .map(s => s.finding(this, problem => `${s.what}: ${problem}`));
  }
}
