import { Finding, FindingSeverity } from '../finding';
import { dockerfileFinding, dockerfiles } from './dockerfile/model';
import { Rule, RuleContext } from './rule';

/** Signals on which the JVM runs its shutdown hooks (Spring's graceful shutdown among them). */
const JVM_SHUTDOWN_SIGNALS = new Set(['TERM', '15', 'INT', '2', 'HUP', '1']);

/**
 * A Java image whose STOPSIGNAL does not start the JVM's shutdown.
 */
export class DockerfileStopSignalRule extends Rule {
  public constructor() {
    super({
      id: 'dockerfile-stopsignal',
      severity: FindingSeverity.WARNING,
      title: 'The Java image\'s STOPSIGNAL does not start the JVM\'s graceful shutdown',
      description: 'The kubelet stops a container with the image\'s STOPSIGNAL instead of SIGTERM. The JVM runs its shutdown hooks (and Spring '
        + 'its graceful shutdown) on SIGTERM, SIGINT and SIGHUP only: SIGKILL kills it outright, SIGQUIT prints a thread dump and keeps running '
        + 'until the grace period ends, SIGUSR1/2 are ignored or fatal. Judged for images that run a JVM (base image, java in the command or '
        + 'the entrypoint script); other servers have their own graceful signals (nginx: SIGQUIT).',
      remediation: 'remove STOPSIGNAL (SIGTERM is the default) or set STOPSIGNAL SIGTERM',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const d of dockerfiles(ctx)) {
      const s = d.final?.stopSignal;
      if (!s || d.jvm === undefined) continue;
      const signal = s.args.trim().toUpperCase().replace(/^SIG/, '');
      if (JVM_SHUTDOWN_SIGNALS.has(signal) || signal.startsWith('$')) continue;
      out.push(dockerfileFinding(this, d.df, s.line,
        `STOPSIGNAL ${s.args.trim()}: the kubelet stops the container with it instead of SIGTERM, and the JVM (${d.jvm}) does not start its `
        + 'graceful shutdown on it'));
    }
    return out;
  }
}
