import { Finding, FindingSeverity } from '../finding';
import { decidingInstruction, dockerfileFinding, dockerfiles } from './dockerfile/model';
import { cname, finding, sleepOperandSeconds } from './model';
import { Rule, RuleContext } from './rule';
import { servingApps } from './serving';
import { ScriptText } from '../shell/signals';
import { basename, commandWords, shellInvocation, termDisposition, topLevelCommands } from '../shell/tokenize';

/**
 * A shell as PID 1 sleeps before it execs the application: SIGTERM during the sleep is lost.
 */
export class DockerfileSleepBeforeExecRule extends Rule {
  public constructor() {
    super({
      id: 'dockerfile-sleep-before-exec',
      severity: FindingSeverity.WARNING,
      title: 'A shell as PID 1 sleeps before it execs the application: SIGTERM during the sleep is lost',
      description: 'In `sleep 30; exec java …` (a Dockerfile CMD/ENTRYPOINT in shell form, `sh -c "sleep N && exec java"`, or an entrypoint '
        + 'script) the shell is PID 1 until the exec. PID 1 has no default action for SIGTERM, and dash, bash and BusyBox sh install no handler: '
        + 'a SIGTERM that arrives during the sleep is dropped, the shell then execs the application anyway, and the kubelet SIGKILLs it at the end '
        + 'of the grace period (measured here as PID 1 of a PID namespace with dash 0.5.12, bash 5.2.15 and BusyBox 1.35.0, with `;` and `&&`). A '
        + 'pod deleted during its first seconds (a rollback, a scale-down, a second rollout) then holds its node for the whole grace period '
        + 'and starts an application only to kill it. Not reported when the script traps TERM or an init (tini, dumb-init) is PID 1.',
      remediation: 'wait for dependencies in an init container or in the application (retry on connect), and exec the application directly',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const d of dockerfiles(ctx)) {
      const f = d.final;
      if (!f?.argv || f.argv.length === 0) continue;
      const s = sleepBeforeExec(f.argv, d.scriptText);
      if (s === undefined) continue;
      const ins = decidingInstruction(f)!;
      out.push(dockerfileFinding(this, d.df, ins.instruction.line,
        `${ins.instruction.keyword} runs ${s.where}: the shell is PID 1 during '${s.sleep}'${s.seconds !== undefined ? ` (${s.seconds} s)` : ''} and drops a `
        + `SIGTERM that arrives then (dash, bash and BusyBox alike); it then runs '${s.exec}' anyway, which is SIGKILLed at the end of the grace period`,
        fix(s)));
    }
    for (const a of servingApps(ctx)) {
      if (!Array.isArray(a.c.c.command) || a.c.argv === undefined) continue;
      const s = sleepBeforeExec(a.c.argv, () => undefined);
      if (s === undefined) continue;
      out.push(finding(this, a.w, `${a.c.path}.command`,
        `${cname(a.c)} runs ${s.where}: the shell is PID 1 during '${s.sleep}'${s.seconds !== undefined ? ` (${s.seconds} s)` : ''} and drops a SIGTERM that `
        + `arrives then (dash, bash and BusyBox alike); it then runs '${s.exec}' anyway, which is SIGKILLed after terminationGracePeriodSeconds `
        + `${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'}`,
        fix(s)));
    }
    return out;
  }
}

interface SleepBeforeExec {
  readonly where: string;
  readonly sleep: string;
  readonly seconds?: number;
  readonly exec: string;
}

function fix(s: SleepBeforeExec): string {
  return `remove '${s.sleep}' and run '${s.exec.replace(/^exec\s+/, '')}' in exec form; if the ${s.seconds ?? 'N'} s wait is for a dependency, `
    + 'move it to an initContainer (or let the application retry its connection)';
}

/** `sleep …` at the top level of a PID 1 shell script, before a later `exec …`, without a TERM trap. */
function sleepBeforeExec(argv: string[], scriptText: ScriptText): SleepBeforeExec | undefined {
  const sh = shellInvocation(argv);
  let script: string | undefined;
  let where: string;
  if (sh?.hasC) {
    script = sh.script;
    where = `${JSON.stringify([...argv.slice(0, sh.scriptIndex)])} with the script ${JSON.stringify(sh.script ?? '')}`;
  } else {
    const file = sh ? sh.script : argv[0];
    if (file === undefined || !/\.(sh|bash)$/.test(file)) return undefined;
    script = scriptText(file);
    where = `the script ${file}`;
  }
  if (script === undefined) return undefined;
  const commands = topLevelCommands(script);
  if (termDisposition(commands) !== 'default') return undefined;
  const execAt = commands.findIndex(c => !c.background && c.words[0] === 'exec' && c.words.length > 1);
  if (execAt < 0) return undefined;
  const sleepAt = commands.findIndex((c, i) => i < execAt && !c.background && basename(commandWords(c.words)[0] ?? '') === 'sleep');
  if (sleepAt < 0) return undefined;
  const words = commandWords(commands[sleepAt].words);
  let seconds: number | undefined = 0;
  for (const op of words.slice(1)) {
    const v = sleepOperandSeconds(op);
    seconds = v === undefined || seconds === undefined ? undefined : seconds + v;
  }
  return { where: where.length > 160 ? `${where.slice(0, 157)}…` : where, sleep: commands[sleepAt].text.trim(), seconds: words.length > 1 ? seconds : undefined, exec: commands[execAt].text.trim() };
}
