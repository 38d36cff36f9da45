import * as YAML from 'yaml';
import { audit, AuditInput, Finding, Rules } from '../../src/rules';

/** One fixture: manifests (objects or YAML) and/or a Dockerfile with its scripts. */
export interface Fixture {
  readonly name: string;
  readonly objects?: any[];
  readonly yaml?: string;
  readonly dockerfile?: string;
  readonly scripts?: { [pathInImage: string]: string };
  /** Fail fixtures: each must appear in some finding of the rule (message, path or remediation). */
  readonly expect?: (string | RegExp)[];
  /** Fail fixtures: the path of the first finding. */
  readonly path?: string;
  /** Fail fixtures: how many findings of the rule (default: at least one). */
  readonly count?: number;
}

/** Pass and fail fixtures of one rule. */
export interface RuleCases {
  readonly pass: Fixture[];
  readonly fail: Fixture[];
}

export function input(f: Fixture): AuditInput {
  const documents = [
    ...(f.objects ?? []).map((object, index) => ({ object, file: `${f.name}.yaml`, index })),
    ...(f.yaml ? YAML.parseAllDocuments(f.yaml).map((d, index) => ({ object: d.toJS(), file: `${f.name}.yaml`, index })).filter(d => d.object) : []),
  ];
  return { documents, dockerfiles: f.dockerfile !== undefined ? [{ file: `${f.name}.Dockerfile`, content: f.dockerfile, scripts: f.scripts }] : [] };
}

/** The findings of one rule over a fixture (suppressions applied). */
export function findingsOf(ruleId: string, f: Fixture): Finding[] {
  const rule = Rules.byId(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return audit(input(f), { rules: [rule] });
}

interface ContainerOptions {
  readonly name?: string;
  readonly image?: string;
  readonly [key: string]: any;
}

/** A Java container: eclipse-temurin image, port 8080, plus the given fields. */
export function javaContainer(extra: ContainerOptions = {}): any {
  return { name: 'app', image: 'eclipse-temurin:21-jre', ports: [{ containerPort: 8080 }], ...extra };
}

/** A Deployment `name` with the given containers, pod spec fields, template metadata and spec fields. */
export function deployment(name: string, containers: any[], opts: { pod?: any; template?: any; spec?: any; metadata?: any } = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(opts.metadata ?? {}) },
    spec: {
      selector: { matchLabels: { app: name } },
      ...(opts.spec ?? {}),
      template: {
        metadata: { labels: { app: name }, ...(opts.template ?? {}) },
        spec: { containers, ...(opts.pod ?? {}) },
      },
    },
  };
}

/** exec preStop with this argv. */
export function preStop(...command: string[]): any {
  return { preStop: { exec: { command } } };
}

/** env list from a map. */
export function env(vars: { [k: string]: string }): any[] {
  return Object.entries(vars).map(([name, value]) => ({ name, value }));
}
