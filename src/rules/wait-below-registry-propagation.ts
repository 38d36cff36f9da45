import { AuditAnnotations } from '../annotations';
import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, fmt, propagationOf, registryLabel } from './model';
import { Rule, RuleContext } from './rule';
import { LOADBALANCER_CACHE_TTL } from '../registry/consumer-cache';
import { springEnvName } from '../spring/env';

/**
 * The wait after the take-out is shorter than the propagation the manifest's own registry settings imply.
 */
export class WaitBelowRegistryPropagationRule extends Rule {
  public constructor() {
    super({
      id: 'wait-below-registry-propagation',
      severity: FindingSeverity.WARNING,
      title: 'The wait after the take-out is shorter than the registry\'s propagation',
      description: 'After a take-out, consumers keep calling until the registry has told them and their load-balancer cache has expired. '
        + 'How long each registry and consumer cache takes, with its source, is the table in docs/registries.md (generated from the same '
        + 'registry modules the constructs use). Only reported when the registry is detected from the manifest (discovery settings in env, '
        + 'SPRING_APPLICATION_JSON, -D/-- arguments, or the registry API the hook calls); consumer settings the manifest shows '
        + '(loadbalancer cache TTL / enabled, Ribbon, Eureka fetch interval) replace the defaults, and so does the annotation '
        + `${AuditAnnotations.CONSUMER_CACHE_SECONDS} (seconds) on the workload or its pod template, which declares what the consumers keep. `
        + 'The numbers are the published defaults; your consumers may differ.',
      remediation: 'wait at least the propagation after the take-out, or shorten it on the consumer side (e.g. spring.cloud.loadbalancer.cache.ttl) '
        + 'and say so in this manifest',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (p === undefined || a.registry === undefined || p.opaque !== undefined) continue;
      if (p.waitAfterTakeout === undefined || p.waitAfterTakeout === 0) continue; // no take-out, or takeout-without-wait
      const prop = propagationOf(a.registry, a.c, a.w);
      if (prop === undefined || p.waitAfterTakeout >= prop.seconds) continue;
      const last = p.takeouts[p.takeouts.length - 1];
      if (p.sleeps.some(x => x.at > last.at && !x.certain)) continue; // more waiting we cannot count
      out.push(finding(this, a.w, p.detailPath,
        `${cname(a.c)} registers with ${registryLabel(a.registry.name)} (${a.registry.evidence}); its preStop waits ${fmt(p.waitAfterTakeout)} after the take-out, `
        + `but consumers may keep calling for ${prop.text}: requests sent in the last ${fmt(prop.seconds - p.waitAfterTakeout)} reach a stopping instance`,
        `wait at least ${prop.seconds} s after the take-out and raise terminationGracePeriodSeconds accordingly; if your consumers cache for less, `
        + `declare it (annotation ${AuditAnnotations.CONSUMER_CACHE_SECONDS}, or ${springEnvName(LOADBALANCER_CACHE_TTL)} where it applies)`));
    }
    return out;
  }
}
