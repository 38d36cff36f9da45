import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding, registryLabel } from './model';
import { Rule, RuleContext } from './rule';
import { springEnvName } from '../spring/env';

/**
 * The service takes itself out of its registry, but consumers configured like it do not see the take-out.
 */
export class RegistryConsumersBlindRule extends Rule {
  public constructor() {
    super({
      id: 'registry-consumers-blind',
      severity: FindingSeverity.WARNING,
      title: 'Consumers configured like this service cannot see its take-out',
      description: 'Some take-outs mark the instance instead of removing it: Consul maintenance mode makes it critical, Eureka\'s OUT_OF_SERVICE '
        + 'changes its status. Consumers skip it only with the matching setting (spring.cloud.consul.discovery.query-passing=true, default false; '
        + 'eureka.client.filter-only-up-instances=true, the default), otherwise they keep calling the instance for the whole preStop wait and '
        + 'the wait buys nothing. The settings each registry needs are the "consumers must set" column of docs/registries.md (from the same '
        + 'registry modules the constructs use). Reported when a container whose preStop takes it out of a recognised registry has, in its '
        + 'own Spring settings (which usually stand for its consumers\'), the setting missing with a wrong default or set to the wrong value.',
      remediation: 'set the property on this service and on every consumer of it; when the consumers have it and this service does not '
        + 'consume itself, suppress the finding with the reason',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      const p = a.preStop;
      if (a.registry === undefined || p === undefined || p.takeouts.length === 0) continue;
      for (const s of a.registry.module.consumerSettings ?? []) {
        const shown = a.c.props.get(s.property);
        const value = (shown?.value ?? s.default.value).trim().toLowerCase();
        if (value === s.value.toLowerCase()) continue;
        const state = shown ? `sets ${s.property}=${shown.value} (${shown.where})` : `leaves ${s.property} at its default ${s.default.value} (${s.default.source})`;
        out.push(finding(this, a.w, p.detailPath,
          `${cname(a.c)} registers with ${registryLabel(a.registry.name)} (${a.registry.evidence}) and its preStop takes it out, but it ${state}: `
          + `consumers configured like it keep calling the instance during the whole wait — ${s.why}`,
          `set ${springEnvName(s.property)}=${s.value} on this container and on every consumer of it`));
      }
    }
    return out;
  }
}
