import * as fs from 'fs';
import * as path from 'path';
import { RULES_DOC_URL, severityRank } from '../cli/format';
import { Locator } from '../cli/load';
import { FAIL_ON, FailOn, failThreshold, selectRules } from '../cli/select';
import { ParsedObject, parseYaml } from '../cli/yaml';
import { objectKey, readConstructPaths } from '../construct-paths';
import { Finding } from '../finding';
import { redact } from '../redact';
import { audit, Rule, Rules } from '../rules/engine';

/**
 * Properties of the cdk8s validation plugin, given under `properties:` of its entry in `cdk8s.yaml`.
 */
export interface GracefulValidationProps {
  /**
   * The lowest severity that fails `cdk8s synth`: `error`, `warning`, `info` or `none` (report only).
   * @default 'error'
   */
  readonly failOn?: string;
  /**
   * Run only these rules (ids).
   * @default - every rule
   */
  readonly rules?: string[];
  /**
   * Do not run these rules (ids).
   * @default - none excluded
   */
  readonly exclude?: string[];
}

const KNOWN_PROPS = ['failOn', 'rules', 'exclude'];

/**
 * A cdk8s CLI validation plugin that runs the `cdk8s-graceful` audit on every manifest `cdk8s synth`
 * writes. Each finding becomes a violation in the synth's validation report (rule id and severity, the
 * message with its numbers, the fix, the object and the JSON path with its line); the report fails, and
 * `cdk8s synth` exits non-zero, when a finding reaches `failOn`. Nothing it reports or logs shows a
 * credential (see the Security section of docs/audit.md).
 *
 * In `cdk8s.yaml`, by package name (the cdk8s CLI installs `cdk8s-graceful@<version>` from npm into its
 * plugins directory on the first synth and reuses it afterwards):
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-graceful
 *     class: GracefulValidation
 *     version: 1.2.3   # an exact version (no range): the one in the app's package.json
 *     properties:
 *       failOn: error
 * ```
 *
 * or, to load the copy in the app's `node_modules` without installing anything,
 * `package: ./node_modules/cdk8s-graceful/lib/plugin` (then `version` is only printed).
 * See [docs/audit.md](docs/audit.md).
 */
export class GracefulValidation {
  private readonly failOn: FailOn;
  private readonly rules: Rule[];

  public constructor(props: GracefulValidationProps = {}) {
    const given = props ?? {};
    const unknown = Object.keys(given).filter(k => !KNOWN_PROPS.includes(k));
    if (unknown.length > 0) {
      throw new Error(`GracefulValidation: unknown ${unknown.length > 1 ? 'properties' : 'property'} ${unknown.map(k => `'${k}'`).join(', ')}`
        + ` (known: ${KNOWN_PROPS.join(', ')})`);
    }
    const failOn = given.failOn ?? 'error';
    if (!(FAIL_ON as readonly string[]).includes(failOn)) {
      throw new Error(`GracefulValidation: 'failOn' must be one of ${FAIL_ON.join(', ')}; got '${failOn}'`);
    }
    for (const key of ['rules', 'exclude'] as const) {
      const v = given[key];
      if (v !== undefined && (!Array.isArray(v) || !v.every(x => typeof x === 'string'))) {
        throw new Error(`GracefulValidation: '${key}' must be a list of rule ids; got ${JSON.stringify(v)}`);
      }
    }
    this.failOn = failOn as FailOn;
    try {
      this.rules = selectRules(given.rules, given.exclude);
    } catch (e) {
      throw new Error(`GracefulValidation: ${(e as Error).message}`);
    }
  }

  /**
   * Audits `context.manifests` and reports the findings to `context.report` (the cdk8s CLI's
   * `ValidationContext`; typed loosely so the package needs no dependency on the CLI).
   */
  public async validate(context: any): Promise<void> {
    const manifests: string[] = [...(context.manifests ?? [])];
    const log = (message: string) => (context.logger?.log ? context.logger.log(redact(message)) : undefined);
    const objects: ParsedObject[] = [];
    const manifestPath = new Map<string, string>();
    for (const manifest of manifests) {
      const name = path.relative(process.cwd(), manifest).split(path.sep).join('/') || manifest;
      manifestPath.set(name, manifest);
      let text: string;
      try {
        text = fs.readFileSync(manifest, 'utf-8');
      } catch (e) {
        log(`cdk8s-graceful: ${name}: skipped: cannot be read (${(e as Error).message})`);
        continue;
      }
      const parsed = parseYaml(text, name);
      if ('skipped' in parsed) {
        log(`cdk8s-graceful: ${name}${parsed.skipped.line ? `:${parsed.skipped.line}` : ''}: skipped: ${parsed.skipped.reason}`);
        continue;
      }
      for (const o of parsed.objects) objects.push(o);
    }

    const findings = audit({ documents: objects.map(o => o.document) }, { rules: this.rules });
    const locator = new Locator(objects);
    const constructs = new ConstructNames(objects, manifests, context.report);
    for (const f of findings) {
      const file = locator.fileOf(f);
      const line = locator.lineOf(f);
      const location = [f.path, line !== undefined ? `(line ${line})` : undefined].filter(x => x).join(' ') || '(object)';
      context.report.addViolation({
        ruleName: `${f.id} [${f.severity}]`,
        recommendation: redact(f.message),
        fix: `${sentence(redact(f.remediation))} See ${RULES_DOC_URL}#${Rules.byId(f.id)?.docsAnchor ?? f.id}`,
        violatingResources: [{
          resourceName: redact(constructs.resourceName(f)),
          locations: [redact(location)],
          manifestPath: (file !== undefined ? manifestPath.get(file) : undefined) ?? file ?? '',
        }],
      });
    }
    const threshold = failThreshold(this.failOn);
    const failed = findings.some(f => severityRank(f.severity) >= threshold);
    context.report.submit(failed ? 'failure' : 'success', summary(findings, this.failOn, this.rules.length));
  }
}

/**
 * The name each violation gives its object, so that the cdk8s CLI's report shows the construct that wrote
 * it. The CLI looks the name up in the app's construct metadata, which cdk8s keys by `metadata.name` alone: a
 * Deployment, a Service and a PodDisruptionBudget sharing a name would all show the construct of the last one
 * written. An object whose name is shared is named `Kind/name` instead, and its own construct path — recorded
 * by kind, namespace and name beside cdk8s' metadata (src/construct-paths.ts) — is added to the report's
 * metadata under that name; without a recorded path the report shows none rather than a wrong one.
 */
class ConstructNames {
  private readonly byName = new Map<string, number>();
  private readonly paths: Map<string, string>;

  public constructor(objects: ParsedObject[], manifests: string[], private readonly report: any) {
    for (const o of objects) {
      const name = o.document.object.metadata?.name;
      if (typeof name === 'string') this.byName.set(name, (this.byName.get(name) ?? 0) + 1);
    }
    this.paths = readConstructPaths(manifests);
  }

  public resourceName(f: Finding): string {
    const o = f.object;
    if (o === undefined) return '';
    const shared = (this.byName.get(o.name) ?? 0) > 1;
    const name = shared ? `${o.kind}/${o.name}` : o.name;
    const recorded = this.paths.get(objectKey(o.kind, o.namespace, o.name));
    const metadata = this.report?.metadata;
    if (recorded !== undefined && metadata !== null && typeof metadata === 'object') {
      metadata[name] = { path: recorded };
    }
    return name;
  }
}

function summary(findings: Finding[], failOn: FailOn, rules: number): { [key: string]: string } {
  const count = (s: string) => String(findings.filter(f => f.severity === s).length);
  return {
    'Fail on': failOn,
    'Rules': String(rules),
    'Errors': count('error'),
    'Warnings': count('warning'),
    'Info': count('info'),
  };
}

/** The text ending with a full stop. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
