import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConsulAgent, ConsulHealthCheck, ConsumerCache, GracefulJavaService, GracefulJavaServiceProps, GracefulService, NacosAuth, NacosVersion,
  PreStopHook, Registry, ServiceMesh, SpringCloudAlibabaDown, TakeOut,
} from '../../src';
import { appContainer, byKind, synthValid, theDeployment } from '../util/k8s';

const traffic = { averageLatency: Duration.millis(80), p99Latency: Duration.millis(900), p95Concurrency: 40, workerThreads: 20 };
const base: GracefulJavaServiceProps = { image: 'registry.example.com/orders:1.0.0', jar: '/app/app.jar', traffic, metadata: { name: 'orders' } };

function make(props: Partial<GracefulJavaServiceProps> = {}, chart: Chart = Testing.chart()) {
  const svc = new GracefulJavaService(chart, 'orders', { ...base, ...props });
  const manifests = synthValid(chart);
  return { svc, manifests, container: appContainer(manifests), deployment: theDeployment(manifests) };
}

function env(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

function grace(d: any): number {
  return d.spec.template.spec.terminationGracePeriodSeconds;
}

describe('the propagation wait and the grace period follow the registry', () => {
  // drain 30 s (Spring Boot's default longest request; the queue drain is 1 s), JVM allowance 5 s, buffer 10 s;
  // one in-process take-out call of 3 s where there is one.
  test.each([
    ['Kubernetes Service only', Registry.kubernetesService(), 10, 0, 'kubernetes-endpoints'],
    ['Nacos 2.x (push ≤ 6.5 s + Spring Cloud LoadBalancer 35 s = 41.5, rounded up)', Registry.nacos(), 42, 3, 'nacos-consumers'],
    ['Nacos 2.x, Spring Cloud Alibaba\'s Nacos load balancer (no cache: endpoints are slower)', Registry.nacos({ consumerCache: ConsumerCache.nacosLoadBalancer() }), 10, 3, 'kubernetes-endpoints'],
    ['Nacos 1.x (poll 10 s + 35 s)', Registry.nacos({ version: NacosVersion.V1 }), 45, 3, 'nacos-consumers'],
    ['Nacos 2.x, consumers without a cache (push only: endpoints are slower)', Registry.nacos({ consumerCache: ConsumerCache.none() }), 10, 3, 'kubernetes-endpoints'],
    ['Consul (agent sync 3 s + 35 s)', Registry.consul(), 38, 3, 'consul-consumers'],
    ['Eureka (server cache 30 s + client fetch 30 s + 35 s)', Registry.eureka(), 95, 3, 'eureka-consumers'],
    ['Eureka with Ribbon consumers (30 + 30 + 30 s)', Registry.eureka({ consumerCache: ConsumerCache.ribbon() }), 90, 3, 'eureka-consumers'],
  ])('%s', (_name, registry, wait, dereg, slowest) => {
    const { svc, deployment } = make({ registry });
    expect(svc.budget.propagationSeconds).toBe(wait);
    expect(svc.budget.deregistrationSeconds).toBe(dereg);
    expect(svc.budget.slowestPath).toBe(slowest);
    const preStop = wait + dereg;
    expect(svc.budget.preStopSeconds).toBe(preStop);
    expect(svc.budget.drainSeconds).toBe(30);
    expect(grace(deployment)).toBe(Math.max(preStop + 30 + 5 + 10, Math.ceil(preStop * 5 / 4)));
    expect(svc.explain()).toContain(`preStop                                     = deregistration ${dereg}s + propagation ${wait}s = ${preStop}s`);
  });

  test('a declared consumer cache and Eureka intervals replace the defaults and say so', () => {
    const { svc } = make({
      registry: Registry.eureka({
        consumerCache: ConsumerCache.springCloudLoadBalancer(Duration.seconds(5)),
        serverResponseCacheUpdateInterval: Duration.seconds(5),
        clientRegistryFetchInterval: Duration.seconds(10),
      }),
    });
    expect(svc.budget.propagationSeconds).toBe(20);
    expect(svc.sources.join('\n')).toContain('eureka server cache + client fetch 15s (5s declared + 10s declared) + consumer cache spring-cloud-loadbalancer 5s (declared by the user)');
  });

  test('every default number names its source in the YAML', () => {
    const { deployment } = make({ registry: Registry.consul() });
    const sources = deployment.metadata.annotations['graceful.cdk8s.io/sources'];
    expect(sources).toContain('consul agent sync, read live by ConsulDiscoveryClient 3s (anti-entropy sync triggered on change, allowance)');
    expect(sources).toContain('spring.cloud.loadbalancer.cache.ttl default');
  });
});

describe('in-process take-out (Spring Cloud serviceregistry actuator)', () => {
  test.each([
    ['nacos', Registry.nacos(), 'DOWN'],
    ['consul', Registry.consul(), 'OUT_OF_SERVICE'],
    ['eureka', Registry.eureka(), 'OUT_OF_SERVICE'],
    ['spring cloud', Registry.springCloud({ name: 'zookeeper', registryPropagation: Duration.seconds(2), registryPropagationSource: 'measured' }), 'OUT_OF_SERVICE'],
  ])('%s: the script POSTs the status to the management port and waits', (_n, registry, status) => {
    const { container, manifests } = make({ registry });
    const e = env(container);
    expect(e.GRACEFUL_TAKEOUT_URL).toBe('http://127.0.0.1:8081/actuator/serviceregistry');
    expect(e.GRACEFUL_TAKEOUT_METHOD).toBe('POST');
    expect(JSON.parse(e.GRACEFUL_TAKEOUT_BODY)).toEqual({ status });
    expect(e.MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,serviceregistry');
    expect(container.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '/etc/graceful/prestop.sh']);
    // The script comes from a ConfigMap mounted read-only; its hash rolls the pods when it changes.
    const cm = byKind(manifests, 'ConfigMap')[0];
    // Shared by the chart's workloads in the namespace: named after the script's hash.
    expect(cm.metadata.name).toMatch(/^graceful-prestop-[0-9a-f]{10}$/);
    expect(cm.data['prestop.sh']).toMatch(/^#!\/bin\/sh/);
    expect(container.volumeMounts).toContainEqual({ mountPath: '/etc/graceful', name: 'graceful-prestop', readOnly: true });
    const sha = theDeployment(manifests).spec.template.metadata.annotations['graceful.cdk8s.io/prestop-script-sha256'];
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(cm.metadata.name).toBe(`graceful-prestop-${sha.slice(0, 10)}`);
  });

  test('a user exposure list keeps its entries and gets what the probes and the hook call added', () => {
    const merged = make({ registry: Registry.nacos(), envVariables: { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,prometheus' } });
    expect(env(merged.container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,prometheus,serviceregistry');
    const { container } = make({ registry: Registry.nacos(), envVariables: { MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,serviceregistry,prometheus' } });
    expect(env(container).MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,serviceregistry,prometheus');
  });

  test('a service without an actuator cannot take itself out in-process', () => {
    const chart = Testing.chart();
    expect(() => new GracefulService(chart, 'go', {
      image: 'example/go:1', traffic, health: { readinessPath: '/ready', livenessPath: '/live' }, registry: Registry.consul(),
    })).toThrow(/\[test\/go\] 'registry' \(actuator take-out\) needs a Spring Boot actuator .* Fix: use GracefulJavaService/);
  });
});

describe('Nacos open API', () => {
  const secret = (chart: Chart) => kplus.Secret.fromSecretName(chart, 'Auth', 'nacos-auth');

  test('PUT enabled=false for the pod IP, login from a Secret, never a DELETE, never a plaintext credential', () => {
    const chart = Testing.chart();
    const s = secret(chart);
    const { container, svc, manifests } = make({
      registry: Registry.nacos({
        openApi: { serverAddr: 'nacos.infra:8848', serviceName: 'orders', namespace: 'prod', group: 'PAY', auth: NacosAuth.login({ secret: s, key: 'user' }, { secret: s, key: 'pass' }) },
      }),
    }, chart);
    const e = env(container);
    expect(e.GRACEFUL_TAKEOUT_METHOD).toBe('PUT');
    expect(e.GRACEFUL_TAKEOUT_URL).toBe('http://nacos.infra:8848/nacos/v2/ns/instance?serviceName=orders&groupName=PAY&namespaceId=prod'
      + '&clusterName=DEFAULT&ip=$(GRACEFUL_POD_IP)&port=8080&ephemeral=true&enabled=false');
    expect(e.GRACEFUL_LOGIN_URL).toBe('http://nacos.infra:8848/nacos/v1/auth/login');
    expect(e.GRACEFUL_LOGIN_PASSWORD).toEqual({ secretKeyRef: { key: 'pass', name: 'nacos-auth' } });
    expect(e.SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD).toEqual({ secretKeyRef: { key: 'pass', name: 'nacos-auth' } });
    // The pod IP comes from the downward API, defined before anything refers to it.
    expect(container.env[0]).toEqual({ name: 'GRACEFUL_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    expect(e.SPRING_CLOUD_NACOS_DISCOVERY_IP).toBe('$(GRACEFUL_POD_IP)');
    expect(e.SPRING_CLOUD_NACOS_DISCOVERY_GROUP).toBe('PAY');
    // Two bounded calls (login, take-out) count in the budget.
    expect(svc.budget.deregistrationSeconds).toBe(6);
    expect(JSON.stringify(container.env)).not.toMatch(/DELETE/);
    expect(JSON.stringify(manifests)).not.toMatch(/"value":"[^"]*(pass|secret)/i);
  });

  test('v1 uses the v1 path; an accessToken from a Secret goes in the query', () => {
    const chart = Testing.chart();
    const { container } = make({
      registry: Registry.nacos({
        version: NacosVersion.V1,
        openApi: { serverAddr: '10.0.0.5:8848', serviceName: 'orders', auth: NacosAuth.accessToken({ secret: secret(chart), key: 'token' }) },
      }),
    }, chart);
    const e = env(container);
    expect(e.GRACEFUL_TAKEOUT_URL).toMatch(/^http:\/\/10\.0\.0\.5:8848\/nacos\/v1\/ns\/instance\?/);
    expect(e.GRACEFUL_TOKEN).toEqual({ secretKeyRef: { key: 'token', name: 'nacos-auth' } });
    expect(e.GRACEFUL_TOKEN_QUERY).toBe('accessToken');
  });

  test('persistent instances are allowed with a warning', () => {
    const { svc, container } = make({ registry: Registry.nacos({ ephemeral: false }) });
    expect(env(container).SPRING_CLOUD_NACOS_DISCOVERY_EPHEMERAL).toBe('false');
    expect(svc.findings.map(f => f.id)).toContain('nacos-persistent-instance');
  });

  test.each([
    ['serverAddr', { serverAddr: 'http://nacos:8848', serviceName: 'orders' }, /'registry.openApi.serverAddr' \("http:\/\/nacos:8848"\) must be host:port/],
    ['serviceName', { serverAddr: 'nacos:8848', serviceName: 'orders;rm -rf /' }, /'registry.openApi.serviceName' \("orders;rm -rf \/"\) must be 1–253/],
    ['group', { serverAddr: 'nacos:8848', serviceName: 'orders', group: '$(touch x)' }, /'registry.openApi.group' \("\$\(touch x\)"\)/],
  ])('bad %s is refused at synth with the prop, the value and the fix', (_p, openApi, message) => {
    expect(() => make({ registry: Registry.nacos({ openApi: openApi as any }) })).toThrow(message);
  });
});

describe('Nacos versions and Spring Cloud Alibaba\'s DOWN', () => {
  test('the client writes its snapshot and logs into /tmp; the in-process DOWN (SCA ≤ 2023) notes the remembered enabled=false', () => {
    const { container, svc } = make({ registry: Registry.nacos() });
    const e = env(container);
    expect(e.JM_SNAPSHOT_PATH).toBe('/tmp/nacos');
    expect(e.JM_LOG_PATH).toBe('/tmp/nacos/logs');
    const text = svc.explain();
    expect(text).toMatch(/remembered enabled=false.*in-process DOWN \(Spring Cloud Alibaba ≤ 2023\.x, v1 open API\).*60 s per ip:port.*Re-enable at start/);
  });

  test('Nacos 3.x open API: the v3 admin partial update, not the v1/v2 admin APIs a 3.x server rejects', () => {
    const { container, svc } = make({ registry: Registry.nacos({ version: NacosVersion.V3, openApi: { serverAddr: 'nacos:8848', serviceName: 'orders' } }) });
    expect(env(container).GRACEFUL_TAKEOUT_URL).toBe('http://nacos:8848/nacos/v3/admin/ns/instance/partial?serviceName=orders&groupName=DEFAULT_GROUP'
      + '&namespaceId=public&clusterName=DEFAULT&ip=$(GRACEFUL_POD_IP)&port=8080&ephemeral=true&enabled=false');
    expect(svc.explain()).toMatch(/remembered enabled=false.*PUT \/nacos\/v3\/admin\/ns\/instance\/partial/);
    expect(svc.budget.propagationSeconds).toBe(42);
  });

  test('Nacos 3.x in-process: SCA ≤ 2023\'s DOWN is refused unless the admin-API compatibility is on; a deregistering DOWN is fine', () => {
    expect(() => make({ registry: Registry.nacos({ version: NacosVersion.V3 }) })).toThrow(
      /'registry.springCloudAlibabaDown' \(SETS_DISABLED on NacosVersion.V3\).*HTTP 410.*nacos.core.api.compatibility.admin.enabled=true.*adminApiCompatibility: true/s);
    const compat = make({ registry: Registry.nacos({ version: NacosVersion.V3, adminApiCompatibility: true }) });
    expect(env(compat.container).GRACEFUL_TAKEOUT_URL).toBe('http://127.0.0.1:8081/actuator/serviceregistry');
    const dereg = make({ registry: Registry.nacos({ version: NacosVersion.V3, springCloudAlibabaDown: SpringCloudAlibabaDown.DEREGISTERS }) });
    expect(dereg.svc.explain()).toContain('deregisters the instance on DOWN');
    expect(dereg.svc.explain()).not.toContain('remembered enabled=false');
  });

  test('SCA 2025.0.0 (DOWN leaves the instance online) cannot take out in-process; bad values name the prop', () => {
    expect(() => make({ registry: Registry.nacos({ springCloudAlibabaDown: SpringCloudAlibabaDown.LEAVES_ONLINE }) })).toThrow(
      /'registry.springCloudAlibabaDown' \(LEAVES_ONLINE\).*#4208.*DEREGISTERS.*openApi/s);
    // The open API does not depend on the SCA release.
    expect(() => make({ registry: Registry.nacos({ springCloudAlibabaDown: SpringCloudAlibabaDown.LEAVES_ONLINE, openApi: { serverAddr: 'nacos:8848', serviceName: 'o' } }) }))
      .not.toThrow();
    expect(() => make({ registry: Registry.nacos({ springCloudAlibabaDown: 'new' as any }) })).toThrow(/'registry.springCloudAlibabaDown' \("new"\)/);
    expect(() => make({ registry: Registry.nacos({ version: 'v4' as any }) })).toThrow(/'registry.version' \("v4"\).*NacosVersion.V3/);
    expect(() => make({ registry: Registry.nacos({ adminApiCompatibility: 'yes' as any }) })).toThrow(/'registry.adminApiCompatibility' \("yes"\)/);
  });

  test('Spring Cloud Alibaba\'s Nacos load balancer has no cache: the registry path is the push bound only', () => {
    const { svc } = make({ registry: Registry.nacos({ consumerCache: ConsumerCache.nacosLoadBalancer() }) });
    expect(svc.budget.propagationSeconds).toBe(10);
    expect(svc.explain()).toContain('nacos-loadbalancer');
  });
});

describe('Consul', () => {
  test('defaults: TTL heartbeat on readiness, re-registered on failure, critical timeout, query-passing; in-process maintenance', () => {
    const { container, svc } = make({ registry: Registry.consul() });
    const e = env(container);
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED).toBe('true');
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ACTUATORHEALTHGROUP).toBe('readiness');
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_REREGISTERSERVICEONFAILURE).toBe('true');
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKCRITICALTIMEOUT).toBe('60s');
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_QUERYPASSING).toBe('true');
    const f = svc.findings.find(x => x.id === 'consul-consumers-query-passing');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/defaults to false/);
    expect(f?.remediation).toMatch(/consumersQueryPassing: true/);
    // Declared: no warning; a non-boolean names the prop.
    expect(make({ registry: Registry.consul({ consumersQueryPassing: true }) }).svc.findings.map(x => x.id)).not.toContain('consul-consumers-query-passing');
    expect(() => make({ registry: Registry.consul({ consumersQueryPassing: 'yes' as any }) })).toThrow(/'registry.consumersQueryPassing' \("yes"\)/);
  });

  test('agent maintenance on the node-local agent with a token from a Secret; the app registers there with the same id', () => {
    const chart = Testing.chart();
    const token = { secret: kplus.Secret.fromSecretName(chart, 'Acl', 'consul-acl'), key: 'token' };
    const { container } = make({ registry: Registry.consul({ agentMaintenance: { serviceName: 'orders', token } }) }, chart);
    const e = env(container);
    expect(e.GRACEFUL_TAKEOUT_URL).toBe('http://$(GRACEFUL_HOST_IP):8500/v1/agent/service/maintenance/orders-$(GRACEFUL_POD_NAME)'
      + '?enable=true&reason=pod%20terminating%20(preStop)');
    expect(e.GRACEFUL_TAKEOUT_METHOD).toBe('PUT');
    expect(e.GRACEFUL_TOKEN_HEADER).toBe('X-Consul-Token');
    expect(e.GRACEFUL_TOKEN).toEqual({ secretKeyRef: { key: 'token', name: 'consul-acl' } });
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_INSTANCEID).toBe('orders-$(GRACEFUL_POD_NAME)');
    expect(e.SPRING_CLOUD_CONSUL_HOST).toBe('$(GRACEFUL_HOST_IP)');
    expect(e.SPRING_CLOUD_CONSUL_DISCOVERY_ACLTOKEN).toEqual({ secretKeyRef: { key: 'token', name: 'consul-acl' } });
    const names = container.env.map((x: any) => x.name);
    expect(names.slice(0, 2).sort()).toEqual(['GRACEFUL_HOST_IP', 'GRACEFUL_POD_NAME']);
  });

  test('a fixed agent address', () => {
    const { container } = make({ registry: Registry.consul({ agentMaintenance: { serviceName: 'orders', agent: ConsulAgent.address('consul-agent.consul:8500') } }) });
    expect(env(container).GRACEFUL_TAKEOUT_URL).toMatch(/^http:\/\/consul-agent\.consul:8500\/v1\/agent\/service\/maintenance\//);
  });

  test('report 001: a generic actuator health path is refused; a service-specific one is used', () => {
    expect(() => ConsulHealthCheck.httpPath('/actuator/health')).toThrow(/served by every Spring Boot service.*docs\/registries.md#consul/);
    const { container } = make({ registry: Registry.consul({ healthCheck: ConsulHealthCheck.httpPath('/orders/actuator/health') }) });
    expect(env(container).SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH).toBe('/orders/actuator/health');
    expect(env(container).SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED).toBeUndefined();
  });

  test('a critical timeout below Consul\'s minimum is refused', () => {
    expect(() => make({ registry: Registry.consul({ criticalTimeout: Duration.seconds(30) }) }))
      .toThrow(/'registry.criticalTimeout' \(30s\) is below Consul's minimum of 60s/);
  });
});

describe('Eureka', () => {
  test('its own pods list only UP instances (the default the take-out relies on)', () => {
    expect(env(make({ registry: Registry.eureka() }).container).EUREKA_CLIENT_FILTERONLYUPINSTANCES).toBe('true');
  });

  test('REST status override with the pod name as instance id, set for the application too', () => {
    const { container } = make({ registry: Registry.eureka({ restStatus: { serverUrl: 'http://eureka.infra:8761/eureka/', appName: 'orders' } }) });
    const e = env(container);
    expect(e.GRACEFUL_TAKEOUT_URL).toBe('http://eureka.infra:8761/eureka/apps/ORDERS/$(GRACEFUL_POD_NAME)/status?value=OUT_OF_SERVICE');
    expect(e.EUREKA_INSTANCE_INSTANCEID).toBe('$(GRACEFUL_POD_NAME)');
    expect(e.EUREKA_CLIENT_SERVICEURL_DEFAULTZONE).toBe('http://eureka.infra:8761/eureka/');
  });

  test('credentials in the server URL are refused without echoing them', () => {
    let message = '';
    try {
      make({ registry: Registry.eureka({ restStatus: { serverUrl: 'http://admin:s3cret@eureka:8761/eureka', appName: 'orders' } }) });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'registry.restStatus.serverUrl' \(<URL with credentials>\) carries credentials in plain text/);
    expect(message).not.toContain('s3cret');
  });
});

describe('custom take-out', () => {
  test('an HTTP call with pod placeholders (MSE-style offline endpoint)', () => {
    const { container, svc } = make({
      registry: Registry.custom({
        name: 'mse',
        takeOut: TakeOut.http({ url: 'http://127.0.0.1:54199/offline?ip={podIp}', method: 'GET' }),
        registryPropagation: Duration.seconds(5),
        registryPropagationSource: 'vendor docs',
        consumerCache: ConsumerCache.none(),
      }),
    });
    expect(env(container).GRACEFUL_TAKEOUT_URL).toBe('http://127.0.0.1:54199/offline?ip=$(GRACEFUL_POD_IP)');
    expect(svc.budget.propagationSeconds).toBe(10);
  });

  test('a command is passed as arguments after the script, never through a shell string', () => {
    const { container } = make({
      registry: Registry.custom({
        name: 'polaris',
        takeOut: TakeOut.command(['/opt/agent/offline', '--reason', 'a b; c']),
        registryPropagation: Duration.seconds(20),
        registryPropagationSource: 'vendor docs',
      }),
    });
    expect(container.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '/etc/graceful/prestop.sh', '/opt/agent/offline', '--reason', 'a b; c']);
  });

  test('URLs that could become shell code or kubelet references are refused', () => {
    expect(() => TakeOut.http({ url: 'http://x/$(touch /tmp/p)' })).toThrow(/'registry.takeOut.url'/);
    expect(() => TakeOut.http({ url: 'http://x/`id`' })).toThrow(/'registry.takeOut.url'/);
  });
});

describe('preStop hooks for images without a shell', () => {
  test('the native sleep action survives synthesis (cdk8s-plus-28 alone would drop it)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new GracefulJavaService(chart, 'orders', { ...base, preStop: PreStopHook.sleepAction(), kubernetesVersion: '1.30' });
    const [deployment] = Testing.synth(chart).filter((o: any) => o.kind === 'Deployment');
    const c = deployment.spec.template.spec.containers[0];
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(Object.keys(c)).toEqual([...Object.keys(c)].sort());
    expect(app.synthYaml()).toContain('      lifecycle:\n            preStop:\n              sleep:\n                seconds: 10\n');
  });

  test('the sleep action needs Kubernetes ≥ 1.30 and cannot take an instance out', () => {
    expect(() => make({ preStop: PreStopHook.sleepAction() })).toThrow(/needs Kubernetes ≥ 1.30, and kubernetesVersion is 1.28/);
    expect(() => make({ preStop: PreStopHook.sleepAction(), kubernetesVersion: '1.31', registry: Registry.nacos() }))
      .toThrow(/only waits, but the instance must first be taken out \(POST \/actuator\/serviceregistry/);
    expect(() => make({ kubernetesVersion: 'latest' })).toThrow(/'kubernetesVersion' \("latest"\) must be a Kubernetes version/);
  });

  test('httpGet to an application endpoint that takes out and waits; it learns the wait from env', () => {
    const { container, svc } = make({ registry: Registry.nacos(), preStop: PreStopHook.httpGet('/internal/prestop') });
    expect(container.lifecycle.preStop.httpGet).toEqual({ path: '/internal/prestop', port: 8081, scheme: 'HTTP' });
    expect(env(container).GRACEFUL_WAIT_SECONDS).toBe(String(svc.budget.propagationSeconds));
    expect(env(container).GRACEFUL_TAKEOUT_URL).toBeUndefined();
  });
});

describe('explicit shutdown trigger', () => {
  test('off by default; on: POST /actuator/shutdown after the wait, management port never in the Service', () => {
    expect(env(make({ registry: Registry.nacos() }).container).GRACEFUL_AFTER_URL).toBeUndefined();
    const { container, svc, manifests } = make({ registry: Registry.nacos(), shutdownTrigger: true });
    const e = env(container);
    expect(e.GRACEFUL_AFTER_URL).toBe('http://127.0.0.1:8081/actuator/shutdown');
    expect(e.MANAGEMENT_ENDPOINT_SHUTDOWN_ENABLED).toBe('true');
    expect(e.MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE).toBe('health,serviceregistry,shutdown');
    expect(svc.budget.deregistrationSeconds).toBe(6);
    expect(byKind(manifests, 'Service')[0].spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
  });

  test('without a registry the script only waits and then triggers the shutdown', () => {
    const { container, svc } = make({ shutdownTrigger: true });
    expect(container.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '/etc/graceful/prestop.sh']);
    // The one call is bounded (3 s) and counted, like any other call of the script.
    expect(env(container).GRACEFUL_CALL_TIMEOUT_SECONDS).toBe('3');
    expect(svc.budget.deregistrationSeconds).toBe(3);
    expect(env(container).GRACEFUL_TAKEOUT_URL).toBeUndefined();
  });
});

describe('Istio', () => {
  test('the sidecar drains as long as preStop + drain + allowance, inside the grace period', () => {
    const { svc, deployment } = make({ registry: Registry.nacos(), mesh: ServiceMesh.istio() });
    const config = JSON.parse(deployment.spec.template.metadata.annotations['proxy.istio.io/config']);
    const drain = svc.budget.preStopSeconds + svc.budget.drainSeconds + svc.budget.shutdownAllowanceSeconds;
    expect(config).toEqual({ drainDuration: `${drain}s`, terminationDrainDuration: `${drain}s` });
    expect(grace(deployment)).toBeGreaterThanOrEqual(drain + svc.budget.safetyBufferSeconds);
  });

  test('EXIT_ON_ZERO_ACTIVE_CONNECTIONS is refused: it does not wait for the preStop', () => {
    expect(() => ServiceMesh.istio({ exitOnZeroActiveConnections: true })).toThrow(
      /mesh\.istio\(exitOnZeroActiveConnections\).*exit 5 s after SIGTERM.*leave it out.*nativeSidecar: true/s);
    expect(() => ServiceMesh.istio({ exitOnZeroActiveConnections: false })).not.toThrow();
  });

  test('native sidecar: the annotation, no drain settings; refused non-boolean', () => {
    const { deployment, svc } = make({ registry: Registry.nacos(), mesh: ServiceMesh.istio({ nativeSidecar: true }), kubernetesVersion: '1.29' });
    const annotations = deployment.spec.template.metadata.annotations;
    expect(annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(annotations['proxy.istio.io/config']).toBeUndefined();
    expect(svc.explain()).toContain('native sidecar');
    expect(() => ServiceMesh.istio({ nativeSidecar: 'yes' as any })).toThrow(/mesh\.istio\(nativeSidecar\).*"yes".*must be true or false/s);
  });

  test('native sidecar needs Kubernetes 1.29: refused with the default 1.28 and with an older version given', () => {
    expect(() => make({ registry: Registry.nacos(), mesh: ServiceMesh.istio({ nativeSidecar: true }) })).toThrow(
      /'mesh' \(ServiceMesh\.istio\(\{ nativeSidecar: true \}\)\) needs Kubernetes 1\.29 or later .* kubernetesVersion is "1\.28" \(the default\)\. Fix: give kubernetesVersion: "1\.29"/s);
    expect(() => make({ registry: Registry.nacos(), mesh: ServiceMesh.istio({ nativeSidecar: true }), kubernetesVersion: '1.27' })).toThrow(
      /kubernetesVersion is "1\.27"\. Fix:/);
    expect(() => make({ registry: Registry.nacos(), mesh: ServiceMesh.istio({ nativeSidecar: true }), kubernetesVersion: '1.33' })).not.toThrow();
    expect(() => make({ registry: Registry.nacos(), mesh: ServiceMesh.istio() })).not.toThrow(); // the drain settings need no version
  });
});

test('identical input synthesizes byte-identical YAML', () => {
  const render = () => {
    const app = new App({ outdir: '/tmp/unused' });
    const chart = new Chart(app, 'c');
    new GracefulJavaService(chart, 'orders', { ...base, registry: Registry.consul({ agentMaintenance: { serviceName: 'orders' } }), mesh: ServiceMesh.istio() });
    return app.synthYaml();
  };
  expect(render()).toBe(render());
});
