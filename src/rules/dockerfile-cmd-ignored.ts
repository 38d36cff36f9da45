import { Finding, FindingSeverity } from '../finding';
import { dockerfileFinding, dockerfiles } from './dockerfile/model';
import { Rule, RuleContext } from './rule';

/**
 * A shell-form ENTRYPOINT makes CMD (and Kubernetes `args`) dead.
 */
export class DockerfileCmdIgnoredRule extends Rule {
  public constructor() {
    super({
      id: 'dockerfile-cmd-ignored',
      severity: FindingSeverity.WARNING,
      title: 'CMD is ignored because ENTRYPOINT is in shell form',
      description: 'A shell-form ENTRYPOINT runs as `/bin/sh -c "<text>"` and ignores CMD and any arguments given at run time, including a '
        + 'Kubernetes container\'s `args`: whatever CMD says never reaches the application.',
      remediation: 'write ENTRYPOINT in exec form (ENTRYPOINT ["java", "-jar", "/app/app.jar"]) so CMD / args are appended, or drop CMD',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const d of dockerfiles(ctx)) {
      const f = d.final;
      if (!f?.entrypoint || f.entrypoint.execForm || !f.cmd) continue;
      out.push(dockerfileFinding(this, d.df, f.cmd.instruction.line,
        `CMD ${f.cmd.instruction.args.trim()} is ignored: ENTRYPOINT (line ${f.entrypoint.instruction.line}) is in shell form, which runs as `
        + `${JSON.stringify(f.shell)} + its text and drops CMD and run-time arguments (Kubernetes args too)`));
    }
    return out;
  }
}
