import * as YAML from 'yaml';
import { Rules } from './engine';
import { FindingSeverity } from '../finding';
import { AuditInput, Rule } from './rule';
import { Suppression } from './suppression';

/** The command that regenerates docs/rules.md. @internal */
export const CATALOGUE_COMMAND = 'npx ts-node --transpile-only scripts/gen-rules-doc.ts';

const SEVERITY_TEXT: { [k in FindingSeverity]: string } = {
  [FindingSeverity.ERROR]: 'error: loses requests or breaks termination',
  [FindingSeverity.WARNING]: 'warning: probably wrong',
  [FindingSeverity.INFO]: 'info: worth a look',
};

/** Whether an example is a Dockerfile (else a YAML manifest). @internal */
export function isDockerfileExample(text: string): boolean {
  return /^FROM\s/m.test(text) && !/^apiVersion:/m.test(text);
}

/**
 * The audit input of a catalogue example: a Dockerfile, or the YAML documents of a manifest.
 * @internal
 */
export function exampleInput(text: string, name = 'example'): AuditInput {
  if (isDockerfileExample(text)) return { documents: [], dockerfiles: [{ file: `${name}.Dockerfile`, content: text }] };
  return {
    documents: YAML.parseAllDocuments(text).map((d, index) => ({ object: d.toJS(), file: `${name}.yaml`, index })).filter(d => d.object),
  };
}

/**
 * The rule catalogue (docs/rules.md) as Markdown, generated from `Rules.all()`.
 */
export function renderCatalogue(rules: Rule[] = Rules.all()): string {
  const lines: string[] = [
    '# Audit rules',
    '',
    `<!-- Generated from Rules.all() by src/rules/catalogue.ts. Do not edit: run \`${CATALOGUE_COMMAND}\`. -->`,
    '',
    'One rule set serves the constructs (synth-time validation), the CLI (`cdk8s-graceful audit`) and the cdk8s',
    'validation plugin. Every finding names the object, the JSON path inside it (for Dockerfiles: the line), a',
    'message with the numbers, and a remediation.',
    '',
    '**Severities.** error: requests are lost or termination breaks for sure; warning: probably wrong;',
    'info: worth a look.',
    '',
    '**Suppressing a rule for one object.** Annotate the object, or its pod template, with',
    `\`${Suppression.ANNOTATION_PREFIX}<rule-id>: "<reason>"\`. The reason is required: an empty one does not`,
    'suppress and is reported (`suppression-invalid`). In a Dockerfile, a comment line',
    `\`# ${Suppression.ANNOTATION_PREFIX}<rule-id>: <reason>\` does the same.`,
    '',
    '**What counts as Java and as registry-backed.** Rules about Java or registry-backed services judge a',
    'container only when its image, command (java, -jar, *.jar), environment (JAVA_*, JVM_*, SPRING_*,',
    'MANAGEMENT_*, a registry client\'s settings) or actuator probes show a JVM / Spring application, or when it',
    'registers with a registry: its discovery settings in env, `SPRING_APPLICATION_JSON` or `-D`/`--` arguments',
    '(config-only settings do not count), a registry API called by its preStop hook, or an agent annotation, as',
    'the table [What the library knows about each registry](registries.md#what-the-library-knows-about-each-registry)',
    'lists them. Databases, caches, proxies and the registries\' own servers are never judged as applications.',
    '',
    '**What the audit cannot see.** Script files a preStop hook or an entrypoint runs (give Dockerfile scripts',
    'to have entrypoints checked), Spring settings that live only in application.yml inside the image or in a',
    'mounted ConfigMap, the consumers\' own settings (declare them with `graceful.cdk8s.io/consumer-cache-seconds`),',
    'and unrendered templates. Where a number depends on what it cannot see, a rule stays silent rather than guess.',
    '',
    '| rule | severity | what |',
    '|---|---|---|',
    ...rules.map(r => `| [\`${r.id}\`](#${r.docsAnchor}) | ${r.severity} | ${escapeCell(r.title)} |`),
    '',
  ];
  for (const r of rules) {
    const lang = (t: string) => (isDockerfileExample(t) ? 'dockerfile' : 'yaml');
    lines.push(
      `<a id="${r.docsAnchor}"></a>`,
      `## \`${r.id}\``,
      '',
      `**${r.title}.** Severity ${SEVERITY_TEXT[r.severity]}.`,
      '',
      `**Why.** ${r.description}`,
      '',
      `**Fix.** ${sentence(r.remediation)}`,
      '',
      'Reported:',
      '',
      '```' + lang(r.examples.fail),
      r.examples.fail.trimEnd(),
      '```',
      '',
      'Not reported:',
      '',
      '```' + lang(r.examples.pass),
      r.examples.pass.trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

function sentence(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?)]$/.test(t) ? t : `${t}.`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}
