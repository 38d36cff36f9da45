import { Finding, FindingSeverity } from '../finding';
import { appContainers, cname, finding } from './model';
import { Rule, RuleContext } from './rule';

/**
 * A Java application's image has no pinned tag.
 */
export class ImageTagLatestRule extends Rule {
  public constructor() {
    super({
      id: 'image-tag-latest',
      severity: FindingSeverity.INFO,
      title: 'A Java application runs an image tagged latest or not tagged',
      description: 'With `:latest` (or no tag) a rollout, a restart or a rescheduled pod may run a different build than its siblings, so '
        + 'a replacement pod is not the same application the shutdown budget was worked out for.',
      remediation: 'pin the image to a version tag or a digest',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of appContainers(ctx)) {
      if (a.jvm === undefined || a.c.image.includes('@')) continue;
      const last = a.c.image.split('/').pop() ?? '';
      if (last.includes(':') && !last.endsWith(':latest')) continue;
      out.push(finding(this, a.w, `${a.c.path}.image`, `${cname(a.c)} runs ${a.c.image || 'an image'} without a pinned tag: `
        + 'pods of the same workload may run different builds'));
    }
    return out;
  }
}
