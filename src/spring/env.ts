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
   * For comma-separated list defaults the user may replace: the entries the library needs, which the
   * user's value must still contain (e.g. actuator endpoints the preStop hook calls).
   */
  readonly mustInclude?: { readonly items: string[]; readonly why: string };
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
 * The merge rule for environment variables, in one place:
 *
 * 1. Variables the library **owns** (their values come from the shutdown budget, the ports or the probes)
 *    cannot be set through `envVariables`, under any spelling Spring would bind to the same property
 *    (`SERVER_SHUTDOWN`, `server.shutdown`, `Server_Shutdown` …): that is an error naming the prop to
 *    change instead.
 * 2. Every other variable is the user's: a user value replaces the library's default of the same name
 *    (e.g. `JAVA_TOOL_OPTIONS`), and the library never overwrites a user value.
 * 3. Order: the library's variables first (in a fixed order), then the user's in the order given.
 * 4. The library's values are written for the kubelet ({@link kubeletValue}): literal unless marked
 *    `references`. The user's values are written as given: `$(VAR)` in them is the user's own reference.
 *
 * @internal
 */
export function mergeEnv(managed: ManagedVariable[], user: { [key: string]: string } | undefined, prop = 'envVariables'): EnvEntry[] {
  const userEntries = Object.entries(user ?? {});
  for (const [name, value] of userEntries) {
    if (typeof value !== 'string') {
      throw invalidProp(`${prop}.${name}`, show(value), 'must be a string', 'quote the value, e.g. "true" or "8080"');
    }
  }
  const userByNorm = new Map(userEntries.map(([name]) => [springEnvName(name), name]));
  const out: EnvEntry[] = [];
  for (const m of managed) {
    const clash = userByNorm.get(springEnvName(m.name));
    if (clash !== undefined) {
      if (m.fixed !== undefined) {
        throw invalidProp(`${prop}.${clash}`, show(user![clash]),
          `sets ${m.name}, which must be ${m.value}: ${m.fixed.why}`, m.fixed.fix);
      }
      if (m.owner !== undefined) {
        throw invalidProp(`${prop}.${clash}`, show(user![clash]),
          `sets ${m.name}, which this construct derives (${m.name}=${m.value}) from '${m.owner}'`,
          `remove it from ${prop} and set '${m.owner}' instead`);
      }
      if (m.mustInclude !== undefined) {
        const given = user![clash].split(',').map(x => x.trim());
        const missing = m.mustInclude.items.filter(i => !given.includes(i) && !given.includes('*'));
        if (missing.length > 0) {
          throw invalidProp(`${prop}.${clash}`, show(user![clash]), `leaves out ${missing.join(', ')}: ${m.mustInclude.why}`,
            `add ${missing.join(',')} to it (e.g. "${[...given, ...missing].join(',')}"), or remove it from ${prop} for the default "${m.value}"`);
        }
      }
      continue; // the user's value replaces the default
    }
    out.push(m.valueFrom ? { name: m.name, value: m.value, valueFrom: m.valueFrom } : { name: m.name, value: kubeletValue(m.value, m.references) });
  }
  for (const [name, value] of userEntries) {
    out.push({ name, value });
  }
  return out;
}
