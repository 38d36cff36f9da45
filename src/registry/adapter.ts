import * as kplus from 'cdk8s-plus-28';
import { ConsumerCache } from './consumer-cache';
import { invalidProp, show } from '../errors';
import { Finding } from '../finding';
import { Duration } from '../shutdown/lazy-duration';
import { PropagationPath } from '../shutdown/propagation';
import { ceilSeconds, formatMillis, readMillis } from '../shutdown/seconds';
import { ManagedVariable } from '../spring/env';

/*
 * The contract between the registry adapters (one file each) and the constructs. Internal: users see the
 * `Registry` factories and the props structs only.
 */

/**
 * Options every registry adapter takes.
 */
export interface RegistryOptions {
  /**
   * How long your consumers keep calling an instance after their registry view dropped it.
   *
   * @default ConsumerCache.springCloudLoadBalancer() (35 s, spring-cloud-commons)
   */
  readonly consumerCache?: ConsumerCache;

  /**
   * Hard bound of each call the preStop hook makes (login, take-out, shutdown trigger). The preStop budget
   * counts it once per call. A registry on the cluster network answers in milliseconds; the bound only
   * matters when it does not answer at all.
   *
   * @default Duration.seconds(3) (the library's choice: tolerates a registry's GC pause, costs 3 s per call in the budget)
   */
  readonly callTimeout?: Duration;
}

/** The library's per-call bound (see RegistryOptions.callTimeout). */
export const DEFAULT_CALL_TIMEOUT = Duration.seconds(3);

/** Downward-API variables the take-out URLs refer to with Kubernetes' `$(VAR)` expansion. @internal */
export const POD_IP_VAR = 'GRACEFUL_POD_IP';
/** @internal */
export const POD_NAME_VAR = 'GRACEFUL_POD_NAME';
/** @internal */
export const HOST_IP_VAR = 'GRACEFUL_HOST_IP';

/**
 * What the construct tells an adapter about the workload.
 * @internal
 */
export interface RegistryContext {
  /** The application port (what the registry lists). */
  readonly appPort: number;
  /** Spring Boot's management (actuator) port; absent for workloads that are not Spring Boot. */
  readonly actuatorPort?: number;
}

/**
 * One HTTP call of the preStop script.
 * @internal
 */
export interface HttpCall {
  readonly method: 'POST' | 'PUT' | 'DELETE' | 'GET';
  /** May contain `$(GRACEFUL_POD_IP)`-style references, expanded by the kubelet; every user value is percent-encoded. */
  readonly url: string;
  readonly body?: string;
  readonly contentType?: string;
}

/**
 * How the preStop hook takes the instance out of the registry.
 * @internal
 */
export interface TakeOutPlan {
  /** One line for explanations, e.g. `PUT nacos open API enabled=false`. */
  readonly description: string;
  readonly call?: HttpCall;
  /** A custom command (argv), run instead of a call. */
  readonly command?: string[];
  /** Nacos login before the call: username/password from a Secret → accessToken. */
  readonly login?: { readonly url: string; readonly username: kplus.SecretValue; readonly password: kplus.SecretValue };
  /** A token from a Secret, sent as a header or a query parameter. */
  readonly token?: { readonly value: kplus.SecretValue; readonly header?: string; readonly query?: string };
}

/**
 * What an adapter contributes.
 * @internal
 */
export interface RegistryBinding {
  /** e.g. `nacos 2.x`. */
  readonly name: string;
  /** Registry → consumer paths (Kubernetes endpoint propagation is added by the construct). */
  readonly paths: PropagationPath[];
  /** Absent when nothing needs to be called (Kubernetes Service only). */
  readonly takeOut?: TakeOutPlan;
  /** Environment the application needs so that it and the preStop hook agree (instance id, agent, checks…). */
  readonly env: ManagedVariable[];
  /** Actuator endpoint ids the preStop hook calls over HTTP (exposed on the management port). */
  readonly actuatorEndpoints: string[];
  /** Bound of each call, in whole seconds. */
  readonly callTimeoutSeconds: number;
  /** The declared consumer cache, in whole seconds (absent without registry consumers). */
  readonly consumerCacheSeconds?: number;
  readonly findings: Finding[];
  /** Explanation lines (`label = text`). */
  readonly notes: { readonly label: string; readonly text: string }[];
}

/** Reads the common options. @internal */
export function readOptions(prop: string, options: RegistryOptions | undefined):
{ cache: ConsumerCache; callTimeoutSeconds: number; consumerCacheSeconds: number } {
  const cache = options?.consumerCache ?? ConsumerCache.springCloudLoadBalancer();
  if (!(cache instanceof ConsumerCache)) {
    throw invalidProp(`${prop}.consumerCache`, show(cache), 'is not a ConsumerCache', 'give e.g. ConsumerCache.springCloudLoadBalancer()');
  }
  const ms = readMillis(`${prop}.callTimeout`, options?.callTimeout ?? DEFAULT_CALL_TIMEOUT,
    { positive: true, fix: 'give a bound such as Duration.seconds(3), or leave it out' });
  return { cache, callTimeoutSeconds: ceilSeconds(ms), consumerCacheSeconds: ceilSeconds(cache.delayMillis) };
}

/**
 * The props every user-described registry shares (Spring Cloud, custom): a kebab-case name and the
 * registry's own propagation with its source, read into one registry → consumer path.
 * @internal
 */
export function readDeclaredRegistry(props: RegistryOptions & {
  readonly name: string;
  readonly registryPropagation: Duration;
  readonly registryPropagationSource: string;
}, examples: { name: string; source: string }) {
  const options = readOptions('registry', props);
  if (typeof props.name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(props.name)) {
    throw invalidProp('registry.name', show(props.name), 'must be a kebab-case name', `give e.g. "${examples.name}"`);
  }
  const ms = readMillis('registry.registryPropagation', props.registryPropagation,
    { fix: 'give how long your registry takes to tell consumers, e.g. Duration.seconds(5)' });
  if (typeof props.registryPropagationSource !== 'string' || props.registryPropagationSource.trim() === '') {
    throw invalidProp('registry.registryPropagationSource', show(props.registryPropagationSource), 'must say where the number comes from',
      `give e.g. "${examples.source}"`);
  }
  const path = consumerPath(`${props.name}-consumers`, { ms, what: props.name, source: props.registryPropagationSource.trim() }, options.cache);
  return { ...options, path };
}

/**
 * Registry → consumer path: the registry's own propagation plus the consumers' cache, as one path whose
 * source names both terms.
 * @internal
 */
export function consumerPath(name: string, registry: { ms: number; what: string; source: string }, cache: ConsumerCache): PropagationPath {
  const total = registry.ms + cache.delayMillis;
  return {
    name,
    delay: Duration.millis(total),
    source: `${registry.what} ${formatMillis(registry.ms)} (${registry.source}) + consumer cache ${cache.name} ${cache.delayText} (${cache.source})`,
  };
}

/**
 * The in-process take-out every Spring Cloud registry supports: `POST /actuator/serviceregistry` with the
 * status the registry maps to "no traffic".
 *
 * @see https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/common-abstractions.html#service-registry-actuator-endpoint
 * @internal
 */
export function actuatorTakeOut(prop: string, ctx: RegistryContext, status: string): TakeOutPlan {
  if (ctx.actuatorPort === undefined) {
    throw invalidProp(prop, 'actuator take-out', 'needs a Spring Boot actuator (POST /actuator/serviceregistry), which GracefulService does not have',
      'use GracefulJavaService, or take the instance out through the registry\'s API (see the registry\'s props) or Registry.custom()');
  }
  return {
    description: `POST /actuator/serviceregistry {"status":"${status}"} on the management port ${ctx.actuatorPort} (in-process, Spring Cloud)`,
    call: {
      method: 'POST',
      url: `http://127.0.0.1:${ctx.actuatorPort}/actuator/serviceregistry`,
      body: JSON.stringify({ status }),
      contentType: 'application/json',
    },
  };
}

/**
 * A query string with every user value percent-encoded (so nothing can become a `$(VAR)` reference or
 * shell code); values given as `{ ref }` are trusted references such as `$(GRACEFUL_POD_IP)`.
 * @internal
 */
export function queryString(params: [string, string | { ref: string }][]): string {
  return params.map(([k, v]) => `${k}=${typeof v === 'string' ? encodeURIComponent(v) : v.ref}`).join('&');
}

/** A `$(VAR)` reference expanded by the kubelet. @internal */
export function ref(name: string): { ref: string } {
  return { ref: `$(${name})` };
}

/**
 * Checks a name the registry keys on (service name, group, namespace…).
 * @internal
 */
export function checkName(prop: string, value: unknown, example: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/.test(value)) {
    throw invalidProp(prop, show(value), 'must be 1–253 letters, digits, ".", "_", ":", "@" or "-", starting with a letter or digit',
      `give the name exactly as the registry shows it, e.g. ${JSON.stringify(example)}`);
  }
  return value;
}

/**
 * Checks a `host:port` address.
 * @internal
 */
export function checkHostPort(prop: string, value: unknown, example: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}$/.test(value) || Number(value.split(':')[1]) > 65535) {
    throw invalidProp(prop, show(value), 'must be host:port (no scheme, no path)', `give e.g. ${JSON.stringify(example)}`);
  }
  return value;
}

/**
 * Checks a base URL (http or https, no credentials, no query).
 * @internal
 */
export function checkBaseUrl(prop: string, value: unknown, example: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '' || /[\s$`"'\\]/.test(value as string)) {
    throw invalidProp(prop, show(value), 'must be an http(s) URL without query, fragment, quotes or "$"', `give e.g. ${JSON.stringify(example)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidProp(prop, '<URL with credentials>', 'carries credentials in plain text: they would be readable by anyone who can read the manifest',
      'remove user:password@ from the URL and give the credentials through a Secret (see the registry\'s auth props)');
  }
  return (value as string).replace(/\/+$/, '');
}

/**
 * Checks a Secret reference.
 * @internal
 */
export function checkSecret(prop: string, value: kplus.SecretValue | undefined): kplus.SecretValue {
  if (!value || typeof value !== 'object' || !value.secret || typeof value.key !== 'string' || value.key.length === 0) {
    throw invalidProp(prop, show(value), 'must be a Secret key: { secret, key }',
      'give e.g. { secret: kplus.Secret.fromSecretName(this, "NacosAuth", "nacos-auth"), key: "password" } — never the value itself');
  }
  return value;
}

/**
 * A props object (the registry's props, or a nested one such as `openApi`): `undefined` stays undefined
 * (the default applies), anything that is not a plain object is refused with the prop's name.
 * @internal
 */
export function readProps<T extends object>(prop: string, value: T | undefined, fix: string): T | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidProp(prop, show(value), 'must be an object of props', fix);
  }
  return value;
}
