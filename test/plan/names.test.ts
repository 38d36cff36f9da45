import { Chart, Duration, Testing } from 'cdk8s';
import { GracefulService, GracefulServiceProps, Registry } from '../../src';
import { GracefulConfigError } from '../../src/errors';
import { checkDerivedNames, checkMetadata } from '../../src/plan/checks';
import { planWorkload } from '../../src/plan/plan';
import { kubeletReferences, kubeletValue } from '../../src/spring/env';
import { synthValid } from '../util/k8s';
import { kubeletExpand } from '../util/kubelet';

const props: GracefulServiceProps = {
  image: 'ghcr.io/example/catalog:2.0.0',
  traffic: { averageLatency: Duration.millis(40), p99Latency: Duration.millis(300), p95Concurrency: 12 },
  health: { readinessPath: '/ready', livenessPath: '/live' },
};
const withScript = { ...props, registry: Registry.consul({ agentMaintenance: { serviceName: 'catalog' } }) };

function refused(metadata: any): string {
  try {
    planWorkload({ ...props, metadata }, 'catalog');
  } catch (e) {
    expect(e).toBeInstanceOf(GracefulConfigError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(metadata)}`);
}

describe('metadata names are checked at their entry (Kubernetes name syntax)', () => {
  test.each([
    ['a.b', 'a dot (a subdomain, but not a Service name)'],
    ['Orders', 'upper case'],
    ['1orders', 'a leading digit (DNS-1035)'],
    ['orders-', 'a trailing "-"'],
    ['-orders', 'a leading "-"'],
    ['orders_api', 'an underscore'],
    ['', 'empty'],
    ['a'.repeat(64), '64 characters'],
    ['a'.repeat(250), '250 characters'],
    ['$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)', 'a kubelet reference'],
    ['orders api', 'a space'],
  ])('metadata.name %j (%s) is refused: the prop, the value, the rule, the fix', (name) => {
    const message = refused({ name });
    expect(message).toContain(`'metadata.name' (${JSON.stringify(name)})`);
    expect(message).toContain('DNS-1035 label: at most 63 lowercase letters');
    expect(message).toMatch(/Fix: give e\.g\. "orders-api", or leave metadata\.name out/);
  });

  test('a name that is not a string is refused', () => {
    expect(refused({ name: 42 })).toContain('\'metadata.name\' (42) is also the Service\'s name');
  });

  test.each([
    ['a', 'one letter'],
    ['orders-v2', 'letters, digits and "-"'],
    ['a'.repeat(63), '63 characters: the Service name limit'],
    [`o${'-1'.repeat(31)}`, '63 characters ending with a digit'],
  ])('metadata.name %j (%s) is accepted and synthesizes valid objects', (name) => {
    const chart = Testing.chart();
    new GracefulService(chart, 'svc', { ...withScript, metadata: { name, namespace: 'shop-prod', labels: { 'app.kubernetes.io/part-of': 'shop', 'team': '' } } });
    const manifests = synthValid(chart);
    const names = Object.fromEntries(manifests.map((m: any) => [m.kind, m.metadata.name]));
    // The preStop script's ConfigMap is shared by the chart's workloads in the namespace: its name is the script's, not the workload's.
    expect(names).toEqual({ Deployment: name, Service: name, PodDisruptionBudget: name, ConfigMap: expect.stringMatching(/^graceful-prestop-[0-9a-f]{10}$/) });
    for (const m of manifests) expect(m.metadata.namespace).toBe('shop-prod');
  });

  test('without metadata.name, cdk8s generates valid names (from the path, at most 63 characters)', () => {
    const chart = new Chart(Testing.app(), 'a'.repeat(80));
    new GracefulService(chart, `${'Svc'.repeat(30)}$(HOME)`, withScript);
    for (const m of synthValid(chart)) {
      expect(m.metadata.name.length).toBeLessThanOrEqual(63);
      expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  test('every derived name stays within its limit: the error names the suffix, the limit and the fix', () => {
    const derived = [{ suffix: '-prestop', what: 'the preStop script\'s ConfigMap (a DNS-1123 subdomain)', limit: 20 }];
    expect(() => checkDerivedNames('a'.repeat(12), derived)).not.toThrow();
    expect(() => checkDerivedNames('a'.repeat(13), derived)).toThrow(
      '\'metadata.name\' ("aaaaaaaaaaaaa") is 13 characters: with the suffix "-prestop" it names the preStop script\'s ConfigMap '
      + '(a DNS-1123 subdomain), which allows at most 20 (21 given). Fix: shorten it to at most 12 characters');
    expect(() => checkMetadata({ name: 'a'.repeat(13) }, derived)).toThrow(/with the suffix "-prestop"/);
    // The real table: no name is derived from metadata.name any more (the script's ConfigMap is shared).
    expect(() => checkDerivedNames('a'.repeat(300))).not.toThrow();
  });

  test.each([
    ['Shop', 'upper case'],
    ['shop.prod', 'a dot'],
    ['-shop', 'a leading "-"'],
    ['a'.repeat(64), '64 characters'],
    ['$(POD_NAMESPACE)', 'a reference'],
  ])('metadata.namespace %j (%s) is refused', (namespace) => {
    expect(refused({ name: 'orders', namespace })).toMatch(
      new RegExp(`^'metadata\\.namespace' \\(${JSON.stringify(namespace).replace(/[$().]/g, '\\$&')}\\) must be a DNS-1123 label: at most 63 .* Fix: give the namespace's name`));
  });

  test('metadata.namespace: 1 and 63 characters are accepted', () => {
    expect(() => checkMetadata({ namespace: 'a' })).not.toThrow();
    expect(() => checkMetadata({ namespace: `${'a'.repeat(61)}-1` })).not.toThrow();
  });

  test.each([
    [{ 'a b': 'x' }, 'metadata.labels.a b', 'is not a label key'],
    [{ 'Example.com/team': 'x' }, 'metadata.labels.Example.com/team', 'is not a label key'],
    [{ '/team': 'x' }, 'metadata.labels./team', 'is not a label key'],
    [{ 'example.com/': 'x' }, 'metadata.labels.example.com/', 'is not a label key'],
    [{ ['k'.repeat(64)]: 'x' }, `metadata.labels.${'k'.repeat(64)}`, 'is not a label key'],
    [{ [`${'p'.repeat(254)}/team`]: 'x' }, `metadata.labels.${'p'.repeat(254)}/team`, 'is not a label key'],
    [{ team: 'a'.repeat(64) }, 'metadata.labels.team', 'is not a label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty) (64 characters)'],
    [{ team: '-shop' }, 'metadata.labels.team', 'is not a label value'],
    [{ team: 'shop team' }, 'metadata.labels.team', 'is not a label value'],
    [{ team: '$(TEAM)' }, 'metadata.labels.team', 'is not a label value'],
    [{ team: 42 }, 'metadata.labels.team', 'is not a label value'],
  ])('metadata.labels %j are refused', (labels, prop, problem) => {
    const message = refused({ name: 'orders', labels });
    expect(message.startsWith(`'${prop}' (`)).toBe(true);
    expect(message).toContain(problem);
    expect(message).toContain('Fix: ');
  });

  test('label edge cases that Kubernetes accepts', () => {
    expect(() => checkMetadata({
      labels: {
        'app.kubernetes.io/name': 'orders',
        [`${'p'.repeat(63)}.example.com/${'n'.repeat(63)}`]: 'v'.repeat(63),
        'team_x.y-z': 'Shop_1.2-A',
        'empty': '',
      },
    })).not.toThrow();
  });
});

describe('values the library writes into env are literal for the kubelet', () => {
  test('kubeletValue doubles every "$" of a literal; a references value keeps only the library\'s own references', () => {
    expect(kubeletValue('$$5')).toBe('$$$$5');
    expect(kubeletValue('$(GRACEFUL_POD_IP)')).toBe('$$(GRACEFUL_POD_IP)');
    expect(kubeletValue('http://h/x?ip=$(GRACEFUL_POD_IP)&n=$(GRACEFUL_POD_NAME)', true)).toBe('http://h/x?ip=$(GRACEFUL_POD_IP)&n=$(GRACEFUL_POD_NAME)');
    expect(kubeletValue('$(GRACEFUL_HOST_IP):8500/$(SECRET)$', true)).toBe('$(GRACEFUL_HOST_IP):8500/$$(SECRET)$$');
  });

  test.each(['$$5', '$(X)', '$', 'a$', '$$$(GRACEFUL_POD_IP)', '$(GRACEFUL_POD_IP', 'plain', ''])('kubeletValue(%j) expands back to itself', (v) => {
    const defined = { GRACEFUL_POD_IP: '10.0.0.1', X: 'x' };
    expect(kubeletExpand(kubeletValue(v), defined)).toBe(v);
  });

  test('kubeletReferences reads like the kubelet', () => {
    expect(kubeletReferences('$(A)-$$(B)-$$$(C)-$(D')).toEqual(['A', 'C']);
    expect(kubeletReferences('$$')).toEqual([]);
  });

  test('the name and the body are written escaped; the URL\'s pod reference stays expandable', () => {
    const plan = planWorkload({ ...props, registry: Registry.consul({ agentMaintenance: { serviceName: 'catalog' } }) }, '$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)');
    const env = Object.fromEntries(plan.env.map(e => [e.name, e.value]));
    expect(env.GRACEFUL_NAME).toBe('$$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)');
    expect(env.GRACEFUL_TAKEOUT_URL).toMatch(/^http:\/\/\$\(GRACEFUL_HOST_IP\):8500\/.*\$\(GRACEFUL_POD_NAME\)/);
    expect(plan.env.filter(e => e.valueFrom?.fieldPath).map(e => e.name)).toEqual(['GRACEFUL_POD_NAME', 'GRACEFUL_HOST_IP']);
  });

  test('a literal that looks like a downward reference defines no downward variable', () => {
    // Consul's take-out refers to the pod name and the host IP only; the name mentions the pod IP.
    const plan = planWorkload(withScript, '$(GRACEFUL_POD_IP)');
    expect(plan.env.find(e => e.name === 'GRACEFUL_NAME')?.value).toBe('$$(GRACEFUL_POD_IP)');
    expect(plan.env.filter(e => e.valueFrom?.fieldPath).map(e => e.name)).toEqual(['GRACEFUL_POD_NAME', 'GRACEFUL_HOST_IP']);
  });

  test('the user\'s envVariables are written as given: their references are the user\'s own', () => {
    const plan = planWorkload({ ...props, envVariables: { GREETING: 'hello $(USER) $$5', OWN_IP: '$(GRACEFUL_POD_IP)' } }, 'catalog');
    const env = Object.fromEntries(plan.env.map(e => [e.name, e.value]));
    expect(env.GREETING).toBe('hello $(USER) $$5');
    expect(env.OWN_IP).toBe('$(GRACEFUL_POD_IP)');
    expect(plan.env[0]).toEqual({ name: 'GRACEFUL_POD_IP', value: '', valueFrom: { fieldPath: 'status.podIP' } });
  });
});
