import * as kplus from 'cdk8s-plus-28';
import { invalidProp, show } from '../errors';
import { HOST_IP_VAR, POD_IP_VAR, POD_NAME_VAR } from '../registry/adapter';

/**
 * Where a variable's value comes from when it is not a literal: a pod field (downward API) or a Secret key.
 * @internal
 */
export interface EnvSource {
  readonly fieldPath?: string;
  readonly secret?: kplus.SecretValue;
}

/**
 * A variable as emitted.
 * @internal
 */
export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  readonly valueFrom?: EnvSource;
}

/**
 * An environment variable the library sets, and whether the user may replace it.
 * @internal
 */
export interface ManagedVariable {
  readonly name: string;
  readonly value: string;
  /**
   * Owned variables carry numbers the shutdown budget or the probes depend on: the user must change the
   * named prop instead. Defaults may be replaced by the user's `envVariables`.
   */
  readonly owner?: string;
  /**
   * For owned variables that no prop controls: why the value is fixed, and what to do instead.
   */
  readonly fixed?: { readonly why: string; readonly fix: string };
  /** The value comes from a pod field or a Secret (then `value` is empty). */
  readonly valueFrom?: EnvSource;
  /**
   * For comma-separated list defaults the user may give: the entries the library needs (e.g. actuator
   * endpoints the probes and the preStop hook call), which are added to the user's list.
   */
  readonly mustInclude?: { readonly items: string[]; readonly why: string };
  /**
   * With `mustInclude`: the library needs nothing set (the application's default already holds the entries),
   * so the variable is emitted only to complete a list the user gives.
   */
  readonly mergeOnly?: boolean;
  /**
   * The value carries the library's own references (`$(GRACEFUL_POD_IP)`, `$(GRACEFUL_POD_NAME)`,
   * `$(GRACEFUL_HOST_IP)`) for the kubelet to expand; every other `$` in it is still written literally.
   * Without it the whole value is literal (see {@link kubeletValue}).
   */
  readonly references?: boolean;
  /**
   * The variable sets a wait the process makes after SIGTERM, before it drains (a registry client's own
   * graceful-shutdown sleep). The library's value switches it off; a user value (in `unit`s) keeps it, and
   * the shutdown budget then adds it. `what` names the wait in the explanation, `source` cites it.
   */
  readonly inProcessWait?: { readonly unitMs: number; readonly what: string; readonly source: string };
}

/**
 * The library's own `$(VAR)` references: downward-API variables it defines first in the container's env
 * (src/prestop downwardEnv). The only references a value the library writes may carry.
 * @internal
 */
export const TRUSTED_REFERENCES: readonly string[] = [POD_IP_VAR, POD_NAME_VAR, HOST_IP_VAR];

/**
 * A value as the library writes it into a container's `env[].value`, in one place. The kubelet expands
 * `$(VAR)` in env values (and `$$` is a literal `$`), so a literal value is written with every `$` doubled:
 * a name, a request body or a token given as `$(SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD)` or `$$5` reaches
 * the container exactly as given. A value marked `references` keeps the library's own
 * {@link TRUSTED_REFERENCES} expandable and doubles every other `$`.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 * @internal
 */
export function kubeletValue(value: string, references = false): string {
  if (!references) {
    return value.replace(/\$/g, '$$$$');
  }
  const trusted = new RegExp(`(\\$\\((?:${TRUSTED_REFERENCES.join('|')})\\))`);
  return value.split(trusted).map((part, i) => (i % 2 === 1 ? part : part.replace(/\$/g, '$$$$'))).join('');
}

/**
 * The names a value refers to as the kubelet reads it (k8s.io/kubernetes
 * third_party/forked/golang/expansion): `$$` is a literal `$`, `$(NAME)` a reference, anything else text.
 * @internal
 */
export function kubeletReferences(value: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < value.length - 1; i++) {
    if (value[i] !== '$') continue;
    if (value[i + 1] === '(') {
      const close = value.indexOf(')', i + 2);
      if (close >= 0) {
        names.push(value.slice(i + 2, close));
        i = close;
        continue;
      }
    }
    i++; // `$$`, an unclosed `$(` or `$x`: the two characters are text
  }
  return names;
}

/**
 * Spring Boot's relaxed binding from environment variables: upper case, `.` → `_`, `-` removed
 * (`spring.lifecycle.timeout-per-shutdown-phase` → `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE`).
 *
 * @see https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.relaxed-binding.environment-variables
 * @internal
 */
export function springEnvName(key: string): string {
  return key.replace(/\./g, '_').replace(/-/g, '').toUpperCase();
}

/**
 * The legacy variable name Spring Boot also reads for a property, after the canonical one
 * ({@link springEnvName}): upper case, each `.` and `-` an `_`
 * (`spring.lifecycle.timeout-per-shutdown-phase` → `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE`).
 *
 * @see https://github.com/spring-projects/spring-boot/blob/main/spring-boot-project/spring-boot/src/main/java/org/springframework/boot/context/properties/source/SystemEnvironmentPropertyMapper.java
 * @internal
 */
export function springLegacyEnvName(property: string): string {
  return property.replace(/[.-]/g, '_').toUpperCase();
}

/**
 * Whether Spring Boot binds the variable `given` to the same property as the library's `managed` variable
 * (written in the canonical form {@link springEnvName}, whose `_` separate the property's elements).
 *
 * Spring Boot's `SystemEnvironmentPropertyMapper` maps a property to two variable names and reads the first
 * that is set: the canonical one (`SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE`, dashes dropped) and the legacy
 * one (`SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE`, each dash an underscore); a variable spelled as the
 * property itself (`spring.lifecycle.timeout-per-shutdown-phase`, any case) binds too. So `given` is the
 * same property when its words, split at `.`, `_` and `-` and compared without case, join up into the
 * managed name's elements in order: `SERVER_SHUTDOWN`, `server.shutdown`, `Server_Shutdown`,
 * `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE` and `spring.lifecycle.timeout-per-shutdown-phase` are all
 * `SERVER_SHUTDOWN` / `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE`; `SERVERSHUTDOWN` is not.
 *
 * @see https://github.com/spring-projects/spring-boot/blob/main/spring-boot-project/spring-boot/src/main/java/org/springframework/boot/context/properties/source/SystemEnvironmentPropertyMapper.java
 * @internal
 */
export function sameSpringProperty(given: string, managed: string): boolean {
  const words = given.toUpperCase().split(/[._-]+/).filter(w => w.length > 0);
  const elements = managed.toUpperCase().split('_').filter(e => e.length > 0);
  let w = 0;
  for (const element of elements) {
    let joined = '';
    while (joined.length < element.length && w < words.length) {
      joined += words[w++];
    }
    if (joined !== element) return false;
  }
  return w === words.length;
}

/** The variable Spring Boot reads inline JSON properties from (it overrides every other variable). */
const APPLICATION_JSON = 'SPRING_APPLICATION_JSON';

/**
 * The properties an inline `SPRING_APPLICATION_JSON` sets, flattened as Spring Boot flattens them (nested
 * objects joined with `.`, list items as `[i]`; a list is also kept whole, as a comma-separated value).
 * @see https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.application-json
 */
function jsonProperties(prop: string, text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidProp(prop, show(text), `is not JSON (${(e as Error).message}); Spring Boot fails at start`,
      'give a JSON object, e.g. \'{"spring":{"application":{"name":"orders"}}}\'');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidProp(prop, show(text), 'must be a JSON object of properties', 'give e.g. \'{"spring":{"application":{"name":"orders"}}}\'');
  }
  const out = new Map<string, string>();
  const walk = (key: string, value: unknown) => {
    if (Array.isArray(value)) {
      out.set(key, value.map(v => String(v)).join(','));
      value.forEach((v, i) => walk(`${key}[${i}]`, v));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(key === '' ? k : `${key}.${k}`, v);
    } else if (key !== '') {
      out.set(key, value === null ? '' : String(value));
    }
  };
  walk('', parsed);
  return out;
}

/** The same setting: Spring binds values without regard to surrounding space or case (`Graceful`, `TRUE`). */
function sameValue(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A comma-separated list's entries. */
function listItems(value: string): string[] {
  return value.split(',').map(x => x.trim()).filter(x => x.length > 0);
}

/**
 * The merge rule for environment variables, in one place. A user's variable is matched to the library's
 * under every spelling Spring binds to the same property ({@link sameSpringProperty}), and inside an inline
 * `SPRING_APPLICATION_JSON` too, so that the container never carries two spellings of one property with
 * Spring reading the library's:
 *
 * 1. Variables the library **owns** (their values come from the shutdown budget, the ports or the probes):
 *    a user value that differs is an error naming both spellings and the prop to change instead; the same
 *    value (`server.shutdown=graceful`) is accepted and emitted once, in the library's spelling.
 * 2. Lists the library needs entries in (`mustInclude`, e.g. the actuator exposure): the user's list is kept
 *    and the missing entries are added to it (`*` stays `*`); in `SPRING_APPLICATION_JSON`, which Spring
 *    reads before every variable, a list that leaves an entry out is an error.
 * 3. Every other variable is the user's: a user value replaces the library's default (e.g.
 *    `JAVA_TOOL_OPTIONS`), and the library never overwrites a user value.
 * 4. Two spellings of one property in the user's own variables are an error.
 * 5. Order: the library's variables first (in a fixed order), then the user's in the order given.
 * 6. The library's values are written for the kubelet ({@link kubeletValue}): literal unless marked
 *    `references`. The user's values are written as given: `$(VAR)` in them is the user's own reference.
 *
 * @see https://docs.spring.io/spring-boot/reference/features/external-config.html (SPRING_APPLICATION_JSON
 *   comes after OS environment variables in the order of precedence, so it overrides them)
 * @internal
 */
export function mergeEnv(managed: ManagedVariable[], user: { [key: string]: string } | undefined, prop = 'envVariables',
  argv: { [prop: string]: string[] | undefined } = {}): EnvEntry[] {
  const userEntries = Object.entries(user ?? {});
  for (const [name, value] of userEntries) {
    if (typeof value !== 'string') {
      throw invalidProp(`${prop}.${name}`, show(value), 'must be a string', 'quote the value, e.g. "true" or "8080"');
    }
  }
  checkArgvProperties(managed, argvSources(managed, userEntries, prop, argv));
  const jsonEntries = userEntries.filter(([name]) => sameSpringProperty(name, APPLICATION_JSON));
  if (jsonEntries.length > 1) {
    throw invalidProp(`${prop}.${jsonEntries[1][0]}`, show(jsonEntries[1][1]), `is ${jsonEntries[0][0]} in another spelling`, 'keep one of them');
  }
  const json = jsonEntries.length === 1 ? { name: jsonEntries[0][0], props: jsonProperties(`${prop}.${jsonEntries[0][0]}`, jsonEntries[0][1]) } : undefined;
  const userValues = new Map(userEntries);
  const dropped = new Set<string>();
  const out: EnvEntry[] = [];
  for (const m of managed) {
    const clashes = userEntries.filter(([name]) => sameSpringProperty(name, m.name));
    if (clashes.length > 1) {
      throw invalidProp(`${prop}.${clashes[1][0]}`, show(clashes[1][1]),
        `and ${prop}.${clashes[0][0]} (${show(clashes[0][1])}) set the same Spring property (${m.name}); Spring reads only one of them`,
        `keep one of them${m.owner ? ` (or neither: this construct derives ${m.name} from '${m.owner}')` : ''}`);
    }
    const jsonKey = json ? [...json.props.keys()].find(k => sameSpringProperty(k, m.name)) : undefined;
    let emitOurs = true;
    if (clashes.length === 1) {
      const [name, value] = clashes[0];
      emitOurs = mergeOne(m, `${prop}.${name}`, name, value, prop, {
        keep: () => dropped.add(name),
        merged: v => userValues.set(name, v),
      });
    }
    if (json && jsonKey !== undefined) {
      const jsonProp = `${prop}.${json.name}`;
      emitOurs = mergeJson(m, jsonProp, jsonKey, json.props.get(jsonKey)!, prop) && emitOurs;
    }
    if (emitOurs && !(m.mergeOnly && clashes.length === 0)) {
      out.push(m.valueFrom ? { name: m.name, value: m.value, valueFrom: m.valueFrom } : { name: m.name, value: kubeletValue(m.value, m.references) });
    }
  }
  for (const [name] of userEntries) {
    if (!dropped.has(name)) out.push({ name, value: userValues.get(name)! });
  }
  return out;
}

/** Variables whose value the JVM itself reads as options (`-Dkey=value` is a system property there). */
const JVM_OPTION_VARIABLES = ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS'];

/** `-Dkey=value` and `--key=value` tokens in a text (an argv element, a shell script, JVM options). */
const PROPERTY_TOKEN = /(?:^|[\s"'])(-D|--)([A-Za-z][A-Za-z0-9_.\-[\]]*)=("[^"]*"|'[^']*'|[^\s"']*)/g;

/** Where Spring properties can be given besides env: the command and args, and the JVM's option variables. */
function argvSources(managed: ManagedVariable[], userEntries: [string, string][], prop: string,
  argv: { [prop: string]: string[] | undefined }): { where: string; text: string }[] {
  const sources: { where: string; text: string }[] = [];
  for (const [name, list] of Object.entries(argv)) {
    (list ?? []).forEach((text, i) => {
      if (typeof text === 'string') sources.push({ where: `${name}[${i}]`, text });
    });
  }
  for (const [name, value] of userEntries) {
    if (JVM_OPTION_VARIABLES.includes(name)) sources.push({ where: `${prop}.${name}`, text: value });
  }
  for (const m of managed) {
    if (JVM_OPTION_VARIABLES.includes(m.name) && !userEntries.some(([n]) => n === m.name)) sources.push({ where: `jvmOptions (${m.name})`, text: m.value });
  }
  return sources;
}

/**
 * A managed property given as `-Dkey=value` (a system property) or `--key=value` (a command-line argument):
 * Spring reads both before every environment variable, so the library's value would be ignored. A different
 * value is an error; the same value, or a list holding the library's entries, is accepted.
 * @see https://docs.spring.io/spring-boot/reference/features/external-config.html
 */
function checkArgvProperties(managed: ManagedVariable[], sources: { where: string; text: string }[]): void {
  const spring = managed.filter(m => !/^GRACEFUL_/.test(m.name) && (m.fixed !== undefined || m.owner !== undefined || m.mustInclude !== undefined));
  for (const source of sources) {
    PROPERTY_TOKEN.lastIndex = 0;
    let t: RegExpExecArray | null;
    while ((t = PROPERTY_TOKEN.exec(source.text)) !== null) {
      const [token, , key, raw] = t;
      const value = raw.replace(/^["']|["']$/g, '');
      const m = spring.find(v => sameSpringProperty(key, v.name));
      if (m === undefined) continue;
      const shown = token.trim().replace(/^["']/, '');
      if (m.mustInclude !== undefined && m.fixed === undefined && m.owner === undefined) {
        const given = listItems(value);
        const missing = given.includes('*') ? [] : m.mustInclude.items.filter(i => !given.includes(i));
        if (missing.length > 0) {
          throw invalidProp(source.where, show(shown), `sets ${key}, which Spring reads before ${m.name}, and leaves out ${missing.join(', ')}: ${m.mustInclude.why}`,
            `add them (e.g. "${[...given, ...missing].join(',')}"), or remove it and give the list in envVariables (the construct adds its entries)`);
        }
        continue;
      }
      if (m.valueFrom === undefined && sameValue(value, m.value)) continue;
      throw invalidProp(source.where, show(shown),
        `sets ${key}, which Spring reads before ${m.name}=${m.valueFrom ? '<from a Secret or pod field>' : m.value} `
        + `(${m.fixed !== undefined ? m.fixed.why : `derived from '${m.owner}'`})`,
        m.fixed !== undefined ? `remove it; ${m.fixed.fix}` : `remove it and set '${m.owner}' instead`);
    }
  }
}

/**
 * One of the user's variables that sets a managed property: an error, the library's spelling kept (same
 * value; the user's dropped), the user's list with the missing entries added, or the user's value.
 * @returns whether the library's variable is still emitted
 */
function mergeOne(m: ManagedVariable, where: string, name: string, value: string, prop: string,
  act: { keep: () => void; merged: (value: string) => void }): boolean {
  const spelling = name === m.name ? m.name : `${m.name} in another spelling (Spring binds ${name} and ${m.name} to the same property)`;
  if (m.fixed !== undefined || m.owner !== undefined) {
    if (m.valueFrom === undefined && sameValue(value, m.value)) {
      act.keep(); // the value the construct sets anyway: emitted once, in the library's spelling
      return true;
    }
    if (m.fixed !== undefined) {
      throw invalidProp(where, show(value), `sets ${spelling}, which must be ${m.value}: ${m.fixed.why}`, m.fixed.fix);
    }
    throw invalidProp(where, show(value),
      `sets ${spelling}, which this construct derives (${m.name}=${m.valueFrom ? '<from a Secret or pod field>' : m.value}) from '${m.owner}'`,
      `remove ${name} from ${prop} and set '${m.owner}' instead`);
  }
  if (m.mustInclude !== undefined) {
    const given = listItems(value);
    const missing = given.includes('*') ? [] : m.mustInclude.items.filter(i => !given.includes(i));
    if (missing.length > 0) {
      act.merged(`${value.replace(/[\s,]+$/, '')}${given.length > 0 ? ',' : ''}${missing.join(',')}`);
    }
    return false; // one spelling: the user's, holding both lists
  }
  return false; // the user's value replaces the default
}

/**
 * A managed property set inside `SPRING_APPLICATION_JSON`, which Spring reads before every variable: an
 * error unless it is the value the construct sets anyway, or a list holding the entries the library needs.
 * @returns whether the library's variable is still emitted
 */
function mergeJson(m: ManagedVariable, where: string, key: string, value: string, prop: string): boolean {
  if (m.fixed !== undefined || m.owner !== undefined) {
    if (m.valueFrom === undefined && sameValue(value, m.value)) return true;
    const fix = m.fixed !== undefined ? `remove "${key}" from it; ${m.fixed.fix}` : `remove "${key}" from it and set '${m.owner}' instead`;
    throw invalidProp(where, show(`${key}=${value}`),
      `sets ${key}, which Spring reads before ${m.name}=${m.valueFrom ? '<from a Secret or pod field>' : m.value} `
      + `(${m.fixed !== undefined ? m.fixed.why : `derived from '${m.owner}'`})`, fix);
  }
  if (m.mustInclude !== undefined) {
    const given = listItems(value);
    const missing = given.includes('*') ? [] : m.mustInclude.items.filter(i => !given.includes(i));
    if (missing.length > 0) {
      throw invalidProp(where, show(`${key}=${value}`), `leaves out ${missing.join(', ')}: ${m.mustInclude.why}`,
        `add them to "${key}" (e.g. "${[...given, ...missing].join(',')}"), or remove "${key}" from it (then ${m.name} is merged with ${prop})`);
    }
  }
  return false; // Spring reads the JSON's value: the library's default would be dead
}
