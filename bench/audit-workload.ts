/**
 * The audit benchmark's input, also used by the scaling test: services as a cluster holds them, each with its
 * ConfigMap (read through envFrom), Deployment, Service, PodDisruptionBudget (most) and HorizontalPodAutoscaler
 * (some), half of them registered with Consul. Deterministic variety: feature i depends on i modulo small
 * numbers, so combinations vary.
 */
import { stringify } from 'yaml';


/** Half the services register with Consul (with the default health check: one large collision group). */
const REGISTRIES = ['consul', 'nacos', 'consul', 'eureka', 'consul', 'none'] as const;

function preStop(i: number): any {
  switch (i % 6) {
    case 0: return undefined;
    case 1: return { exec: { command: ['sleep', String(5 + (i % 4) * 5)] } };
    case 2: return {
      exec: {
        command: ['sh', '-c', 'curl -s -X POST http://127.0.0.1:8081/actuator/serviceregistry -d \'{"status":"DOWN"}\' '
      + `-H 'Content-Type: application/json'; sleep ${10 + (i % 3) * 10}`],
      },
    };
    case 3: return { httpGet: { path: '/actuator/shutdown', port: 8081 } };
    case 4: return { exec: { command: ['/bin/sh', '/app/preStop.sh'] } };
    default: return { sleep: { seconds: 10 + (i % 5) * 5 } };
  }
}

function probes(i: number, port: number): any {
  const mgmt = i % 2 === 0 ? port + 1 : port;
  const out: any = {};
  if (i % 5 !== 0) {
    out.readinessProbe = { httpGet: { path: '/actuator/health/readiness', port: mgmt }, periodSeconds: 10, failureThreshold: 3 };
  }
  if (i % 5 !== 0 && i % 3 !== 0) {
    out.livenessProbe = { httpGet: { path: i % 7 === 0 ? '/actuator/health/readiness' : '/actuator/health/liveness', port: mgmt }, periodSeconds: 10 };
  }
  if (i % 4 === 0) {
    out.startupProbe = i % 8 === 0
      ? { tcpSocket: { port }, failureThreshold: 3, periodSeconds: 10 }
      : { httpGet: { path: '/actuator/health/liveness', port: mgmt }, failureThreshold: 30, periodSeconds: 10 };
  }
  return out;
}

function env(i: number, registry: string): any[] {
  const out: any[] = [{ name: 'SPRING_PROFILES_ACTIVE', value: i % 2 ? 'prod' : 'staging' }];
  if (i % 3 !== 0) out.push({ name: 'SERVER_SHUTDOWN', value: 'graceful' });
  if (i % 4 === 1) out.push({ name: 'SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', value: `${10 + (i % 6) * 5}s` });
  if (i % 5 === 2) out.push({ name: 'JAVA_OPTS', value: '-Xms512m -Xmx1g -XX:+UseG1GC' });
  if (registry === 'nacos') out.push({ name: 'SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR', value: 'nacos-headless.infra:8848' });
  if (registry === 'consul') out.push({ name: 'SPRING_CLOUD_CONSUL_HOST', value: 'consul.infra' });
  if (registry === 'eureka') out.push({ name: 'EUREKA_CLIENT_SERVICEURL_DEFAULTZONE', value: 'http://eureka.infra:8761/eureka/' });
  out.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  return out;
}

function command(i: number): any {
  switch (i % 4) {
    case 0: return { command: ['java', '-jar', '/app/app.jar'] };
    case 1: return { command: ['sh', '-c', 'java $JAVA_OPTS -jar /app/app.jar'] };
    case 2: return { command: ['/bin/sh', '-c', 'exec java $JAVA_OPTS -jar /app/app.jar'] };
    default: return {};
  }
}

/** Deployment number `i` of the workload. */
export function deployment(i: number): any {
  const name = `svc-${i}`;
  const registry = REGISTRIES[i % REGISTRIES.length];
  const port = 8080 + (i % 3) * 10;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': `shop-${i % 50}` };
  const hook = preStop(i);
  const grace = [undefined, 30, 60, 90, 120][i % 5];
  const container: any = {
    name: 'app',
    image: `registry.example.com/team-${i % 20}/${name}:1.${i % 30}.${i % 7}`,
    ...command(i),
    ports: [{ name: 'http', containerPort: port }, ...(i % 2 === 0 ? [{ name: 'management', containerPort: port + 1 }] : [])],
    envFrom: [{ configMapRef: { name: `${name}-config` } }],
    env: env(i, registry),
    ...probes(i, port),
    ...(hook ? { lifecycle: { preStop: hook } } : {}),
    resources: { requests: { cpu: `${250 + (i % 4) * 250}m`, memory: `${512 + (i % 3) * 256}Mi` }, limits: { memory: `${1024 + (i % 3) * 512}Mi` } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: `ns-${i % 12}`,
      labels: { ...labels },
      ...(i % 9 === 0 ? { annotations: { 'graceful.cdk8s.io/suppress-prestop-missing': 'batch worker, not registered' } } : {}),
    },
    spec: {
      replicas: 1 + (i % 4),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      ...(i % 3 === 0 ? {} : { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: i % 2 ? '25%' : 1, maxUnavailable: i % 6 === 1 ? 1 : 0 } } }),
      ...(i % 4 === 0 ? { minReadySeconds: 30 } : {}),
      template: {
        metadata: {
          labels: { ...labels },
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port + 1), ...(registry === 'nacos' ? { registry: 'nacos' } : {}) },
        },
        spec: {
          ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
          containers: [container, ...(i % 10 === 0 ? [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.20.0' }] : [])],
        },
      },
    },
  };
}

/** The objects of service `i`: its ConfigMap, Deployment, Service, PodDisruptionBudget (4 of 5) and HPA (1 of 7). */
export function serviceObjects(i: number): any[] {
  const d = deployment(i);
  const name: string = d.metadata.name;
  const namespace: string = d.metadata.namespace;
  const select = { 'app.kubernetes.io/name': name };
  const port: number = d.spec.template.spec.containers[0].ports[0].containerPort;
  const out: any[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace },
      data: { SPRING_APPLICATION_NAME: name, LOGGING_LEVEL_ROOT: i % 2 ? 'INFO' : 'WARN', FEATURE_FLAGS: `f${i % 11},g${i % 13}` },
    },
    d,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels: { ...select } },
      spec: { selector: { ...select }, ports: [{ name: 'http', port: 80, targetPort: port }] },
    },
  ];
  if (i % 5 !== 0) {
    out.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace },
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...select } } },
    });
  }
  if (i % 7 === 0) {
    out.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 2, maxReplicas: 10 },
    });
  }
  return out;
}

/** The first `n` objects of services 0, 1, 2, … (a service's objects stay together). */
export function workloadObjects(n: number): any[] {
  const out: any[] = [];
  for (let i = 0; out.length < n; i++) {
    for (const o of serviceObjects(i)) {
      if (out.length < n) out.push(o);
    }
  }
  return out;
}

/** `n` objects as one multi-document YAML string, without anchors or aliases (real manifests rarely have them). */
export function workloadYaml(n: number): string {
  return workloadObjects(n).map(o => stringify(o, { aliasDuplicateObjects: false })).join('---\n');
}
