/*
 * The input checks of the graceful constructs: each prop is read once, here, and refused with the prop's
 * name, the value, the problem and the fix (src/errors.ts). Pure: no constructs.
 */
import { GracefulConfigError, invalidProp } from '../errors';
import type { GracefulServiceProps, HttpHealthChecks } from '../graceful-service';
import { ServiceMesh } from '../mesh';
import { Registry } from '../registry/registry';

/**
 * Default application port (Spring Boot's `server.port` default).
 * @internal
 */
export const DEFAULT_PORT = 8080;
/** Default replica count. */
const DEFAULT_REPLICAS = 2;

/** Props are given at all. @internal */
export function checkProps(props: GracefulServiceProps): void {
  if (props === undefined || props === null) {
    throw new GracefulConfigError('props are required: give at least { image, traffic, health }');
  }
}

/** @internal */
export function checkKubernetesVersion(v: string | undefined): number {
  const given = v ?? '1.28';
  const m = typeof given === 'string' ? /^v?1\.([0-9]{1,3})(\.[0-9]+)?$/.exec(given) : null;
  if (!m) {
    throw invalidProp('kubernetesVersion', JSON.stringify(v), 'must be a Kubernetes version such as "1.30"', 'give the oldest version your clusters run, e.g. "1.30"');
  }
  return Number(m[1]);
}

/** @internal */
export function checkRegistry(given: Registry | undefined): Registry {
  const registry = given ?? Registry.kubernetesService();
  if (!(registry instanceof Registry)) {
    throw invalidProp('registry', String(registry), 'is not a Registry', 'give e.g. Registry.nacos(), Registry.consul(), Registry.eureka() or leave it out');
  }
  return registry;
}

/** @internal */
export function checkMesh(given: ServiceMesh | undefined): ServiceMesh {
  const mesh = given ?? ServiceMesh.none();
  if (!(mesh instanceof ServiceMesh)) {
    throw invalidProp('mesh', String(mesh), 'is not a ServiceMesh', 'give ServiceMesh.istio() or leave it out');
  }
  return mesh;
}

/** @internal */
export function checkImage(image: string): string {
  if (typeof image !== 'string' || image.trim().length === 0 || /\s/.test(image)) {
    throw invalidProp('image', JSON.stringify(image), 'must be a non-empty image reference without spaces', 'give e.g. "registry.example.com/orders:1.4.2"');
  }
  return image;
}

/** @internal */
export function checkPort(prop: string, port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidProp(prop, String(port), 'must be a whole number from 1 to 65535', 'give the TCP port the application listens on, e.g. 8080');
  }
  return port;
}

/**
 * The replica count, and the reason when it is 1.
 * @internal
 */
export interface ReplicaPlan {
  readonly count: number;
  readonly reason?: string;
}

/** @internal */
export function checkReplicas(replicas: number | undefined, reason: string | undefined): ReplicaPlan {
  const count = replicas ?? DEFAULT_REPLICAS;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw invalidProp('replicas', String(count), 'must be a whole number of at least 1', 'give 2 or more (the default is 2)');
  }
  if (count === 1) {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw invalidProp('replicas', '1', 'leaves no pod serving while the only one is replaced or evicted',
        'give 2 or more, or acknowledge the outage with singleReplicaReason: "why one pod is enough"');
    }
    return { count, reason: reason.trim() };
  }
  if (reason !== undefined) {
    throw invalidProp('singleReplicaReason', JSON.stringify(reason), `is only meaningful with replicas: 1 (replicas is ${count})`, 'remove it');
  }
  return { count };
}

/** @internal */
export function checkHealth(health: HttpHealthChecks, appPort: number): Required<HttpHealthChecks> {
  if (health === undefined || health === null) {
    throw invalidProp('health', String(health), 'is required', 'give { readinessPath: "/ready", livenessPath: "/live" } for your application');
  }
  for (const key of ['readinessPath', 'livenessPath', 'startupPath'] as const) {
    const p = health[key];
    if (p === undefined && key === 'startupPath') continue;
    if (typeof p !== 'string' || !p.startsWith('/') || /\s/.test(p)) {
      throw invalidProp(`health.${key}`, JSON.stringify(p), 'must be an absolute URL path without spaces', 'give e.g. "/actuator/health/readiness"');
    }
  }
  if (health.readinessPath === health.livenessPath) {
    throw invalidProp('health.livenessPath', JSON.stringify(health.livenessPath), 'is the same endpoint as health.readinessPath',
      'use distinct endpoints: a dependency outage should fail readiness (stop traffic), not liveness (restart the pod); Spring Boot: /actuator/health/readiness and /actuator/health/liveness');
  }
  const port = checkPort('health.port', health.port ?? appPort);
  return {
    readinessPath: health.readinessPath,
    livenessPath: health.livenessPath,
    startupPath: health.startupPath ?? health.livenessPath,
    port,
  };
}
