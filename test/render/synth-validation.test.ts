import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Testing, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { GracefulJavaService, GracefulJavaServiceProps, Registry } from '../../src';
import { renderedAudits } from '../../src/render/audit';

/*
 * Synth-time validation runs the rules once per service per synth, whatever the chart layout: cdk8s asks every
 * construct once for the app and again for every chart, and with one chart per service that used to make synth
 * quadratic. Every error still fails synth with the construct's path.
 */
const traffic = { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 };
const base: GracefulJavaServiceProps = { image: 'registry.example.com/orders:1.0.0', jar: '/app/app.jar', traffic, registry: Registry.nacos() };

/** An app with one chart per service (`svc-0` … `svc-<n-1>`). */
function chartPerService(n: number, outdir: string): { app: App; services: GracefulJavaService[] } {
  const app = new App({ outdir });
  const services: GracefulJavaService[] = [];
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, `c${i}`);
    services.push(new GracefulJavaService(chart, 'svc', { ...base, metadata: { name: `svc-${i}` } }));
  }
  return { app, services };
}

/** Someone shortens the grace period behind the construct's back: prestop-wait-exceeds-grace is an error. */
function breakGrace(svc: GracefulJavaService): void {
  ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/terminationGracePeriodSeconds', 20));
}

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-synth-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the rules run once per service per synth', () => {
  test.each([1, 2, 6])('%i charts, one service each: synthYaml() and synth() audit each service once', n => {
    const { app } = chartPerService(n, outdir);
    let before = { ...renderedAudits };
    app.synthYaml();
    expect(renderedAudits.count - before.count).toBe(n); // without the memo: n × (n + 1)
    expect(renderedAudits.runs - before.runs).toBe(1); // one audit over every service
    before = { ...renderedAudits };
    app.synth();
    expect(renderedAudits.count - before.count).toBe(n);
    expect(renderedAudits.runs - before.runs).toBe(1);
    expect(fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml'))).toHaveLength(n);
  });

  test('one chart with several services: each audited once per synth', () => {
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop');
    for (let i = 0; i < 4; i++) new GracefulJavaService(chart, `svc-${i}`, base);
    const before = { ...renderedAudits };
    app.synthYaml();
    expect(renderedAudits.count - before.count).toBe(4); // without the memo: 4 × 2
    expect(renderedAudits.runs - before.runs).toBe(1);
  });

  test('Testing.synth(chart) outside App.synth() validates each time (nothing memoised)', () => {
    const chart = Testing.chart();
    new GracefulJavaService(chart, 'orders', base);
    const before = renderedAudits.count;
    Testing.synth(chart);
    Testing.synth(chart);
    expect(renderedAudits.count - before).toBe(2);
  });
});

describe('the JSON the validation resolves is the JSON synth writes', () => {
  test('App.synthYaml() writes what each chart resolves on its own, and a change shows in the next synth', () => {
    const { app, services } = chartPerService(3, outdir);
    const yaml = app.synthYaml();
    const fresh = app.charts.flatMap(c => c.toJson()); // outside App.synth(): resolved anew
    expect(yaml).toBe(Yaml.stringify(...fresh));
    ApiObject.of(services[2].deployment).metadata.addAnnotation('example.com/owner', 'team-a');
    expect(app.synthYaml()).toContain('example.com/owner: team-a');
    expect(Testing.synth(Chart.of(services[2])).find((o: any) => o.kind === 'Deployment').metadata.annotations['example.com/owner']).toBe('team-a');
  });

  test('within one App.synth() each object is resolved once, by the validation (cdk8s resolved it twice, and once more per chart)', () => {
    const { app, services } = chartPerService(4, outdir);
    // a lazy annotation counts the resolutions of one Deployment
    let resolutions = 0;
    ApiObject.of(services[1].deployment).metadata.addAnnotation('example.com/resolved', Lazy.any({ produce: () => String(++resolutions) }) as any);
    app.synthYaml();
    expect(resolutions).toBe(1);
    resolutions = 0;
    const yaml = app.synthYaml();
    expect(resolutions).toBe(1);
    expect(yaml).toContain('example.com/resolved: "1"');
  });
});

describe('every error still fails synth with the construct path', () => {
  test('one chart', () => {
    const { app, services } = chartPerService(1, outdir);
    breakGrace(services[0]);
    expect(() => app.synthYaml()).toThrow(/Validation failed with the following errors:\n\s+\[c0\/svc\] prestop-wait-exceeds-grace: .*Fix: /);
    expect(() => app.synth()).toThrow(/\[c0\/svc\] prestop-wait-exceeds-grace: /);
  });

  test('many charts: the broken service of chart 3 of 5 is named, the others are not', () => {
    const { app, services } = chartPerService(5, outdir);
    breakGrace(services[3]);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[c3\/svc\] prestop-wait-exceeds-grace: /);
    expect(message.match(/prestop-wait-exceeds-grace/g)).toHaveLength(1);
    expect(message).not.toMatch(/\[c[0124]\/svc\]/);
  });

  test('a change between two synths is judged by the second (no result carried across synths)', () => {
    const { app, services } = chartPerService(3, outdir);
    expect(() => app.synthYaml()).not.toThrow();
    breakGrace(services[1]);
    expect(() => app.synthYaml()).toThrow(/\[c1\/svc\] prestop-wait-exceeds-grace: /);
  });

  test('a chart synthesized on its own (chart.toJson()) is validated too', () => {
    const { services } = chartPerService(2, outdir);
    breakGrace(services[0]);
    expect(() => Testing.synth(Chart.of(services[1]))).toThrow(/\[c0\/svc\] prestop-wait-exceeds-grace: /);
  });
});

describe('within a synth the services are audited together', () => {
  test('a PodDisruptionBudget changed to select another service\'s pods is judged against that service', () => {
    const app = new App({ outdir });
    app.node.setContext('cdk8s-graceful:warnings', 'fail');
    const chart = new Chart(app, 'shop');
    const a = new GracefulJavaService(chart, 'a', base);
    const b = new GracefulJavaService(chart, 'b', base);
    expect(() => app.synthYaml()).not.toThrow();
    // b's budget now selects a's pods and keeps both of them: alone, b's objects show nothing wrong with it
    const pdb = ApiObject.of(b.podDisruptionBudget);
    pdb.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', a.deployment.matchLabels));
    // (the patched JSON still goes through the generated IntOrString conversion, hence an IntOrString)
    pdb.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', k8s.IntOrString.fromNumber(0)));
    expect(b.findings.map(f => f.id)).not.toContain('pdb-blocks-disruption');
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`\\[shop/b\\] warning pdb-blocks-disruption: PodDisruptionBudget ${pdb.name} \\(maxUnavailable 0\\) selects Deployment ${ApiObject.of(a.deployment).name} with 2 replicas`));
    expect(message).not.toMatch(/\[shop\/a\] warning pdb-blocks-disruption/);
  });
});
