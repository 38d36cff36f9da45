/*
 * The input checks of the graceful constructs: each prop is read once, here, and refused with the prop's
 * name, the value, the problem and the fix (src/errors.ts). Pure: no constructs.
 */
import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GracefulConfigError, invalidProp, show } from '../errors';
import type { GracefulServiceProps, HttpHealthChecks } from '../graceful-service';
import { ServiceMesh } from '../mesh';
import { PLUS_KUBERNETES_VERSION } from '../plus';
import { ProcessInit } from '../process/pid1';
import { Registry } from '../registry/registry';

/**
 * Default application port (Spring Boot's `server.port` default).
 * @internal
 */
export const DEFAULT_PORT = 8080;
/**
 * The largest number a Kubernetes int32 field holds (replicas, every `…Seconds` field).
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 * @internal
 */
export const INT32_MAX = 2147483647;

/** Props are given at all. @internal */
export function checkProps(props: GracefulServiceProps): void {
  if (props === undefined || props === null) {
    throw new GracefulConfigError('props are required: give at least { image, traffic, health }');
  }
}

/** @internal */
export function checkKubernetesVersion(v: string | undefined): number {
  const given = v ?? PLUS_KUBERNETES_VERSION;
  const m = typeof given === 'string' ? /^v?1\.([0-9]{1,3})(\.[0-9]+)?$/.exec(given) : null;
  if (!m) {
    throw invalidProp('kubernetesVersion', show(v), 'must be a Kubernetes version such as "1.30"', 'give the oldest version your clusters run, e.g. "1.30"');
  }
  return Number(m[1]);
}

/** @internal */
export function checkRegistry(given: Registry | undefined): Registry {
  const registry = given ?? Registry.kubernetesService();
  if (!(registry instanceof Registry)) {
    throw invalidProp('registry', show(registry), 'is not a Registry', 'give e.g. Registry.nacos(), Registry.consul(), Registry.eureka() or leave it out');
  }
  return registry;
}

/**
 * The first Kubernetes minor version with sidecar containers on by default (init containers with
 * `restartPolicy: Always`, beta and enabled from 1.29), which Istio's native sidecar mode relies on.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/ (FEATURE STATE: Kubernetes v1.29 [beta])
 * @internal
 */
export const NATIVE_SIDECAR_MINOR = 29;

/** @internal */
export function checkMesh(given: ServiceMesh | undefined, kubernetesVersion: string | undefined, kubernetesMinor: number): ServiceMesh {
  const mesh = given ?? ServiceMesh.none();
  if (!(mesh instanceof ServiceMesh)) {
    throw invalidProp('mesh', show(mesh), 'is not a ServiceMesh', 'give ServiceMesh.istio() or leave it out');
  }
  if (mesh._native && kubernetesMinor < NATIVE_SIDECAR_MINOR) {
    const version = kubernetesVersion === undefined ? `"${PLUS_KUBERNETES_VERSION}" (the default)` : show(kubernetesVersion);
    throw invalidProp('mesh', 'ServiceMesh.istio({ nativeSidecar: true })',
      `needs Kubernetes 1.${NATIVE_SIDECAR_MINOR} or later (Istio's native sidecar is a Kubernetes sidecar container, on by default from `
      + `1.${NATIVE_SIDECAR_MINOR}), but kubernetesVersion is ${version}`,
      `give kubernetesVersion: "1.${NATIVE_SIDECAR_MINOR}" or later if every cluster runs it, or leave nativeSidecar out (the construct then `
      + 'raises Istio\'s drain durations instead)');
  }
  return mesh;
}

/** @internal */
export function checkImage(image: string): string {
  if (typeof image !== 'string' || image.trim().length === 0 || /\s/.test(image)) {
    throw invalidProp('image', show(image), 'must be a non-empty image reference without spaces', 'give e.g. "registry.example.com/orders:1.4.2"');
  }
  return image;
}

/** @internal */
export function checkPort(prop: string, port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidProp(prop, show(port), 'must be a whole number from 1 to 65535', 'give the TCP port the application listens on, e.g. 8080');
  }
  return port;
}

/** @internal */
export function checkHealth(health: HttpHealthChecks, appPort: number): Required<HttpHealthChecks> {
  if (health === undefined || health === null || typeof health !== 'object' || Array.isArray(health)) {
    throw invalidProp('health', show(health), 'is required', 'give { readinessPath: "/ready", livenessPath: "/live" } for your application');
  }
  for (const key of ['readinessPath', 'livenessPath', 'startupPath'] as const) {
    const p = health[key];
    if (p === undefined && key === 'startupPath') continue;
    if (typeof p !== 'string' || !p.startsWith('/') || /[\s\u0000-\u001f\u007f]/.test(p)) {
      throw invalidProp(`health.${key}`, show(p), 'must be an absolute URL path without spaces', 'give e.g. "/actuator/health/readiness"');
    }
  }
  if (health.readinessPath === health.livenessPath) {
    throw invalidProp('health.livenessPath', show(health.livenessPath), 'is the same endpoint as health.readinessPath',
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
 * Every name the library derives from `metadata.name` with a suffix: none since the preStop script's
 * ConfigMap is shared per chart and namespace (named after the script, src/prestop). The Service and the
 * PDB share the name itself.
 * @internal
 */
export const DERIVED_NAMES: readonly DerivedName[] = [];

/**
 * The objects' metadata: `name` (the Deployment's, and the Service's and the PodDisruptionBudget's),
 * `namespace` and `labels`, checked against the syntax Kubernetes validates
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
      throw invalidProp('metadata.name', show(name),
        `is also the Service's name, which must be a DNS-1035 label: at most ${LABEL_MAX} lowercase letters, digits and "-", starting with a letter and ending with a letter or digit${typeof name === 'string' ? ` (${name.length} characters)` : ''}`,
        'give e.g. "orders-api", or leave metadata.name out for generated names');
    }
    checkDerivedNames(name, derived);
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace.length > LABEL_MAX || !DNS1123_LABEL.test(namespace))) {
    throw invalidProp('metadata.namespace', show(namespace),
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
      throw invalidProp('metadata.name', show(name),
        `is ${name.length} characters: with the suffix "${d.suffix}" it names ${d.what}, which allows at most ${d.limit} (${full.length} given)`,
        `shorten it to at most ${d.limit - d.suffix.length} characters`);
    }
  }
}

/**
 * A label's key and value, as Kubernetes checks them; `prop` names the map in the error.
 * @internal
 */
export function checkLabel(key: string, value: unknown, prop: string = 'metadata.labels'): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixValid = prefix === undefined || (prefix.length <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(prefix));
  if (!prefixValid || name.length > LABEL_MAX || !QUALIFIED_NAME.test(name)) {
    throw invalidProp(`${prop}.${key}`, show(key),
      `is not a label key: an optional DNS subdomain prefix (at most ${SUBDOMAIN_MAX} characters) and "/", then a name of at most ${LABEL_MAX} letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      'give e.g. "app.kubernetes.io/part-of" or "team"');
  }
  if (typeof value !== 'string' || value.length > LABEL_MAX || (value !== '' && !QUALIFIED_NAME.test(value))) {
    throw invalidProp(`${prop}.${key}`, show(value),
      `is not a label value: at most ${LABEL_MAX} letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty)${typeof value === 'string' ? ` (${value.length} characters)` : ''}`,
      'give e.g. "shop"; longer or free text belongs in an annotation');
  }
}

/** An environment variable name the kubelet and a POSIX shell both take (`A=B` would split the entry). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The process init is one of ProcessInit's factories.
 * @internal
 */
export function checkInit(given: ProcessInit | undefined): ProcessInit {
  const init = given ?? ProcessInit.none();
  if (!(init instanceof ProcessInit)) {
    throw invalidProp('init', show(init), 'is not a ProcessInit', 'give ProcessInit.tini(), ProcessInit.dumbInit() or ProcessInit.none(), or leave it out');
  }
  return init;
}

/**
 * The rolling update's surge: a PercentOrAbsolute (duck-checked, cdk8s-plus builds it) of at least one pod or
 * 1 % (maxUnavailable is always 0, and Kubernetes refuses both at 0), a whole number within int32.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge
 * @internal
 */
export function checkMaxSurge(given: kplus.PercentOrAbsolute | undefined): kplus.PercentOrAbsolute {
  const surge = given ?? kplus.PercentOrAbsolute.percent(25);
  const fix = 'give kplus.PercentOrAbsolute.percent(25) (the default) or .absolute(1): at least one extra pod, since maxUnavailable is 0';
  if (surge === null || typeof surge !== 'object' || typeof (surge as any).isZero !== 'function' || !('value' in surge)) {
    throw invalidProp('maxSurge', show(surge), 'is not a PercentOrAbsolute', fix);
  }
  const value = (surge as any).value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > INT32_MAX) {
      throw invalidProp('maxSurge', show(value, 'pods'), `must be a whole number of pods from 1 to ${INT32_MAX}`, fix);
    }
    return surge;
  }
  const m = typeof value === 'string' ? /^([0-9]{1,9})%$/.exec(value) : null;
  if (!m || Number(m[1]) < 1) {
    throw invalidProp('maxSurge', show(value), 'must be a whole percentage of at least 1%', fix);
  }
  return surge;
}

/**
 * The user's environment: a plain object of string values whose names the kubelet takes, and none of the
 * library's `GRACEFUL_*` variables (the preStop script's contract: a user value would add calls or times the
 * shutdown budget does not count).
 * @internal
 */
export function checkEnvVariables(env: { [name: string]: string } | undefined): void {
  if (env === undefined) return;
  const proto = env === null || typeof env !== 'object' || Array.isArray(env) ? undefined : Object.getPrototypeOf(env);
  if (proto !== Object.prototype && proto !== null) {
    throw invalidProp('envVariables', show(env), 'must be an object of variable names to string values', 'give e.g. { JAVA_TOOL_OPTIONS: "-Xss512k" }');
  }
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw invalidProp('envVariables', show(name), 'is not an environment variable name: a letter or "_", then letters, digits, "_", "." and "-" (no "=")',
        'rename it, e.g. "FEATURE_FLAG"');
    }
    if (/^GRACEFUL_/.test(name.replace(/\./g, '_').replace(/-/g, '').toUpperCase())) {
      throw invalidProp(`envVariables.${name}`, show(value), 'is the preStop script\'s configuration (GRACEFUL_* variables are set by the library, and the shutdown budget counts only what it sets)',
        'remove it and set the registry, preStop or traffic prop the variable comes from');
    }
    if (typeof value !== 'string') {
      throw invalidProp(`envVariables.${name}`, show(value), 'must be a string', 'quote the value, e.g. "true" or "8080"');
    }
  }
}

/** A Kubernetes quantity (k8s.io/apimachinery resource.Quantity). */
const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][-+]?[0-9]+))?$/;

/**
 * The container's resources: cdk8s-plus Cpu and Size values whose quantities Kubernetes parses.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 * @internal
 */
export function checkResources(resources: kplus.ContainerResources | undefined): void {
  if (resources === undefined) return;
  const fix = 'give e.g. { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } }';
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    throw invalidProp('resources', show(resources), 'is not a ContainerResources object', fix);
  }
  for (const kind of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    const pair = (resources as any)[kind];
    if (pair === undefined) continue;
    if (pair === null || typeof pair !== 'object') {
      throw invalidProp(`resources.${kind}`, show(pair), 'must be { request?, limit? }', fix);
    }
    for (const side of ['request', 'limit'] as const) {
      const q = pair[side];
      if (q === undefined) continue;
      const prop = `resources.${kind}.${side}`;
      if (kind === 'cpu') {
        if (q === null || typeof q !== 'object' || typeof q.amount !== 'string' || !QUANTITY.test(q.amount)) {
          throw invalidProp(prop, show(q?.amount ?? q), 'is not a CPU quantity', 'give kplus.Cpu.millis(500) or kplus.Cpu.units(1) with a finite, non-negative amount');
        }
        continue;
      }
      let mib: number;
      try {
        mib = typeof q?.toMebibytes === 'function' ? q.toMebibytes() : NaN;
      } catch {
        mib = NaN;
      }
      if (!Number.isFinite(mib) || mib < 0 || !QUANTITY.test(`${mib}`)) {
        throw invalidProp(prop, show(q), 'is not a size of whole, finite, non-negative mebibytes', 'give e.g. Size.mebibytes(512) or Size.gibibytes(1)');
      }
    }
  }
}

/**
 * The container's security context: user and group ids are whole, non-negative int64 values (kept within
 * int32 here), the flags booleans.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
 * @internal
 */
export function checkSecurityContext(sc: kplus.ContainerSecurityContextProps | undefined): void {
  if (sc === undefined) return;
  if (sc === null || typeof sc !== 'object' || Array.isArray(sc)) {
    throw invalidProp('securityContext', show(sc), 'is not a ContainerSecurityContextProps object', 'give e.g. { user: 1000, group: 1000 }');
  }
  for (const key of ['user', 'group'] as const) {
    const id = (sc as any)[key];
    if (id !== undefined && (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > INT32_MAX)) {
      throw invalidProp(`securityContext.${key}`, show(id), `must be a whole number from 0 to ${INT32_MAX}`, 'give the numeric id, e.g. 1000');
    }
  }
  for (const key of ['ensureNonRoot', 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'] as const) {
    const flag = (sc as any)[key];
    if (flag !== undefined && typeof flag !== 'boolean') {
      throw invalidProp(`securityContext.${key}`, show(flag), 'must be true or false', 'give a boolean, or leave it out');
    }
  }
}

/**
 * The service account: a cdk8s-plus IServiceAccount (duck-checked: an object with a name).
 * @internal
 */
export function checkServiceAccount(sa: kplus.IServiceAccount | undefined): void {
  if (sa === undefined) return;
  if (sa === null || typeof sa !== 'object' || typeof (sa as any).name !== 'string') {
    throw invalidProp('serviceAccount', show(sa), 'is not a ServiceAccount', 'give kplus.ServiceAccount.fromServiceAccountName(scope, id, name) or a new kplus.ServiceAccount');
  }
}
