import { Chart, Testing } from 'cdk8s';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Pod, Service, ServiceAccount } from 'kubernetes-models/v1';

/** Kubernetes models by apiVersion/kind: each validates types and required fields against the 1.28+ schema. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'v1/ServiceAccount': ServiceAccount,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/**
 * Validates every manifest against the Kubernetes schema; throws with the object and the schema error.
 * An object of a kind with no model here is an error too, so a new kind cannot slip through unvalidated.
 */
export function validateAll(manifests: any[]): void {
  for (const m of manifests) {
    const key = `${m.apiVersion}/${m.kind}`;
    const Model = MODELS[key];
    if (!Model) {
      throw new Error(`no schema model for ${key}: add it to test/util/k8s.ts`);
    }
    try {
      new Model(m).validate();
    } catch (e) {
      throw new Error(`${key} ${m.metadata?.name} does not match the Kubernetes schema: ${(e as Error).message}`);
    }
  }
}

/** Synthesizes a chart, validates every object and returns them. */
export function synthValid(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  validateAll(manifests);
  return manifests;
}

export function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

export function theDeployment(manifests: any[]): any {
  const ds = byKind(manifests, 'Deployment');
  if (ds.length !== 1) throw new Error(`expected one Deployment, got ${ds.length}`);
  return ds[0];
}

export function appContainer(manifests: any[]): any {
  return theDeployment(manifests).spec.template.spec.containers.find((c: any) => c.name === 'app');
}

export function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));
}

/**
 * The explanation a Deployment carries on its own metadata (not on the pod template): one entry per term
 * (`drain`, `termination-grace-period`, …), plus `sources` (one per line).
 */
export function explanationOf(deployment: any): Record<string, string> {
  const a = deployment?.metadata?.annotations ?? {};
  const out: Record<string, string> = {};
  for (const line of String(a['graceful.cdk8s.io/explanation'] ?? '').split('\n')) {
    const m = /^([a-z0-9-]+): (.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  if (a['graceful.cdk8s.io/sources'] !== undefined) out.sources = a['graceful.cdk8s.io/sources'];
  return out;
}
