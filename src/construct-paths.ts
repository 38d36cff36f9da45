/*
 * Which construct wrote which Kubernetes object, by kind, namespace and name. cdk8s records construct
 * metadata for validation plugins (`construct-metadata.json`, written when the cdk8s CLI sets
 * CDK8S_RECORD_CONSTRUCT_METADATA), but keys it by the object's name alone, so a Deployment, a Service and a
 * PodDisruptionBudget sharing a name all point at the last one written. The graceful constructs record the
 * same information keyed by kind, namespace and name beside it, and the validation plugin reads it back to
 * name the right construct for each finding.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The file beside cdk8s' own `construct-metadata.json` (a `.json`, which the cdk8s CLI does not take for a
 * manifest).
 * @internal
 */
export const CONSTRUCT_PATHS_FILE = 'construct-metadata.graceful.json';

/** Format version of the file. */
const VERSION = '1.0.0';

/**
 * The key of an object: kind, namespace (empty when none) and name.
 * @internal
 */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\0${namespace ?? ''}\0${name}`;
}

/**
 * Whether the app records construct metadata: the App's own setting (cdk8s reads the same environment
 * variable the CLI sets).
 */
function recording(app: App): boolean {
  const own = (app as any).recordConstructMetadata;
  return typeof own === 'boolean' ? own : process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
}

/**
 * Writes every ApiObject of the app (kind, namespace, name → construct path) to
 * {@link CONSTRUCT_PATHS_FILE} in the app's output directory, when the app records construct metadata (a
 * `cdk8s synth` with validation plugins). Does nothing otherwise, and never fails the synth: the file is
 * only a help for the report.
 * @internal
 */
export function recordConstructPaths(scope: IConstruct): void {
  let app: App;
  try {
    app = App.of(scope);
  } catch {
    return;
  }
  if (!recording(app)) return;
  const resources = app.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map(o => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.name, path: o.node.path }));
  try {
    fs.mkdirSync(app.outdir, { recursive: true });
    fs.writeFileSync(path.join(app.outdir, CONSTRUCT_PATHS_FILE), JSON.stringify({ version: VERSION, resources }));
  } catch {
    // an output directory that cannot be written fails the synth anyway, with cdk8s' own message
  }
}

/**
 * Reads the construct paths recorded for these manifests: the file is looked for in the manifests'
 * directories and up to two levels above them (cdk8s writes one-file-per-chart manifests into its output
 * directory and one-file-per-resource manifests into a folder per chart).
 * @returns kind, namespace, name ({@link objectKey}) → construct path; empty when nothing was recorded
 * @internal
 */
export function readConstructPaths(manifests: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const dirs = new Set<string>();
  for (const m of manifests) {
    let d = path.dirname(path.resolve(m));
    for (let i = 0; i < 3; i++) {
      dirs.add(d);
      d = path.dirname(d);
    }
  }
  for (const d of dirs) {
    let parsed: any;
    try {
      parsed = JSON.parse(fs.readFileSync(path.join(d, CONSTRUCT_PATHS_FILE), 'utf-8'));
    } catch {
      continue;
    }
    if (parsed?.version !== VERSION || !Array.isArray(parsed.resources)) continue;
    for (const r of parsed.resources) {
      if (typeof r?.kind === 'string' && typeof r.name === 'string' && typeof r.path === 'string') {
        out.set(objectKey(r.kind, typeof r.namespace === 'string' ? r.namespace : undefined, r.name), r.path);
      }
    }
    break; // the nearest file is the app's
  }
  return out;
}
