import { springEnvName as toSpringEnvName } from '../../spring/env';

/* An audit converts the same few property names for every container: each conversion is remembered (bounded). */
const MEMO_LIMIT = 10_000;
const envNames = new Map<string, string>();
const legacyNames = new Map<string, string>();

function memo(cache: Map<string, string>, key: string, convert: (key: string) => string): string {
  let out = cache.get(key);
  if (out === undefined) {
    out = convert(key);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(key, out);
  }
  return out;
}

function springEnvName(key: string): string {
  return memo(envNames, key, toSpringEnvName);
}

/**
 * Where a Spring property was found in a container.
 * @internal
 */
export interface PropertySource {
  /** The value as written (after resolving `$(VAR)` only where Kubernetes would). */
  readonly value: string;
  /** e.g. `env SPRING_CLOUD_NACOS_DISCOVERY_SERVER_ADDR`, `args --spring.cloud…`, `env JAVA_OPTS -D…`. */
  readonly where: string;
  /** JSON path of the env entry or argv element it came from. */
  readonly path: string;
  /** true when the value comes from a Secret (valueFrom.secretKeyRef / envFrom secretRef). */
  readonly fromSecret: boolean;
  /** true when the value is a reference whose value the manifest does not show (configMapKeyRef, fieldRef …). */
  readonly unresolved: boolean;
  /** The env variable's name, when it is one. */
  readonly envName?: string;
}

/**
 * The Spring configuration a container's manifest shows: environment variables (Spring's relaxed binding,
 * also dotted names), `SPRING_APPLICATION_JSON`, and `-Dkey=value` / `--key=value` tokens in the command,
 * the args and any env value (JAVA_OPTS, PROJECT_ARGUMENTS …). Keys are compared in Spring's environment
 * form (`SPRING_CLOUD_NACOS_DISCOVERY_SERVERADDR`).
 * @internal
 */
export class SpringProperties {
  private readonly byKey = new Map<string, PropertySource[]>();
  private readonly order = new Map<PropertySource, number>();
  private readonly canonical = new Map<string, string>();

  public add(key: string, source: PropertySource): void {
    const k = springEnvName(key);
    const list = this.byKey.get(k) ?? [];
    this.order.set(source, this.order.size);
    list.push(source);
    this.byKey.set(k, list);
  }

  /**
   * The last source of a property (command-line arguments win over env in Spring; we keep insertion order),
   * in either environment spelling Spring binds: `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE` or the legacy
   * `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE` (each `-` as `_`).
   */
  public get(key: string): PropertySource | undefined {
    const k = springEnvName(key);
    const legacy = legacyEnvName(key);
    // the source added last (the last of the canonical then the legacy list, stably sorted by insertion order)
    let last: PropertySource | undefined;
    const consider = (list: PropertySource[] | undefined): void => {
      for (const s of list ?? []) {
        if (last === undefined || this.order.get(s)! >= this.order.get(last)!) last = s;
      }
    };
    consider(this.byKey.get(k));
    if (legacy !== k) consider(this.byKey.get(legacy));
    return last;
  }

  /**
   * Every (key, source) whose key starts with the prefix, in either environment spelling Spring binds; keys are
   * given in the canonical form (`SPRING_CLOUD_NACOS_SERVERADDR`) when the legacy spelling of a key the
   * caller can name (`knownKeys`) was used.
   */
  public withPrefix(prefix: string): { key: string; source: PropertySource }[] {
    const p = springEnvName(prefix);
    const lp = legacyEnvName(prefix);
    const out: { key: string; source: PropertySource }[] = [];
    for (const [k, list] of this.byKey) {
      if (k === p || k.startsWith(p) || k === lp || k.startsWith(lp)) for (const s of list) out.push({ key: this.canonical.get(k) ?? k, source: s });
    }
    return out;
  }

  /**
   * Names (property form) whose legacy environment spelling should be reported in the canonical form by
   * `withPrefix` (e.g. `spring.cloud.nacos.server-addr`, which a registry module compares exactly).
   */
  public knowKeys(keys: readonly string[]): void {
    for (const key of keys) {
      const legacy = legacyEnvName(key);
      if (legacy !== springEnvName(key)) this.canonical.set(legacy, springEnvName(key));
    }
  }


  public keys(): string[] {
    return [...this.byKey.keys()];
  }
}

/**
 * Spring Boot's legacy environment name of a property: each element upper-cased with `-` as `_`
 * (`spring.lifecycle.timeout-per-shutdown-phase` → `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE`), which Spring
 * binds next to the canonical `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE`.
 * @see https://github.com/spring-projects/spring-boot/blob/0128fc4b3039857b801eedb84fae1ec73f279ad0/spring-boot-project/spring-boot/src/main/java/org/springframework/boot/context/properties/source/SystemEnvironmentPropertyMapper.java#L83-L95 (convertLegacyName)
 * @internal
 */
export function legacyEnvName(key: string): string {
  return memo(legacyNames, key, k => k.replace(/\./g, '_').replace(/-/g, '_').toUpperCase());
}

/** `-Dkey=value` and `--key=value` tokens in a string. */
const TOKEN = /(?:^|[\s"'])(?:-D|--)([A-Za-z][A-Za-z0-9_.\-[\]]*)=("[^"]*"|'[^']*'|[^\s"']*)/g;

/**
 * Collects `-D`/`--` property tokens from a text into props.
 * @internal
 */
export function collectTokens(props: SpringProperties, text: string, where: string, path: string, fromSecret = false): void {
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) {
    const value = m[2].replace(/^["']|["']$/g, '');
    // a value from a Secret is never shown: only the key
    const shown = fromSecret ? `${m[0].trim().replace(/=.*$/, '')}=<from a Secret>` : m[0].trim();
    props.add(m[1], { value, where: `${where} ${shown}`, path, fromSecret, unresolved: false });
  }
}

/**
 * Flattens `SPRING_APPLICATION_JSON` into props.
 * @internal
 */
export function collectJson(props: SpringProperties, json: string, path: string, fromSecret = false): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return;
  }
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v as object)) walk(prefix ? `${prefix}.${k}` : k, child);
    } else if (prefix && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      props.add(prefix, { value: String(v), where: `env SPRING_APPLICATION_JSON ${prefix}`, path, fromSecret, unresolved: false });
    }
  };
  walk('', parsed);
}
