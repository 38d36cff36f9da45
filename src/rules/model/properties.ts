import { springEnvName } from '../../spring/env';

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

  public add(key: string, source: PropertySource): void {
    const k = springEnvName(key);
    const list = this.byKey.get(k) ?? [];
    list.push(source);
    this.byKey.set(k, list);
  }

  /** The last source of a property (command-line arguments win over env in Spring; we keep insertion order). */
  public get(key: string): PropertySource | undefined {
    const list = this.byKey.get(springEnvName(key));
    return list?.[list.length - 1];
  }

  /** Every (normalized key, source) whose key starts with the normalized prefix. */
  public withPrefix(prefix: string): { key: string; source: PropertySource }[] {
    const p = springEnvName(prefix);
    const out: { key: string; source: PropertySource }[] = [];
    for (const [k, list] of this.byKey) {
      if (k === p || k.startsWith(p)) for (const s of list) out.push({ key: k, source: s });
    }
    return out;
  }

  public keys(): string[] {
    return [...this.byKey.keys()];
  }
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
    props.add(m[1], { value, where: `${where} ${m[0].trim()}`, path, fromSecret, unresolved: false });
  }
}

/**
 * Flattens `SPRING_APPLICATION_JSON` into props.
 * @internal
 */
export function collectJson(props: SpringProperties, json: string, path: string): void {
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
      props.add(prefix, { value: String(v), where: `env SPRING_APPLICATION_JSON ${prefix}`, path, fromSecret: false, unresolved: false });
    }
  };
  walk('', parsed);
}
