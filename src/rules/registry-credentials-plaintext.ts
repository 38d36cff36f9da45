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
      examples: {
        fail: `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  template:
    spec:
      containers:
        - name: orders
          image: eclipse-temurin:21-jre
          env:
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_USERNAME, value: nacos }
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD, value: s3cret }
`,
        pass: `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  template:
    spec:
      containers:
        - name: orders
          image: eclipse-temurin:21-jre
          env:
            - { name: SPRING_CLOUD_NACOS_DISCOVERY_USERNAME, value: nacos }
            - name: SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD
              valueFrom: { secretKeyRef: { name: nacos, key: password } }
`,
      },
    });
  }

  public check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const w of model(ctx).workloads) {
      for (const c of [...w.containers, ...w.initContainers]) {
        const seen = new Set<string>();
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
            const where = source.where.split(' ').slice(0, 2).join(' ');
            if (seen.has(`${where}|${source.path}`)) continue;
            seen.add(`${where}|${source.path}`);
            out.push(finding(this, w, source.path,
              `${cname(c)}: ${urlOf ? `the ${urlOf.label} ${urlOf.audit.credentialUrlKeys!.what} in ${where} carries a user and password` : `${where.startsWith('env') ? where : `${where} sets ${key}`} is a literal`} `
              + '(value not shown): anyone who can read this workload can read the registry credential'));
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
