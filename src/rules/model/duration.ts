export { springDurationSeconds } from '../../spring/duration';

/*
 * Durations as they appear in manifests: `sleep` operands (GNU coreutils and busybox: a number with an
 * optional s/m/h/d suffix, several operands add up) and Spring Boot `Duration` properties (`30s`, `PT30S`,
 * a bare number meaning milliseconds unless the property declares another unit; in src/spring/duration.ts,
 * shared with the registry modules).
 */

/**
 * Seconds of one `sleep` operand (`30`, `30s`, `1.5m`, `infinity`), or undefined when it is not a literal.
 * @internal
 */
export function sleepOperandSeconds(operand: string): number | undefined {
  if (/^inf(inity)?$/i.test(operand)) return Infinity;
  const m = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([smhd]?)$/.exec(operand);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { '': 1, 's': 1, 'm': 60, 'h': 3600, 'd': 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return n * unit;
}

/**
 * Seconds for messages: whole numbers as they are, else up to 3 decimals.
 * @internal
 */
export function fmt(seconds: number): string {
  if (seconds === Infinity) return 'forever';
  return `${Number.isInteger(seconds) ? seconds : +seconds.toFixed(3)} s`;
}
