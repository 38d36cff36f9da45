/*
 * Spring Boot `Duration` property values as manifests write them. Shared by the audit's model and the registry
 * modules (which read a foreign manifest's registry and load-balancer settings).
 */

/**
 * A Spring Boot `java.time.Duration` property value in seconds. `unitSeconds` is the property's unit for
 * bare numbers (milliseconds unless the property has `@DurationUnit`).
 *
 * @see https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.conversion.durations
 * @internal
 */
export function springDurationSeconds(value: string, unitSeconds = 0.001): number | undefined {
  const v = value.trim();
  const simple = /^([0-9]+)\s*(ns|us|ms|s|m|h|d)?$/i.exec(v);
  if (simple) {
    const n = Number(simple[1]);
    const unit = simple[2]?.toLowerCase();
    const factor = unit === undefined ? unitSeconds
      : { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 }[unit as 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd'];
    return n * factor;
  }
  const iso = /^P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?$/i.exec(v);
  if (iso && v.length > 1 && !/T$/i.test(v)) {
    return Number(iso[1] ?? 0) * 86400 + Number(iso[2] ?? 0) * 3600 + Number(iso[3] ?? 0) * 60 + Number(iso[4] ?? 0);
  }
  return undefined;
}
