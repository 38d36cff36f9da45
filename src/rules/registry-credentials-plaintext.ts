import { Finding, FindingSeverity } from '../finding';
import { cname, finding, model, preStopOf } from './model';
import { Rule, RuleContext } from './rule';
import { REGISTRY_MODULES } from '../registry/all';
import { RegistryModule } from '../registry/module';

/**
 * Settings (environment form) that hold registry credentials: the registry modules' keys, and the library's own
 * preStop script's login password and token.
 */
const SECRET_KEYS = new Set([...REGISTRY_MODULES.flatMap(m => m.audit.credentialKeys ?? []), 'GRACEFUL_LOGIN_PASSWORD', 'GRACEFUL_TOKEN']);

/** The module whose URL settings (which may carry user:password@) include this key. */
function credentialUrlOf(key: string): RegistryModule | undefined {
  return REGISTRY_MODULES.find(m => m.audit.credentialUrlKeys?.pattern.test(key));
}

/** A value that is a reference resolved at run time, not the secret itself. */
function isPlaceholder(v: string): boolean {
  return /^\$(\{|\(|[A-Za-z_])/.test(v.trim()) || v.trim() === '';
}

/**
 * Registry credentials written into the manifest.
 */
export class RegistryCredentialsPlaintextRule extends Rule {
  public constructor() {
    super({
      id: 'registry-credentials-plaintext',
      severity: FindingSeverity.WARNING,
      title: 'Registry credentials are written into the manifest',
      description: 'Nacos passwords / access tokens / access and secret keys, Consul ACL tokens and Eureka service URLs with user:password@ '
        + 'given as literal env values (or -D/-- arguments, or in a preStop command) can be read by anyone who can read the workload, and end up '
        + 'in Git and in `kubectl describe`. User names alone are not reported; `${…}` placeholders and valueFrom references are fine. The '
        + 'value is never repeated in the finding.',
      remediation: 'move the value into a Secret and reference it with valueFrom.secretKeyRef (or envFrom secretRef)',
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const w of model(ctx).workloads) {
      for (const c of w.initContainers.length === 0 ? w.containers : w.containers.concat(w.initContainers)) {
        let seen: Set<string> | undefined;
        for (const key of c.props.keys()) {
          const secret = SECRET_KEYS.has(key);
          const urlOf = credentialUrlOf(key);
          if (!secret && !urlOf) continue;
          for (const { source } of c.props.withPrefix(key).filter(x => x.key === key)) {
            if (source.fromSecret || source.unresolved || isPlaceholder(source.value)) continue;
            if (urlOf) {
              const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@:]+):([^/@]+)@/i.exec(source.value.trim());
              if (!m || isPlaceholder(m[2])) continue;
            }
            // where it is, never what: `env JAVA_OPTS`, `envFrom ConfigMap app-config`, `args --spring.cloud.nacos.discovery.password`
            // (the `=value` cut off)
            const where = source.where.split(' ').slice(0, source.where.startsWith('envFrom ') ? 3 : 2).join(' ').replace(/=.*$/, '');
            seen ??= new Set<string>();
            if (seen.has(`${where}|${source.path}`)) continue;
            seen.add(`${where}|${source.path}`);
            const what = urlOf
              ? `the ${urlOf.label} ${urlOf.audit.credentialUrlKeys!.what} in ${where} carries a user and password`
              : where === `env ${source.envName ?? ''}` ? `${where} is a literal` : `${where} sets ${key} to a literal`;
            out.push(finding(this, w, source.path,
              `${cname(c)}: ${what} (value not shown): anyone who can read this workload can read the registry credential`));
          }
        }
        const p = preStopOf(c);
        if (p && /(^|[?&\s'"])(password|accessToken|token)=(?!\$)[^&\s'"]+/.test(p.fullText)) {
          out.push(finding(this, w, p.detailPath, `the preStop hook of ${cname(c)} passes a literal password or token in its command (value not shown)`,
            'read it from an env variable that references a Secret (valueFrom.secretKeyRef) and use "$VAR" in the command'));
        }
      }
    }
    return out;
  }
}
