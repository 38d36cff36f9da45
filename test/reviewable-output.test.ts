/*
 * Reviewable output: one preStop script ConfigMap per chart and namespace, and an explanation that lives on
 * the Deployment, so that rewording it never changes a pod template (and never rolls a pod).
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GracefulJavaService, Registry, ServiceMesh } from '../src';
import { ExplainLine } from '../src/explain';
import { byKind, synthValid } from './util/k8s';
import * as lines from '../src/plan/lines';

const traffic = { averageLatency: Duration.millis(150), p99Latency: Duration.millis(1200), p95Concurrency: 60, workerThreads: 200 };

/** Nacos, Consul and Eureka services (the script), a Kubernetes-only one (sleep), one autoscaled behind Istio. */
function shop(chart: Construct, namespace?: string): void {
  const services = [
    ['orders', Registry.nacos()],
    ['billing', Registry.consul()],
    ['store', Registry.eureka()],
    ['catalog', undefined],
  ] as const;
  for (const [name, registry] of services) {
    new GracefulJavaService(chart, name, { metadata: { name, namespace }, image: `r/${name}:1`, jar: '/app.jar', traffic, registry });
  }
  new GracefulJavaService(chart, 'search', {
    metadata: { name: 'search', namespace },
    image: 'r/search:1',
    jar: '/app.jar',
    traffic,
    registry: Registry.nacos(),
    mesh: ServiceMesh.istio(),
    autoscaling: { maxReplicas: 6 },
  });
}

describe('one preStop script ConfigMap per chart and namespace', () => {
  test('five services in one namespace: one ConfigMap, before the Deployments, mounted by the four that run the script', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    shop(chart);
    const manifests = synthValid(chart);
    const [cm, ...more] = byKind(manifests, 'ConfigMap');
    expect(more).toEqual([]);
    expect(cm.metadata.name).toMatch(/^graceful-prestop-[0-9a-f]{10}$/);
    expect(cm.metadata.namespace).toBe('shop');
    expect(manifests.indexOf(cm)).toBeLessThan(manifests.findIndex(m => m.kind === 'Deployment'));
    const mounting = byKind(manifests, 'Deployment')
      .filter(d => (d.spec.template.spec.volumes ?? []).some((v: any) => v.configMap?.name === cm.metadata.name))
      .map(d => d.metadata.name);
    expect(mounting).toEqual(['orders', 'billing', 'store', 'search']);
    // Each pod template still carries the script's hash: a new script rolls the pods.
    for (const d of byKind(manifests, 'Deployment').filter(x => mounting.includes(x.metadata.name))) {
      expect(d.spec.template.metadata.annotations['graceful.cdk8s.io/prestop-script-sha256'].slice(0, 10)).toBe(cm.metadata.name.slice(-10));
    }
  });

  test('another namespace in the same chart gets its own; another chart gets its own', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    shop(a);
    shop(new Construct(a, 'canary'), 'shop-canary');
    const b = new Chart(app, 'b', { namespace: 'shop' });
    shop(b);
    const inA = byKind(synthValid(a), 'ConfigMap').map(c => c.metadata.namespace);
    expect(inA.sort()).toEqual(['shop', 'shop-canary']);
    expect(byKind(synthValid(b), 'ConfigMap').map(c => c.metadata.namespace)).toEqual(['shop']);
  });
});

describe('rewording an explanation leaves every pod template byte-identical', () => {
  afterEach(() => jest.restoreAllMocks());

  const synth = () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    shop(chart);
    return synthValid(chart);
  };
  const reword = (ls: ExplainLine[]) => ls.map(l => ({ ...l, text: `(reworded) ${l.text.toUpperCase()}` }));

  test('every explanation term and source reworded: only the Deployments\' explanation annotations change', () => {
    const before = synth();

    // A library release that only changes words: every line of the registry, budget, rollout and replicas
    // explanation and every source, at the point where the plan words them.
    const registryLines = lines.registryLines;
    jest.spyOn(lines, 'registryLines').mockImplementation(i => reword(registryLines(i)));
    const planAnnotations = lines.planAnnotations;
    jest.spyOn(lines, 'planAnnotations').mockImplementation(i => planAnnotations({
      ...i,
      budget: Object.create(i.budget, { _lines: { value: reword(i.budget._lines) } }),
      rollout: { ...i.rollout, lines: reword(i.rollout.lines) } as any,
      scalingLines: reword(i.scalingLines ?? []),
      sources: i.sources.map(s => `(reworded) ${s}`),
    }));
    const after = synth();

    expect(after.length).toBe(before.length);
    let changed = 0;
    for (const [index, b] of before.entries()) {
      const a = after[index];
      if (b.kind === 'Deployment') {
        expect(JSON.stringify(a.spec.template)).toBe(JSON.stringify(b.spec.template));
        expect(JSON.stringify({ ...a.spec, template: undefined })).toBe(JSON.stringify({ ...b.spec, template: undefined }));
        expect(a.metadata.annotations['graceful.cdk8s.io/explanation']).not.toBe(b.metadata.annotations['graceful.cdk8s.io/explanation']);
        expect(a.metadata.annotations['graceful.cdk8s.io/explanation']).toContain('(reworded) ');
        expect(a.metadata.annotations['graceful.cdk8s.io/sources']).toContain('(reworded) ');
        const strip = (m: any) => ({ ...m, annotations: { ...m.annotations, 'graceful.cdk8s.io/explanation': '', 'graceful.cdk8s.io/sources': '' } });
        expect(strip(a.metadata)).toEqual(strip(b.metadata));
        changed++;
      } else {
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }
    }
    expect(changed).toBe(5);
  });

  test('the pod template carries no explanation: only the script hash and the mesh configuration', () => {
    const keys = new Set(byKind(synth(), 'Deployment').flatMap(d => Object.keys(d.spec.template.metadata.annotations ?? {})));
    expect([...keys].sort()).toEqual(['graceful.cdk8s.io/prestop-script-sha256', 'proxy.istio.io/config']);
  });
});
