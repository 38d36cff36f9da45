import { Finding, FindingSeverity } from '../finding';
import { dockerfileFinding, dockerfiles } from './dockerfile/model';
import { appContainers, cname, finding, ignoredShellArgs, model } from './model';
import { Rule, RuleContext } from './rule';
import { shellInvocation } from '../shell/tokenize';

/**
 * Words after `sh -c SCRIPT` that the script never reads.
 */
export class ShellCIgnoredArgsRule extends Rule {
  public constructor() {
    super({
      id: 'shell-c-ignored-args',
      severity: FindingSeverity.ERROR,
      title: 'Words after `sh -c SCRIPT` never run',
      description: 'With `sh -c SCRIPT a b c` only SCRIPT runs; the words after it become `$0`, `$1`, `$2` of the script. A hook written as '
        + '`["sh", "-c", "curl …", "&&", "sleep", "30"]` or `["sh", "-c", "curl …", "sleep 60"]` calls curl and returns at once: the sleep '
        + 'never happens. Checked in preStop hooks, container commands (command + args) and Dockerfile ENTRYPOINT + CMD; not reported when '
        + 'the script reads its arguments ($0, $1, $@ …) or the only word is a name for $0 (`sh`, `--`, `_`).',
      remediation: 'put the whole script into the one string after -c: ["sh", "-c", "curl …; sleep 30"]',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const message = (where: string, args: string[]) => `${where}: the words after the script (${args.map(a => JSON.stringify(a)).join(', ')}) `
      + `become $0${args.length > 1 ? `…$${args.length - 1}` : ''} of the script and never run`;
    for (const a of appContainers(ctx)) {
      const ignored = a.preStop?.ignoredArgs;
      if (ignored) {
        out.push(finding(this, a.w, ignored.path, message(`the preStop hook of ${cname(a.c)} is an 'sh -c' command`, ignored.args)));
      }
    }
    for (const w of model(ctx).workloads) {
      for (const c of w.containers.concat(w.initContainers)) {
        if (c.argv === undefined) continue;
        const sh = shellInvocation(c.argv);
        if (!sh || !ignoredShellArgs(sh)) continue;
        const commandLength = Array.isArray(c.c.command) ? c.c.command.length : 0;
        const first = sh.scriptIndex + 1;
        const path = first < commandLength ? `${c.path}.command[${first}]` : `${c.path}.args[${first - commandLength}]`;
        out.push(finding(this, w, path, message(`${cname(c)} runs an 'sh -c' command`, sh.extra)));
      }
    }
    for (const d of dockerfiles(ctx)) {
      const f = d.final;
      if (!f?.argv) continue;
      const sh = shellInvocation(f.argv);
      if (!sh || !ignoredShellArgs(sh)) continue;
      const line = (f.cmd && f.entrypoint?.execForm ? f.cmd : f.entrypoint ?? f.cmd)!.instruction.line;
      out.push(dockerfileFinding(this, d.df, line, message('the image runs an \'sh -c\' command (ENTRYPOINT + CMD)', sh.extra),
        'put the whole script into the one string after -c, e.g. ENTRYPOINT ["sh", "-c", "exec java -jar /app/app.jar \\"$@\\"", "--"] when CMD holds arguments'));
    }
    return out;
  }
}
