import { isAlias, parseAllDocuments, visit } from 'yaml';
import { workloadObjects, workloadYaml } from '../bench/audit-workload';
import { synth } from '../bench/workloads';

// The benchmark compares the library with hand-written cdk8s-plus code that must emit the same YAML;
// if the library's output changes, the hand-written side must change with it or the ratio means nothing.
test('the benchmark\'s hand-written workload emits exactly what GracefulJavaService emits', () => {
  const library = synth('library', 3, 'svc');
  expect(library.length).toBeGreaterThan(5000);
  expect(synth('hand', 3, 'svc')).toBe(library);
});

describe('the audit benchmark\'s input', () => {
  test('N objects: services with their ConfigMap, Service, PodDisruptionBudget and HPA, half of them on Consul', () => {
    const objects = workloadObjects(700);
    expect(objects).toHaveLength(700);
    const kinds = new Map<string, number>();
    for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
    for (const k of ['ConfigMap', 'Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']) expect(kinds.get(k)).toBeGreaterThan(10);
    const deployments = objects.filter(o => o.kind === 'Deployment');
    const consul = deployments.filter(d => d.spec.template.spec.containers[0].env.some((e: any) => e.name === 'SPRING_CLOUD_CONSUL_HOST'));
    expect(consul.length / deployments.length).toBeCloseTo(0.5, 1);
    const configMaps = new Set(objects.filter(o => o.kind === 'ConfigMap').map(o => `${o.metadata.namespace}/${o.metadata.name}`));
    for (const d of deployments.slice(0, -1)) {
      expect(configMaps.has(`${d.metadata.namespace}/${d.spec.template.spec.containers[0].envFrom[0].configMapRef.name}`)).toBe(true);
    }
  });

  test('the YAML has no anchors or aliases', () => {
    let aliases = 0;
    for (const doc of parseAllDocuments(workloadYaml(300))) {
      visit(doc, {
        Node: (_k, n) => {
          if (isAlias(n) || (n as any).anchor) aliases++;
        },
      });
    }
    expect(aliases).toBe(0);
  });
});
