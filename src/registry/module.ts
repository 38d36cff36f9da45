import { RegistryBinding, RegistryContext } from './adapter';
import { FactRef } from './facts';
import { springEnvName } from '../spring/env';

/*
 * The contract every registry module implements (one file per registry, listed once in ./all.ts). A module is
 * the one place that knows a registry: the numbers it rests on (with their sources), how the constructs take
 * an instance out and what the application needs, how a foreign manifest shows that it uses the registry,
 * how long the news takes given the settings the manifest shows, what a take-out call looks like in a
 * preStop hook, which settings hold its credentials, and what its consumers must be configured with. The
 * constructs (`Registry._bind`) and the audit (src/rules/model) both read the list; neither has registry
 * names, patterns or formulas of its own. Internal: nothing here is public API.
 */

/**
 * A Spring property as a foreign manifest shows it. The audit's `SpringProperties` fits this shape; keys are
 * compared in Spring's environment form (`spring.cloud.nacos.discovery.server-addr` ≡
 * `SPRING_CLOUD_NACOS_DISCOVERY_SERVERADDR` ≡ `SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR` …).
 * @internal
 */
export interface ObservedProperty {
  readonly value: string;
  /** Where it was found, for messages (e.g. `env SPRING_CLOUD_CONSUL_HOST`). */
  readonly where: string;
  /** JSON path of the env entry or argv element. */
  readonly path: string;
}

/** The Spring properties of one container, in any relaxed spelling. @internal */
export interface ObservedProperties {
  get(key: string): ObservedProperty | undefined;
  withPrefix(prefix: string): { key: string; source: ObservedProperty }[];
  keys(): string[];
}

/** What the audit shows a registry module about one container. @internal */
export interface ObservedContainer {
  readonly props: ObservedProperties;
  /** The whole preStop hook as one text (empty or absent when it has none). */
  readonly preStopText?: string;
  /** Pod template annotations, then labels (either may be absent). */
  readonly podAnnotations?: { readonly [key: string]: unknown };
  readonly podLabels?: { readonly [key: string]: unknown };
}

/**
 * How a foreign manifest shows that a container uses the registry. Declarative, so that the audit evaluates it
 * (`recognise`) and docs/registries.md prints it from the same data.
 * @internal
 */
export interface Recognition {
  /** Property prefixes that are scanned, in this order (evidence is reported in that order). */
  readonly scan: readonly string[];
  /** Of the scanned keys, only these exact keys count … (absent with `includePrefixes`: every scanned key counts) */
  readonly includeKeys?: readonly string[];
  /** … and keys under these prefixes. */
  readonly includePrefixes?: readonly string[];
  /** Scanned keys under these prefixes are not discovery (e.g. config-only clients). */
  readonly ignorePrefixes?: readonly string[];
  /** Keys (environment form) that only describe metadata/tags: they count only with a hint (see `hint`). */
  readonly weakKeys?: RegExp;
  /** A weak key counts when this word is in `spring.profiles.active` or the image name. */
  readonly hint?: string;
  /** Properties that switch the registry client off when `false`. */
  readonly disabledBy?: readonly string[];
  /** Calls in the preStop hook that talk to this registry's API. */
  readonly preStopApis?: readonly { readonly pattern: RegExp; readonly evidence: string }[];
  /** A pod annotation (or label) that enables the registry's agent. */
  readonly podSwitch?: { readonly key: string; readonly value: string; readonly evidence: string };
  /**
   * Another registry found next to this one wins (e.g. an agent that sits on top of a registry client): a
   * container with this and exactly one other registry uses the other.
   */
  readonly yieldsToOthers?: boolean;
}

/** Evidence that one container uses one registry. @internal */
export interface RegistrySignals {
  /** Connection settings, take-out calls, agent switches: each says why, in the order found. */
  readonly strong: string[];
  /** Metadata / tags only. */
  readonly weak: string[];
  /** The manifest switches the client off. */
  readonly disabled: boolean;
}

/** One term of the registry → consumer propagation a manifest implies. @internal */
export interface ObservedTerms {
  readonly seconds: number;
  /** The terms with their numbers and where they come from, for messages. */
  readonly parts: string[];
}

/** What a take-out looks like in a foreign preStop hook. @internal */
export interface TakeOutShape {
  /** A URL or command text that matches any of these takes an instance out … */
  readonly calls: readonly RegExp[];
  /** … unless it matches one of these (e.g. a login before the take-out). */
  readonly notCalls?: readonly RegExp[];
  /** Requests that take out by method and URL (e.g. a bare DELETE of the instance). */
  readonly requests?: readonly { readonly method: string; readonly url: RegExp }[];
}

/** A setting consumers of the service must have. @internal */
export interface ConsumerSetting {
  /** Spring property, e.g. `spring.cloud.consul.discovery.query-passing`. */
  readonly property: string;
  readonly value: string;
  /** The client's own default when the property is absent, with where it is defined. */
  readonly default: { readonly value: string; readonly source: string };
  readonly why: string;
}

/** A Consul-style HTTP health check a manifest shows (port and path the registry calls). @internal */
export interface ObservedHttpCheck {
  readonly port: number;
  readonly path: string;
  /** The registry address the service registers with ('' when the manifest does not show it). */
  readonly registryAddress: string;
  readonly service: string;
}

/** A persistent (never auto-removed) registration a manifest shows. @internal */
export interface ObservedPersistentInstance {
  /** 'property': the application registers persistent instances; 'preStop': the hook addresses one. */
  readonly kind: 'property' | 'preStop';
  readonly where?: string;
  readonly path?: string;
}

/** The construct side of a module. @internal */
export interface ConstructSide {
  /** The `Registry` factory's kind (what `Registry._bind` dispatches on). */
  readonly kind: string;
  /** The factory, for docs, e.g. `Registry.nacos()`. */
  readonly factory: string;
  /** Rows of the registries table: a factory call and props (declared numbers are printed as such). */
  readonly docRows: readonly { readonly call: string; readonly props?: any; readonly declared?: boolean }[];
  /** Reads the factory's props (errors name the prop) and returns what the construct needs. */
  bind(props: any, ctx: RegistryContext): RegistryBinding;
}

/** The audit side of a module. @internal */
export interface AuditSide {
  readonly recognition?: Recognition;
  /** Properties under this namespace make a container a Spring (JVM) application. */
  readonly clientNamespace?: string;
  /** Images of the registry's own servers: never judged as applications. */
  readonly serverImages?: readonly RegExp[];
  readonly takeOut?: TakeOutShape;
  /** The agent takes the instance out itself: a preStop without a take-out is not reported. */
  readonly agentTakesOut?: boolean;
  /** The settings `propagation` reads from the manifest (for docs). */
  readonly propagationReads?: readonly string[];
  /** Setting keys (environment form, exact) that hold the registry's credentials. */
  readonly credentialKeys?: readonly string[];
  /** Settings (environment form, by prefix) that hold a URL which may carry `user:password@`. */
  readonly credentialUrlKeys?: { readonly pattern: RegExp; readonly what: string; readonly doc: string };
  /**
   * Registry → consumer propagation (before the consumers' own cache) from the registry's published defaults
   * and the settings the manifest shows. Absent: no published numbers, the audit computes no propagation.
   */
  propagation?(props: ObservedProperties): ObservedTerms;
  /** A registration that is never removed automatically, when the manifest shows one. */
  persistentInstance?(c: ObservedContainer): ObservedPersistentInstance | undefined;
  /** The HTTP check the registry makes of the instance (a reused pod IP could answer it). */
  httpCheck?(props: ObservedProperties, containerPorts: readonly unknown[], workloadName: string): ObservedHttpCheck | undefined;
}

/**
 * Everything about one registry.
 * @internal
 */
export interface RegistryModule {
  /** Kebab-case id; also the audit's registry name in messages (`it registers with nacos`). */
  readonly id: string;
  /** For messages and docs, e.g. `Nacos`. */
  readonly label: string;
  /** The published numbers the module uses, each with its source. */
  readonly facts: readonly FactRef[];
  /** Why the module has no published numbers, when it has none (e.g. the user declares them). */
  readonly noFacts?: string;
  /**
   * Settings every consumer of the service must have (the construct sets them on its own pods, which are
   * consumers too).
   */
  readonly consumerSettings?: readonly ConsumerSetting[];
  /** What consumers must do that is not one Spring property (e.g. healthy-only selection), for docs. */
  readonly consumerRequirements?: readonly string[];
  /** The construct side; absent for registries the audit recognises but the constructs reach through another module. */
  readonly construct?: ConstructSide;
  /** The module whose factory serves this registry in the constructs, when it has no construct side of its own. */
  readonly constructVia?: string;
  readonly audit: AuditSide;
  /** Why the audit has nothing of this module's own to recognise, when it has nothing. */
  readonly noAudit?: string;
}

/** A recognition's keys and prefixes in environment form. */
interface RecognitionKeys {
  readonly ignore: string[];
  readonly keys: string[];
  readonly prefixes: string[];
  readonly everything: boolean;
}

/** Converted once per recognition (an audit asks per container). */
function recognitionKeys(r: Recognition): RecognitionKeys {
  let k = recognitionKeysCache.get(r);
  if (k === undefined) {
    k = {
      ignore: (r.ignorePrefixes ?? []).map(springEnvName),
      keys: (r.includeKeys ?? []).map(springEnvName),
      prefixes: (r.includePrefixes ?? []).map(springEnvName),
      everything: r.includeKeys === undefined && r.includePrefixes === undefined,
    };
    recognitionKeysCache.set(r, k);
  }
  return k;
}
const recognitionKeysCache = new WeakMap<Recognition, RecognitionKeys>();

/**
 * The evidence a container shows for a module's registry.
 * @internal
 */
export function recognise(m: RegistryModule, c: ObservedContainer): RegistrySignals {
  const r = m.audit.recognition;
  if (r === undefined) return { strong: [], weak: [], disabled: false };
  const strong: string[] = [];
  const weak: string[] = [];
  const isFalse = (key: string) => c.props.get(key)?.value.trim().toLowerCase() === 'false';
  const disabled = (r.disabledBy ?? []).some(isFalse);
  const { ignore, keys, prefixes, everything } = recognitionKeys(r);
  for (const scan of r.scan) {
    for (const { key, source } of c.props.withPrefix(scan)) {
      if (ignore.some(p => key.startsWith(p))) continue;
      if (!everything && !keys.includes(key) && !prefixes.some(p => key.startsWith(p))) continue;
      (r.weakKeys?.test(key) ? weak : strong).push(source.where);
    }
  }
  if (c.preStopText) {
    for (const api of r.preStopApis ?? []) {
      if (api.pattern.test(c.preStopText)) strong.push(api.evidence);
    }
  }
  if (r.podSwitch) {
    const v = c.podAnnotations?.[r.podSwitch.key] ?? c.podLabels?.[r.podSwitch.key];
    if (typeof v === 'string' && v.toLowerCase() === r.podSwitch.value) strong.push(r.podSwitch.evidence);
  }
  return { strong, weak, disabled };
}

/** Whether a URL or command text takes an instance out of this module's registry. @internal */
export function takesOut(m: RegistryModule, text: string): boolean {
  return (m.audit.takeOut?.calls ?? []).some(p => p.test(text));
}

/** Whether a URL or command text is one of this module's calls that are never take-outs. @internal */
export function neverTakesOut(m: RegistryModule, text: string): boolean {
  return (m.audit.takeOut?.notCalls ?? []).some(p => p.test(text));
}

/** Whether a request (method and URL) takes an instance out of this module's registry. @internal */
export function takesOutByRequest(m: RegistryModule, method: string | undefined, url: string): boolean {
  return method !== undefined && (m.audit.takeOut?.requests ?? []).some(r => r.method === method && r.url.test(url));
}

/** Seconds from a whole-number property, or undefined. @internal */
export function wholeSeconds(p: ObservedProperty | undefined): number | undefined {
  return p && /^[0-9]+$/.test(p.value.trim()) ? Number(p.value.trim()) : undefined;
}
