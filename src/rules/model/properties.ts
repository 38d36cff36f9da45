import { remembered } from '../../memo';
import { springEnvName as toSpringEnvName, springLegacyEnvName } from '../../spring/env';

/* An audit converts the same few property names for every container: each conversion is remembered (bounded). */
const springEnvName = remembered(toSpringEnvName);
const legacyNames = remembered(springLegacyEnvName);

const NO_KEYS: ReadonlyMap<string, string> = new Map();
const canonicalMaps = new WeakMap<readonly string[], ReadonlyMap<string, string>>();

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
  /** Environment-form key → its sources, each with its insertion number. */
  private readonly byKey = new Map<string, { source: PropertySource; seq: number }[]>();
  private count = 0;
  /** Legacy spelling → canonical spelling of the keys the caller can name (shared by every container: see knowKeys). */
  private canonical: ReadonlyMap<string, string> = NO_KEYS;

  public add(key: string, source: PropertySource): void {
    const k = springEnvName(key);
    const entry = { source, seq: this.count++ };
    const list = this.byKey.get(k);
    if (list) list.push(entry);
    else this.byKey.set(k, [entry]);
  }

  /**
   * The last source of a property (command-line arguments win over env in Spring; we keep insertion order),
   * in either environment spelling Spring binds: `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE` or the legacy
   * `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE` (each `-` as `_`).
   */
  public get(key: string): PropertySource | undefined {
    const k = springEnvName(key);
    const legacy = legacyEnvName(key);
    // the source added last, of the canonical and the legacy spelling
    let last: { source: PropertySource; seq: number } | undefined;
    for (const e of this.byKey.get(k) ?? []) if (last === undefined || e.seq >= last.seq) last = e;
    if (legacy !== k) for (const e of this.byKey.get(legacy) ?? []) if (last === undefined || e.seq >= last.seq) last = e;
    return last?.source;
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
    this.byKey.forEach((list, k) => {
      if (!k.startsWith(p) && !k.startsWith(lp)) return;
      const key = this.canonical.get(k) ?? k;
      for (let i = 0; i < list.length; i++) out.push({ key, source: list[i].source });
    });
    return out;
  }

  /**
   * Names (property form) whose legacy environment spelling should be reported in the canonical form by
   * `withPrefix` (e.g. `spring.cloud.nacos.server-addr`, which a registry module compares exactly). The mapping
   * is built once per list (the audit gives every container the same list).
   */
  public knowKeys(keys: readonly string[]): void {
    let map = canonicalMaps.get(keys);
    if (map === undefined) {
      const built = new Map<string, string>();
      for (const key of keys) {
        const legacy = legacyEnvName(key);
        if (legacy !== springEnvName(key)) built.set(legacy, springEnvName(key));
      }
      map = built;
      canonicalMaps.set(keys, map);
    }
    this.canonical = map;
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
  return legacyNames(key);
}

/** `-Dkey=value` and `--key=value` tokens in a string. */
const TOKEN = /(?:^|[\s"'])(?:-D|--)([A-Za-z][A-Za-z0-9_.\-[\]]*)=("[^"]*"|'[^']*'|[^\s"']*)/g;

/**
 * Collects `-D`/`--` property tokens from a text into props.
 * @internal
 */
export function collectTokens(props: SpringProperties, text: string, where: string, path: string, fromSecret = false): void {
  if (!text.includes('-')) return; // every token starts with -D or --
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
