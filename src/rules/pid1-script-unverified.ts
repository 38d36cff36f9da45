import { Finding, FindingSeverity } from '../finding';
import { pid1Subjects } from './model/pid1';
import { Rule, RuleContext } from './rule';

/**
 * PID 1 runs a shell script whose text the audit has not seen.
 */
export class Pid1ScriptUnverifiedRule extends Rule {
  public constructor() {
    super({
      id: 'pid1-script-unverified',
      severity: FindingSeverity.INFO,
      title: 'PID 1 runs a shell script the audit cannot see',
      description: 'An entrypoint script (`ENTRYPOINT ["/app/start.sh"]`, `sh start.sh`) is PID 1: SIGTERM reaches the JVM only if the script '
        + 'ends with `exec java …`. Give the script to the audit (Dockerfile scripts) to have it checked.',
      remediation: 'make sure the script\'s last command is `exec java …`, and pass the script to the audit',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    return pid1Subjects(ctx)
      .filter(s => s.verdict.level === 'unseen-script')
      .map(s => s.finding(this, problem => `${s.what}: ${problem}`));
  }
}
