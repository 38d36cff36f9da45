import { Finding, FindingSeverity } from '../finding';
import { dockerfileFinding, dockerfiles } from './dockerfile/model';
import { Rule, RuleContext } from './rule';

/**
 * An ENTRYPOINT or CMD of the final image written as a JSON array that is not valid JSON: Docker runs it in shell
 * form, and the shell looks for a program named after the first word (`['java',`), which does not exist.
 */
export class DockerfileExecFormInvalidRule extends Rule {
  public constructor() {
    super({
      id: 'dockerfile-exec-form-invalid',
      severity: FindingSeverity.ERROR,
      title: 'ENTRYPOINT or CMD looks like exec form but is not valid JSON',
      description: 'The exec form is parsed as a JSON array, so every word needs straight double quotes and a comma between them; when the text '
        + 'is not valid JSON (single quotes, typographic quotes “…”, a missing comma), Docker does not refuse it but runs it in shell form, as '
        + '`/bin/sh -c "<text>"` (Dockerfile reference, "Exec form"; moby/moby#32074). The shell then takes the first word, bracket and quotes '
        + 'included (`[java,` or `[“java”,`), for the program to run, finds none, and exits with 127 (measured with dash 0.5.12, bash 5.2 and '
        + 'BusyBox 1.35): the application never starts, and the PID 1 rules, which assume it does, are not applied to the image.',
      remediation: 'write the array with straight double quotes and commas: ENTRYPOINT ["java", "-jar", "/app/app.jar"]',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const d of dockerfiles(ctx)) {
      const f = d.final;
      if (f === undefined) continue;
      for (const c of [f.entrypoint, f.cmd]) {
        const ins = c?.instruction;
        if (!ins?.brokenJson) continue;
        // the shell's quote removal takes out straight quotes, not typographic ones
        const first = ins.args.split(/\s+/)[0].replace(/['"]/g, '');
        out.push(dockerfileFinding(this, d.df, ins.line,
          `${ins.keyword} ${ins.args} is not valid JSON${/[‘’“”']/.test(ins.args) ? ' (only straight double quotes " are JSON quotes)' : ''}, so `
          + `Docker runs it in shell form, as ${JSON.stringify(f.shell)} + the text: the shell looks for a program named ${JSON.stringify(first)}, `
          + 'finds none and exits with 127: the container never runs the application'));
      }
    }
    return out;
  }
}
