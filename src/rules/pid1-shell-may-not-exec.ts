import { Finding, FindingSeverity } from '../finding';
import { pid1Subjects } from './model/pid1';
import { Rule, RuleContext } from './rule';

/**
 * A single command under `sh -c` whose fate depends on which shell /bin/sh is.
 */
export class Pid1ShellMayNotExecRule extends Rule {
  public constructor() {
    super({
      id: 'pid1-shell-may-not-exec',
      severity: FindingSeverity.WARNING,
      title: 'PID 1 is `sh -c "java …"` without exec: works with bash or busybox, not with dash',
      description: 'bash and busybox sh exec the single command of a `-c` script themselves, so the JVM becomes PID 1; dash, /bin/sh of Debian '
        + 'and Ubuntu based images (eclipse-temurin, openjdk:8/11, *-slim), does not: it stays PID 1, ignores SIGTERM, and the JVM is SIGKILLed '
        + 'at the end of the grace period. Reported when the image name does not tell which shell it has; also for Dockerfile shell-form '
        + 'ENTRYPOINT/CMD, which Docker runs as `/bin/sh -c "…"`.',
      remediation: 'write `exec java …` (or use exec form), which works with every shell',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    return pid1Subjects(ctx)
      .filter(s => s.verdict.level === 'shell-dependent')
      .map(s => s.finding(this, problem => `${s.what}: ${problem}`));
  }
}
