import { Finding, FindingSeverity } from '../finding';
import { pid1Subjects } from './model/pid1';
import { Rule, RuleContext } from './rule';

const REMEDIATION = 'make the application PID 1: exec form (["java", "-jar", "/app/app.jar"]), or end the shell script with '
  + '`exec java …` (tini/dumb-init do not rescue a shell that does not exec)';

/**
 * A shell is PID 1 and does not exec the application, whatever the shell.
 */
export class Pid1ShellWithoutExecRule extends Rule {
  public constructor() {
    super({
      id: 'pid1-shell-without-exec',
      severity: FindingSeverity.ERROR,
      title: 'A shell is PID 1 and does not exec the application',
      description: 'Kubernetes sends SIGTERM to PID 1 only. A shell as PID 1 ignores it and does not forward it, so the JVM never starts its '
        + 'graceful shutdown, never deregisters, and is SIGKILLed at the end of the grace period (a start.sh running `java -jar` without exec '
        + 'is the classic case). Reported for the commands of Java / registry-backed containers, the ENTRYPOINT/CMD '
        + 'of Java images (shell form runs `/bin/sh -c`) and entrypoint scripts whose text is given, when the last command does not start with '
        + 'exec and no shell would exec it: a script file, a command in the background or in a pipeline, a builtin such as `wait`, a trap set '
        + 'before it, or an image whose shell is known not to (measured with dash 0.5.12, bash 5.2, BusyBox 1.35: dash never execs the last '
        + 'command of `-c`; bash 5.1 and later does unless it has a redirection or a trap is set; BusyBox ash does unless a trap is set).',
      remediation: REMEDIATION,
    });
  }

  public check(ctx: RuleContext): Finding[] {
    return pid1Subjects(ctx)
      .filter(s => s.verdict.level === 'certain')
      .map(s => s.finding(this, problem => `${s.what}: ${problem}`));
  }
}
