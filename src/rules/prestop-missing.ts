import { Finding, FindingSeverity } from '../finding';
import { cname, finding, registryLabel } from './model';
import { Rule, RuleContext } from './rule';
import { portsOf, servingApps, suggestPreStop } from './serving';

/**
 * A container that takes traffic has no preStop hook.
 */
export class PreStopMissingRule extends Rule {
  public constructor() {
    super({
      id: 'prestop-missing',
      severity: FindingSeverity.ERROR,
      title: 'A container that takes traffic has no preStop hook',
      description: 'Without a preStop hook the kubelet sends SIGTERM at the same moment the pod is removed from the endpoints, so kube-proxy, '
        + 'ingresses and, for registry-backed services, every consumer with a cached instance list keep sending requests to a process that is '
        + 'already shutting down: each rollout and each scale-down loses requests. Applies to every container of a long-running workload that '
        + 'serves traffic (it declares a port, a Service selects its pods, an HPA scales it, or it registers with a registry), except '
        + 'infrastructure images (databases, caches, proxies, registry servers). The suggested hook is sized like the constructs\' budget: '
        + 'the slowest propagation path (Kubernetes endpoints 10 s, or the registry\'s chain after taking the instance out), within 80 % of '
        + 'the grace period.',
      remediation: 'add a preStop hook that takes the instance out of its registry (if it has one) and then waits for the news to propagate, '
        + 'and a terminationGracePeriodSeconds that covers it plus the drain',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of servingApps(ctx)) {
      if (a.preStop !== undefined) continue;
      const ports = portsOf(a);
      const takes = [
        ports.length > 0 ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : undefined,
        a.registry ? `registered with ${registryLabel(a.registry.name)} (${a.registry.evidence})` : undefined,
      ].filter(Boolean).join(', ') || 'its pods are selected by a Service';
      const s = suggestPreStop(a);
      const graceOk = a.w.grace >= s.minimumGrace;
      const fix = `add lifecycle.preStop.${s.hook} to ${cname(a.c)}: it waits ${s.wait} s for ${s.waitText}`
        + (s.callBound > 0 ? ` after taking the instance out (call bounded by ${s.callBound} s)` : '')
        + (graceOk ? `; terminationGracePeriodSeconds ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'} already covers it (${s.graceText})`
          : `, and raise terminationGracePeriodSeconds from ${a.w.grace} s${a.w.graceGiven ? '' : ' (default)'} to at least ${s.minimumGrace} s (${s.graceText})`);
      out.push({
        ...finding(this, a.w, `${a.c.path}.lifecycle.preStop`,
          `${cname(a.c)} (${a.registry ? 'registry-backed' : a.jvm ? `JVM: ${a.jvm}` : `image ${a.c.image}`}) takes traffic (${takes}) `
        + 'and has no preStop hook: SIGTERM arrives while '
        + (a.registry ? 'consumers still hold the instance in their registry view and ' : '')
        + 'the endpoints are still being removed, so requests sent meanwhile fail', fix),
        fix: [
          { path: `${a.c.path}.lifecycle.preStop`, value: s.hookValue },
          ...(graceOk ? [] : [{ path: a.w.gracePath, value: s.minimumGrace }]),
        ],
      });
    }
    return out;
  }
}
