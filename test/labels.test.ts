import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GracefulService, GracefulServiceProps, ServiceMesh } from '../src';
import { byKind, synthValid, theDeployment } from './util/k8s';

const base: GracefulServiceProps = {
  image: 'ghcr.io/example/catalog:2.0.0',
  traffic: { averageLatency: Duration.millis(40), p99Latency: Duration.millis(300), p95Concurrency: 12, workerThreads: 4 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};

/** The three selectors a workload's objects use: the Deployment's, the Service's and the PDB's. */
function selectors(manifests: any[]) {
  return {
    deployment: theDeployment(manifests).spec.selector.matchLabels,
    service: byKind(manifests, 'Service')[0].spec.selector,
    pdb: byKind(manifests, 'PodDisruptionBudget')[0].spec.selector.matchLabels,
  };
}

/** Synthesizes the service directly under the chart, or under an extra parent construct (a refactor). */
function synth(props: Partial<GracefulServiceProps>, opts: { parent?: string; chart?: string } = {}) {
  const chart = new Chart(Testing.app(), opts.chart ?? 'shop');
  const scope = opts.parent ? new Construct(chart, opts.parent) : chart;
  new GracefulService(scope, 'catalog', { ...base, ...props });
  return synthValid(chart);
}

describe('selectors across refactors of the construct tree (measured)', () => {
  test('the default (cdk8s.io/metadata.addr) follows the construct path: a new parent or chart id changes it', () => {
    const here = selectors(synth({}));
    const moved = selectors(synth({}, { parent: 'backend' }));
    const renamed = selectors(synth({}, { chart: 'store' }));
    expect(Object.keys(here.deployment)).toEqual(['cdk8s.io/metadata.addr']);
    expect(moved.deployment).not.toEqual(here.deployment);
    expect(renamed.deployment).not.toEqual(here.deployment);
    // The three objects agree with each other in every case.
    for (const s of [here, moved, renamed]) {
      expect(s.service).toEqual(s.deployment);
      expect(s.pdb).toEqual(s.deployment);
    }
  });

  // The examples' golden YAML (test/golden/) shows the same: their selectors did not change with these options.
  test('the default is unchanged for existing users (the same value as before this option existed)', () => {
    expect(selectors(synth({})).deployment).toEqual({ 'cdk8s.io/metadata.addr': 'shop-catalog-Deployment-c84decc1' });
  });

  test.each([
    ['stableSelector', { stableSelector: true, metadata: { name: 'catalog' } }, { 'graceful.cdk8s.io/workload': 'catalog' }],
    ['stableSelector without metadata.name (the construct id)', { stableSelector: true }, { 'graceful.cdk8s.io/workload': 'catalog' }],
    ['selectorLabels', { selectorLabels: { app: 'catalog' } }, { app: 'catalog' }],
  ])('%s survives a new parent and a new chart id, in the Deployment, the Service and the PDB', (_name, props, expected) => {
    for (const opts of [{}, { parent: 'backend' }, { chart: 'store' }]) {
      const s = selectors(synth(props as Partial<GracefulServiceProps>, opts));
      expect(s).toEqual({ deployment: expected, service: expected, pdb: expected });
    }
  });

  test('adopting an existing Deployment: its selector exactly, and the pods carry it', () => {
    const manifests = synth({ metadata: { name: 'catalog' }, selectorLabels: { app: 'catalog', tier: 'web' } });
    const d = theDeployment(manifests);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'catalog', tier: 'web' } });
    expect(d.spec.template.metadata.labels).toMatchObject({ app: 'catalog', tier: 'web' });
  });

  test('pinning today\'s value lets the construct move without a selector change', () => {
    const today = selectors(synth({})).deployment;
    const moved = selectors(synth({ selectorLabels: today }, { parent: 'backend' }));
    expect(moved.deployment).toEqual(today);
    expect(moved.service).toEqual(today);
  });
});

describe('the pods get the user\'s labels and annotations', () => {
  test('metadata.labels and podMetadata reach the pod template; the explanation does not', () => {
    const d = theDeployment(synth({
      metadata: { name: 'catalog', labels: { 'app.kubernetes.io/name': 'catalog', 'team': 'web' } },
      podMetadata: { labels: { version: 'v2', team: 'web-core' }, annotations: { 'prometheus.io/scrape': 'true' } },
    }));
    expect(d.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'catalog',
      'team': 'web-core',
      'version': 'v2',
      'cdk8s.io/metadata.addr': expect.any(String),
    });
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    // The Deployment's own labels are metadata.labels only.
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'catalog', 'team': 'web' });
  });
});

describe('bad labels and selectors are refused with the prop, the value and the fix', () => {
  const refused = (props: Partial<GracefulServiceProps>) => {
    try {
      synth(props);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  test.each([
    ['a pod label with a bad value', { podMetadata: { labels: { team: 'a b' } } }, /'podMetadata\.labels\.team' \("a b"\) is not a label value.*Fix:/],
    ['a pod name', { podMetadata: { name: 'x' } }, /'podMetadata\.name' \("x"\) is not a pod template field.*Fix: remove it \(metadata\.name names the Deployment\)/],
    ['a library key on the pods', { podMetadata: { annotations: { 'graceful.cdk8s.io/drain': 'x' } } }, /'podMetadata\.annotations\.graceful\.cdk8s\.io\/drain' .*prefix graceful\.cdk8s\.io\/.*Fix: use another key/],
    ['an empty selector', { selectorLabels: {} }, /'selectorLabels' \(\{\}\) must be a non-empty map of labels\. Fix: give the existing Deployment's spec\.selector\.matchLabels/],
    ['a bad selector label', { selectorLabels: { app: 'x'.repeat(64) } }, /'selectorLabels\.app' .* \(64 characters\)/],
    ['both selector options', { selectorLabels: { app: 'a' }, stableSelector: true }, /'stableSelector' \(true\) cannot be combined with selectorLabels/],
    ['a pod label against the selector', { selectorLabels: { app: 'a' }, podMetadata: { labels: { app: 'b' } } },
      /'podMetadata\.labels\.app' \("b"\) conflicts with the selector label app: "a".*Fix: remove the label, or give the same value/],
  ])('%s', (_name, props, message) => {
    expect(refused(props as Partial<GracefulServiceProps>)).toMatch(message);
  });

  test('stableSelector with an id that is no label value asks for metadata.name', () => {
    const chart = new Chart(Testing.app(), 'shop');
    expect(() => new GracefulService(chart, 'the catalog', { ...base, stableSelector: true })).toThrow(
      /\[shop\/the catalog\] 'stableSelector' \(true\) labels the pods graceful\.cdk8s\.io\/workload.*"the catalog" is not a label value\. Fix: give metadata\.name/);
  });

  test('two workloads with one selector in one namespace fail synth, naming both', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new GracefulService(chart, 'a', { ...base, metadata: { name: 'a' }, selectorLabels: { app: 'x' } });
    new GracefulService(chart, 'b', { ...base, metadata: { name: 'b' }, selectorLabels: { app: 'x' } });
    expect(() => Testing.synth(chart)).toThrow(/\[shop\/a\] 'selectorLabels' \(\{"app":"x"\}\) is also the selector of shop\/b in namespace shop/);
  });

  test('the same selector in two namespaces is fine', () => {
    const chart = new Chart(Testing.app(), 'shop');
    new GracefulService(chart, 'a', { ...base, metadata: { name: 'a', namespace: 'one' }, selectorLabels: { app: 'x' } });
    new GracefulService(chart, 'b', { ...base, metadata: { name: 'b', namespace: 'two' }, selectorLabels: { app: 'x' } });
    expect(() => synthValid(chart)).not.toThrow();
  });
});

test('a pod annotation the mesh sets is refused, not silently replaced', () => {
  const chart = new Chart(Testing.app(), 'shop');
  expect(() => new GracefulService(chart, 'catalog', {
    ...base, mesh: ServiceMesh.istio(), podMetadata: { annotations: { 'proxy.istio.io/config': '{}' } },
  })).toThrow(/'podMetadata\.annotations\.proxy\.istio\.io\/config' \("\{\}"\) is set by the library from mesh \(.*terminationDrainDuration.*\)\. Fix: remove it from podMetadata/);
});
