import * as kplus from 'cdk8s-plus-28';
import { invalidProp } from '../errors';

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
 *
 * @internal
 */
export function mergeEnv(managed: ManagedVariable[], user: { [key: string]: string } | undefined, prop = 'envVariables'): EnvEntry[] {
  const userEntries = Object.entries(user ?? {});
  for (const [name, value] of userEntries) {
    if (typeof value !== 'string') {
      throw invalidProp(`${prop}.${name}`, JSON.stringify(value), 'must be a string', 'quote the value, e.g. "true" or "8080"');
    }
  }
  const userByNorm = new Map(userEntries.map(([name]) => [springEnvName(name), name]));
  const out: EnvEntry[] = [];
  for (const m of managed) {
    const clash = userByNorm.get(springEnvName(m.name));
    if (clash !== undefined) {
      if (m.fixed !== undefined) {
        throw invalidProp(`${prop}.${clash}`, JSON.stringify(user![clash]),
          `sets ${m.name}, which must be ${m.value}: ${m.fixed.why}`, m.fixed.fix);
      }
      if (m.owner !== undefined) {
        throw invalidProp(`${prop}.${clash}`, JSON.stringify(user![clash]),
          `sets ${m.name}, which this construct derives (${m.name}=${m.value}) from '${m.owner}'`,
          `remove it from ${prop} and set '${m.owner}' instead`);
      }
      if (m.mustInclude !== undefined) {
        const given = user![clash].split(',').map(x => x.trim());
        const missing = m.mustInclude.items.filter(i => !given.includes(i) && !given.includes('*'));
        if (missing.length > 0) {
          throw invalidProp(`${prop}.${clash}`, JSON.stringify(user![clash]), `leaves out ${missing.join(', ')}: ${m.mustInclude.why}`,
            `add ${missing.join(',')} to it (e.g. "${[...given, ...missing].join(',')}"), or remove it from ${prop} for the default "${m.value}"`);
        }
      }
      continue; // the user's value replaces the default
    }
    out.push(m.valueFrom ? { name: m.name, value: m.value, valueFrom: m.valueFrom } : { name: m.name, value: m.value });
  }
  for (const [name, value] of userEntries) {
    out.push({ name, value });
  }
  return out;
}
