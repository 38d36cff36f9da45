import { appContainers, cname, finding } from './index';
import { Finding } from '../../finding';
import { analyzeWithScripts, ScriptText, shellExecsLast, unwrapInits } from '../../shell/signals';
import { basename, SHELLS } from '../../shell/tokenize';
import { decidingInstruction, dockerfileFinding, dockerfiles, shOf, shortArgv } from '../dockerfile/model';
import { Rule, RuleContext } from '../rule';

/** @internal */
export interface Pid1Verdict {
  readonly level: 'ok' | 'certain' | 'shell-dependent' | 'unseen-script';
  readonly problem?: string;
}

/**
 * Whether SIGTERM reaches the application when a container runs `argv`, weighed for the audit: the shared
 * PID 1 analysis (src/shell), plus what `/bin/sh` is in the image for the last command of a `-c` script (whether
 * dash, bash or BusyBox ash exec it: `shellExecsLast`), plus script files whose text is known.
 * @internal
 */
export function pid1Verdict(argv: string[], image: string, scriptText: ScriptText = () => undefined): Pid1Verdict {
  const a = analyzeWithScripts(argv, scriptText);
  if (a.ok) {
    const { argv: program } = unwrapInits(argv);
    const head = program[0] ?? '';
    if (head && !SHELLS.has(basename(head)) && scriptText(head) === undefined && /\.(sh|bash)$/.test(head)) {
      return { level: 'unseen-script', problem: `it runs the script ${head}, whose text was not given: SIGTERM reaches the application only if the script ends with 'exec …'` };
    }
    return { level: 'ok' };
  }
  if (!a.certain) {
    return { level: 'unseen-script', problem: a.problem };
  }
  if (a.lastCommand) {
    const shell = a.shell ?? 'sh';
    const flavour = shell === 'bash' || shell === 'ash' ? (shell === 'ash' ? 'busybox' : 'bash')
      : shell === 'dash' ? 'dash' : shell === 'sh' ? shOf(image) : undefined;
    const which = shell === 'sh' ? `/bin/sh is ${flavour === 'busybox' ? 'BusyBox ash' : flavour} (image ${image})` : `the shell is ${flavour}`;
    // `sh -c ./start.sh` with start.sh known: where the shell execs the command, the script takes its place
    const execd = a.lastCommandExecd;
    const execdProblem = execd && !execd.ok
      ? `the script that command runs would then take the shell's place, and ${execd.problem}` : undefined;
    if (flavour !== undefined) {
      const execs = shellExecsLast(flavour, a.lastCommand);
      if (execs === true) {
        if (execdProblem === undefined) return { level: 'ok' };
        return { level: execd!.certain ? 'certain' : 'unseen-script', problem: `here ${which}, which execs the '${shell} -c' script's last command itself: ${execdProblem}` };
      }
      if (execs === false) return { level: 'certain', problem: `${a.problem}. Here ${which}, which does not exec it: the shell stays in front of the application` };
      if (execdProblem !== undefined && execd!.certain) return { level: 'certain', problem: `${a.problem}. Here ${which}; where it execs the command, ${execdProblem}` };
      return { level: 'shell-dependent', problem: `${a.problem}. Here ${which}; which bash version the image has is not known from its name` };
    }
    if (execdProblem !== undefined && execd!.certain) {
      return { level: 'certain', problem: `${a.problem}. Where the shell execs the command instead, ${execdProblem}` };
    }
    if ([shellExecsLast('dash', a.lastCommand), shellExecsLast('bash', a.lastCommand), shellExecsLast('busybox', a.lastCommand)].every(x => x === false)) {
      return { level: 'certain', problem: a.problem };
    }
    return {
      level: 'shell-dependent',
      problem: `${a.problem}${image ? `. Which shell ${image} has is not known from its name: the image's shell decides` : ''}`,
    };
  }
  return { level: 'certain', problem: a.problem };
}

/** One PID 1 judgement: of a container's command, or of a Dockerfile's final ENTRYPOINT/CMD. @internal */
export interface Pid1Subject {
  readonly verdict: Pid1Verdict;
  /** Build the finding for a rule. */
  readonly finding: (rule: Rule, message: (problem: string) => string, remediation?: string) => Finding;
  /** What runs, for messages. */
  readonly what: string;
}

const subjects = new WeakMap<RuleContext, Pid1Subject[]>();

/**
 * Every PID 1 judgement of an audit: Java / registry-backed app containers of long-running workloads whose
 * command or args the manifest gives, and Dockerfiles of Java images (base image, java in the command or
 * the entrypoint script, JAVA_* / SPRING_* ENV).
 * @internal
 */
export function pid1Subjects(ctx: RuleContext): Pid1Subject[] {
  let list = subjects.get(ctx);
  if (list !== undefined) return list;
  list = [];
  for (const a of appContainers(ctx)) {
    const argv = a.c.argv;
    if (argv === undefined || a.jvm === undefined) continue;
    const verdict = pid1Verdict(argv, a.c.image, p => a.c.scripts.get(p)?.text);
    if (verdict.level === 'ok') continue;
    const path = Array.isArray(a.c.c.command) ? `${a.c.path}.command` : `${a.c.path}.args`;
    const what = `${cname(a.c)} runs ${shortArgv(argv)}`;
    list.push({ verdict, what, finding: (rule, message, remediation) => finding(rule, a.w, path, message(verdict.problem ?? ''), remediation) });
  }
  for (const d of dockerfiles(ctx)) {
    const f = d.final;
    if (!f?.argv || f.argv.length === 0 || d.jvm === undefined) continue;
    const verdict = pid1Verdict(f.argv, f.baseImage, d.scriptText);
    if (verdict.level === 'ok') continue;
    // an ENTRYPOINT/CMD that is broken JSON never starts the application: dockerfile-exec-form-invalid says so
    if (f.entrypoint?.instruction.brokenJson || f.cmd?.instruction.brokenJson) continue;
    const ins = decidingInstruction(f)!;
    const form = ins.execForm ? 'exec form' : `shell form, run as ${JSON.stringify(f.shell)} + the text`;
    const what = `the image runs ${shortArgv(f.argv)} (${ins.instruction.keyword} ${form})`;
    list.push({ verdict, what, finding: (rule, message, remediation) => dockerfileFinding(rule, d.df, ins.instruction.line, message(verdict.problem ?? ''), remediation) });
  }
  subjects.set(ctx, list);
  return list;
}
