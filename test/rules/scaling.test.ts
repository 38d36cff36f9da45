import { workloadObjects } from '../../bench/audit-workload';
import { audit } from '../../src/rules/engine';
import { comparisons } from '../../src/rules/model';

/*
 * Every rule and the model are linear in the number of objects. The input is the audit benchmark's: each
 * service with its ConfigMap (envFrom), Service, PodDisruptionBudget (most) and HorizontalPodAutoscaler (some),
 * half of them registered with Consul with the same health check (one large collision group), in 12 namespaces.
 */
function run(n: number): { ms: number; comparisons: number; byRule: Map<string, number> } {
  const documents = workloadObjects(n).map((object, index) => ({ object, index, file: 'scale.yaml' }));
  const before = comparisons.count;
  let findings = audit({ documents });
  const counted = comparisons.count - before;
  let ms = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    findings = audit({ documents });
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.id, (byRule.get(f.id) ?? 0) + 1);
  return { ms, comparisons: counted, byRule };
}

describe('the audit is linear in the number of objects', () => {
  const small = run(500);
  const large = run(5000);

  test('the input exercises the cross-object rules', () => {
    for (const id of ['consul-check-collision', 'pdb-missing', 'single-replica']) {
      expect(small.byRule.get(id) ?? 0).toBeGreaterThan(0);
      expect(large.byRule.get(id)).toBeGreaterThan(8 * small.byRule.get(id)!);
    }
  });

  test('10× the objects makes about 10× the cross-object comparisons (a quadratic rule makes 100×)', () => {
    expect(small.comparisons).toBeGreaterThan(100);
    expect(large.comparisons / small.comparisons).toBeLessThan(12);
  });

  test('10× the objects takes less than 20× the time (best of 3 each; generous for a busy machine)', () => {
    expect(large.ms / small.ms).toBeLessThan(20);
  });
});

describe('consul-check-collision groups without comparing every pair', () => {
  // Workloads w0…w(n-1) with one HTTP check on 8080 /actuator/health; service names and Consul hosts chosen
  // so that runs of one service, mixed addresses and the empty address (matches any) all occur.
  const SERVICES = ['a', 'a', 'b', 'c', 'a', 'a', 'a', 'd', 'e', 'b', 'a', 'f'];
  const HOSTS = ['', 'x', 'y', '', 'x', 'x', 'y', 'x', '', 'y', 'x', 'x'];
  const deployment = (i: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `w${i}` },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [{
            name: 'app',
            image: `example/w${i}:1`,
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'SPRING_APPLICATION_NAME', value: SERVICES[i] },
              ...(HOSTS[i] ? [{ name: 'SPRING_CLOUD_CONSUL_HOST', value: HOSTS[i] }] : []),
              { name: 'SPRING_CLOUD_CONSUL_DISCOVERY_ENABLED', value: 'true' },
            ],
          }],
        },
      },
    },
  });

  test('each finding names the same others, in input order, and counts the rest as every pair would', () => {
    const documents = SERVICES.map((_, i) => ({ object: deployment(i), index: i }));
    const findings = audit({ documents }).filter(f => f.id === 'consul-check-collision');
    const expected = new Map<string, string>();
    SERVICES.forEach((s, i) => {
      const others = SERVICES.map((t, j) => ({ t, j })).filter(({ t, j }) => j !== i && t !== s
        && (HOSTS[i] === '' || HOSTS[j] === '' || HOSTS[i] === HOSTS[j]));
      if (others.length === 0) return;
      expected.set(`w${i}`, `the same as ${others.slice(0, 3).map(o => `Deployment w${o.j} (service ${o.t})`).join(', ')}`
        + `${others.length > 3 ? ` and ${others.length - 3} more` : ''}: `);
    });
    expect(findings.length).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(8);
    for (const f of findings) {
      expect(f.message).toContain(expected.get(f.object!.name)!);
    }
  });
});
