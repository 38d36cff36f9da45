import * as YAML from 'yaml';
import { Finding, FindingSeverity } from '../finding';
import { appsOf, cname, finding, fmt, Model, model, namespaceObject, shutdownPhase, str, Workload } from './model';
import { Rule, RuleContext } from './rule';
import { RegistryFacts } from '../registry/facts';

/**
 * The Istio sidecar stops before the application has drained.
 */
export class IstioSidecarDrainsFirstRule extends Rule {
  public constructor() {
    super({
      id: 'istio-sidecar-drains-first',
      severity: FindingSeverity.ERROR,
      title: 'The Istio sidecar exits while the application is still in its preStop wait or drain',
      description: `istio-proxy gets SIGTERM at the same time as the application, drains for terminationDrainDuration (${RegistryFacts.ISTIO_TERMINATION_DRAIN.toSeconds()} s by default) and `
        + 'exits: requests that consumers still send during the application\'s preStop wait, and the application\'s own outbound calls while it '
        + `drains, fail (istio/istio#34855). Envoy's drainDuration (${RegistryFacts.ISTIO_DRAIN_DURATION.toSeconds()} s by default) ends the listener drain: `
        + 'after it new inbound connections are refused. EXIT_ON_ZERO_ACTIVE_CONNECTIONS does not help: the agent exits '
        + `${RegistryFacts.ISTIO_MINIMUM_DRAIN.toSeconds()} s after SIGTERM as soon as no connection is active, preStop or not. Reported for pods with `
        + 'sidecar injection (annotation or label sidecar.istio.io/inject: "true", an istio-proxy container, or a Namespace in the input labelled '
        + 'istio-injection=enabled) whose preStop + shutdown phase exceeds terminationDrainDuration or drainDuration of proxy.istio.io/config, or '
        + 'that set EXIT_ON_ZERO_ACTIVE_CONNECTIONS, unless istio-proxy runs as a native sidecar (sidecar.istio.io/nativeSidecar: "true").',
      remediation: 'annotate the pod template with proxy.istio.io/config: \'{"drainDuration": "<preStop + shutdown phase>s", '
        + '"terminationDrainDuration": "<preStop + shutdown phase>s"}\' without EXIT_ON_ZERO_ACTIVE_CONNECTIONS, or run istio-proxy as a native '
        + 'sidecar (sidecar.istio.io/nativeSidecar: "true", Kubernetes ≥ 1.29)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const m = model(ctx);
    for (const w of m.workloads) {
      if (!w.longRunning) continue;
      const why = injected(w, m);
      if (why === undefined) continue;
      const config = proxyConfig(w);
      if (config.native) continue;
      const termination = config.terminationSeconds ?? RegistryFacts.ISTIO_TERMINATION_DRAIN.toSeconds();
      const listeners = config.drainSeconds ?? RegistryFacts.ISTIO_DRAIN_DURATION.toSeconds();
      let worst: { need: number; text: string; name: string } | undefined;
      for (const a of appsOf(ctx, w).filter(x => x.c.name !== 'istio-proxy')) {
        const p = a.preStop;
        const preStop = p ? p.wait + p.callBound : 0;
        const phase = a.jvm ? shutdownPhase(a.c) : undefined;
        const need = preStop + (phase?.seconds ?? 0);
        if (need > (worst?.need ?? 0)) {
          worst = { need, name: cname(a.c), text: `preStop ${fmt(preStop)}${phase ? ` + shutdown phase ${fmt(phase.seconds)}` : ''}` };
        }
      }
      if (worst === undefined) continue;
      const short: string[] = [];
      if (config.exitOnZero) {
        short.push(`EXIT_ON_ZERO_ACTIVE_CONNECTIONS makes the agent exit ${fmt(RegistryFacts.ISTIO_MINIMUM_DRAIN.toSeconds())} after SIGTERM as soon as no `
          + 'connection is active');
      } else if (termination < worst.need) {
        short.push(`it drains for ${fmt(termination)} (${config.terminationSeconds !== undefined ? 'proxy.istio.io/config terminationDrainDuration'
          : 'Istio\'s default terminationDrainDuration'}) and exits`);
      }
      if (listeners < worst.need) {
        short.push(`Envoy stops accepting connections after drainDuration ${fmt(listeners)}${config.drainSeconds !== undefined ? '' : ' (Istio\'s default)'}`);
      }
      if (short.length === 0) continue;
      const n = Math.ceil(worst.need);
      out.push(finding(this, w, `${w.podMetaPath}.annotations`,
        `the pod has an Istio sidecar (${why}): ${short.join('; ')}, but ${worst.name} needs ${worst.text} = ${fmt(worst.need)}: `
        + 'requests arriving after the proxy has gone, and the application\'s own calls while it drains, fail',
        `annotate the pod template with proxy.istio.io/config: '{"drainDuration": "${n}s", "terminationDrainDuration": "${n}s"}'`
        + `${config.exitOnZero ? ' and remove proxyMetadata EXIT_ON_ZERO_ACTIVE_CONNECTIONS' : ''}, or annotate sidecar.istio.io/nativeSidecar: "true" `
        + '(Kubernetes ≥ 1.29)'));
    }
    return out;
  }
}

function injected(w: Workload, m: Model): string | undefined {
  const flag = (v: unknown) => str(v)?.toLowerCase();
  const a = flag(w.podMeta?.annotations?.['sidecar.istio.io/inject']);
  const l = flag(w.podMeta?.labels?.['sidecar.istio.io/inject']);
  if (a === 'false' || l === 'false') return undefined;
  if (a === 'true') return 'annotation sidecar.istio.io/inject: "true"';
  if (l === 'true') return 'label sidecar.istio.io/inject: "true"';
  if (w.containers.some(c => c.name === 'istio-proxy')) return 'an istio-proxy container';
  const ns = namespaceObject(m, w.namespace ?? 'default');
  const nsLabel = flag(ns?.object?.metadata?.labels?.['istio-injection']);
  if (nsLabel === 'enabled') return `Namespace ${ns!.name} labelled istio-injection=enabled`;
  return undefined;
}

function proxyConfig(w: Workload): { terminationSeconds?: number; drainSeconds?: number; exitOnZero: boolean; native: boolean } {
  const raw = w.podMeta?.annotations?.['proxy.istio.io/config'];
  let config: any;
  if (typeof raw === 'string') {
    try {
      config = YAML.parse(raw);
    } catch {
      config = undefined;
    }
  }
  const exitOnZero = String(config?.proxyMetadata?.EXIT_ON_ZERO_ACTIVE_CONNECTIONS ?? '').toLowerCase() === 'true';
  const t = config?.terminationDrainDuration;
  const d = config?.drainDuration;
  const native = str(w.podMeta?.annotations?.['sidecar.istio.io/nativeSidecar'])?.toLowerCase() === 'true';
  return {
    terminationSeconds: typeof t === 'string' ? goDuration(t) : undefined,
    drainSeconds: typeof d === 'string' ? goDuration(d) : undefined,
    exitOnZero,
    native,
  };
}

/** A Go duration (`60s`, `1m30s`, `500ms`) in seconds. */
function goDuration(d: string): number | undefined {
  const re = /([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d)) !== null) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 }[m[2] as 'h']!;
    consumed += m[0].length;
  }
  return consumed === d.trim().length && consumed > 0 ? total : undefined;
}
