import { redact, redactValue } from './redact';

/**
 * A configuration error found at synth time.
 *
 * Every message names the prop, the value it was given (with units), why it is wrong and how to fix it;
 * credentials in it are replaced with `<redacted>`.
 * Constructs prefix the message with their construct path, in the `[path] message` form cdk8s uses for
 * validation errors, so the error points at the user's own code rather than at a stack frame inside this
 * library.
 */
export class GracefulConfigError extends Error {
  /**
   * @param message what is wrong, with the prop name, its value and units, and the fix
   */
  constructor(message: string) {
    super(redact(message));
    this.name = 'GracefulConfigError';
    Object.setPrototypeOf(this, GracefulConfigError.prototype);
  }

  /**
   * The same error, prefixed with a construct path (`[path] message`).
   */
  public at(path: string): GracefulConfigError {
    if (this.message.startsWith('[')) {
      return this;
    }
    return new GracefulConfigError(`[${path}] ${this.message}`);
  }
}

/**
 * Builds the one error format: `'<prop>' (<value>) <problem>. <fix>`. No credential is shown: the value of a
 * prop that names a secret (`…token`, `…password`, `…auth`) is `<redacted>`, an address shows no
 * `user:password@`, and the whole message goes through the library's redaction (src/redact.ts).
 * @internal
 */
export function invalidProp(prop: string, value: string, problem: string, fix: string): GracefulConfigError {
  return new GracefulConfigError(`'${prop}' (${redactValue(prop, value)}) ${problem}. Fix: ${fix}`);
}

/**
 * Runs `fn`; a {@link GracefulConfigError} it throws is re-thrown with the construct path in front.
 * @internal
 */
export function withPath<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GracefulConfigError) {
      throw e.at(path);
    }
    throw e;
  }
}

/**
 * A prop's value as an error message shows it, readably and in one way: strings JSON-quoted, numbers with
 * the prop's unit (`12 requests`), arrays and plain objects as compact JSON (cut at 300 characters),
 * class instances by their class name (`<ProcessInit>`), functions as `<function>`; never `[object Object]`.
 * Credentials are redacted by {@link invalidProp}.
 * @internal
 */
export function show(value: unknown, unit?: string): string {
  switch (typeof value) {
    case 'string': return clip(JSON.stringify(value));
    case 'number': return unit !== undefined ? `${value} ${unit}` : String(value);
    case 'bigint': return `${value}n`;
    case 'boolean':
    case 'undefined': return String(value);
    case 'symbol': return value.toString();
    case 'function': return '<function>';
  }
  if (value === null) return 'null';
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    const name = proto?.constructor?.name;
    return `<${typeof name === 'string' && name !== '' ? name : 'object'}>`;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    json = undefined; // a cycle
  }
  return clip(json ?? (Array.isArray(value) ? '<array>' : '<object>'));
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
