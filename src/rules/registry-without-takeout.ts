import { Finding, FindingSeverity } from '../finding';
import { redact } from '../redact';
import { appContainers, cname, finding, propagationOf, registryLabel } from './model';
import { Rule, RuleContext } from './rule';

/**
 * A registry-backed container's preStop waits but never takes the instance out.
 */
export class RegistryWithoutTakeoutRule extends Rule {
  public constructor() {
    super({
      id: 'registry-without-takeout',
      severity: FindingSeverity.WARNING,
      title: 'A registry-backed container\'s preStop only waits: the registry learns of the shutdown too late',
      description: 'Consumers of a Nacos, Consul or Eureka service do not watch Kubernetes endpoints. If the preStop hook only sleeps, the '
        + 'registry keeps listing the instance during the sleep and learns that it is gone only when Spring deregisters during shutdown, after '
        + 'SIGTERM, when the web server has already stopped accepting: consumers keep calling it for the whole registry propagation and cache '
        + 'time. The wait must come after a take-out.',
      remediation: 'take the instance out first (POST /actuator/serviceregistry {"status":"DOWN"}, or the registry\'s API), then wait for the '
        + 'propagation',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (p === undefined || a.registry === undefined || a.registry.module.audit.agentTakesOut) continue;
      if (p.opaque !== undefined || p.takeouts.length > 0 || p.ignoredArgs !== undefined) continue;
      const prop = propagationOf(a.registry, a.c, a.w);
      out.push(finding(this, a.w, p.detailPath,
        // the evidence may be a -D…=value token of JAVA_TOOL_OPTIONS, the hook a command with credentials: both redacted
        `${cname(a.c)} registers with ${registryLabel(a.registry.name)} (${redact(a.registry.evidence)}), but its preStop hook (${redact(p.text)}) never takes the instance out: `
        + 'the registry lists it until Spring deregisters after SIGTERM, so consumers keep calling a stopping instance'
        + (prop ? ` for up to ${prop.seconds} s (${prop.text})` : '')));
    }
    return out;
  }
}
