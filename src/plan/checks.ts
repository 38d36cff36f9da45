/*
 * The input checks of the graceful constructs: each prop is read once, here, and refused with the prop's
 * name, the value, the problem and the fix (src/errors.ts). Pure: no constructs.
 */
import { ApiObjectMetadata } from 'cdk8s';
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

/** Kubernetes' name syntaxes (k8s.io/apimachinery/pkg/util/validation). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Service names (DNS-1035 label), namespaces (DNS-1123 label), label names and values. */
const LABEL_MAX = 63;
/** Deployment, ConfigMap and PodDisruptionBudget names (DNS-1123 subdomain), label key prefixes. */
const SUBDOMAIN_MAX = 253;

/**
 * A name the library derives from `metadata.name`: the suffix it appends and the limit of the object it
 * names.
 * @internal
 */
export interface DerivedName {
  readonly suffix: string;
  /** e.g. `the preStop script's ConfigMap`. */
  readonly what: string;
  readonly limit: number;
}

/**
 * Every name the library derives from `metadata.name` (src/prestop wirePreStop). The Service, the PDB
 * and the ConfigMap without a suffix share the name itself.
 * @internal
 */
export const DERIVED_NAMES: readonly DerivedName[] = [
  { suffix: '-prestop', what: 'the preStop script\'s ConfigMap (a DNS-1123 subdomain)', limit: SUBDOMAIN_MAX },
];

/**
 * The objects' metadata: `name` (the Deployment's, and the Service's, the PodDisruptionBudget's, and with
 * a suffix the ConfigMap's), `namespace` and `labels`, checked against the syntax Kubernetes validates
 * them with, so a name that would be refused by the API server is refused here with the prop named.
 * Without a name cdk8s generates one (a DNS-1123 label of at most 63 characters, valid for every object).
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * @internal
 */
export function checkMetadata(metadata: ApiObjectMetadata | undefined, derived: readonly DerivedName[] = DERIVED_NAMES): void {
  if (metadata === undefined || metadata === null) return;
  const name = metadata.name;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > LABEL_MAX || !DNS1035_LABEL.test(name)) {
      throw invalidProp('metadata.name', JSON.stringify(name),
        `is also the Service's name, which must be a DNS-1035 label: at most ${LABEL_MAX} lowercase letters, digits and "-", starting with a letter and ending with a letter or digit${typeof name === 'string' ? ` (${name.length} characters)` : ''}`,
        'give e.g. "orders-api", or leave metadata.name out for generated names');
    }
    checkDerivedNames(name, derived);
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace.length > LABEL_MAX || !DNS1123_LABEL.test(namespace))) {
    throw invalidProp('metadata.namespace', JSON.stringify(namespace),
      `must be a DNS-1123 label: at most ${LABEL_MAX} lowercase letters, digits and "-", starting and ending with a letter or digit`,
      'give the namespace\'s name, e.g. "shop-prod", or leave it out for the chart\'s namespace');
  }
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    checkLabel(key, value);
  }
}

/**
 * Each name derived from `name` stays within its object's limit.
 * @internal
 */
export function checkDerivedNames(name: string, derived: readonly DerivedName[] = DERIVED_NAMES): void {
  for (const d of derived) {
    const full = `${name}${d.suffix}`;
    if (full.length > d.limit) {
      throw invalidProp('metadata.name', JSON.stringify(name),
        `is ${name.length} characters: with the suffix "${d.suffix}" it names ${d.what}, which allows at most ${d.limit} (${full.length} given)`,
        `shorten it to at most ${d.limit - d.suffix.length} characters`);
    }
  }
}

function checkLabel(key: string, value: unknown): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixValid = prefix === undefined || (prefix.length <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(prefix));
  if (!prefixValid || name.length > LABEL_MAX || !QUALIFIED_NAME.test(name)) {
    throw invalidProp(`metadata.labels.${key}`, JSON.stringify(key),
      `is not a label key: an optional DNS subdomain prefix (at most ${SUBDOMAIN_MAX} characters) and "/", then a name of at most ${LABEL_MAX} letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      'give e.g. "app.kubernetes.io/part-of" or "team"');
  }
  if (typeof value !== 'string' || value.length > LABEL_MAX || (value !== '' && !QUALIFIED_NAME.test(value))) {
    throw invalidProp(`metadata.labels.${key}`, JSON.stringify(value),
      `is not a label value: at most ${LABEL_MAX} letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty)${typeof value === 'string' ? ` (${value.length} characters)` : ''}`,
      'give e.g. "shop"; longer or free text belongs in an annotation');
  }
}
