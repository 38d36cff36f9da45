/*
 * cdk8s' Duration for the library's own constants (the registry facts, the call timeout, the endpoint delay),
 * made without loading cdk8s. `cdk8s-graceful audit` reads these numbers but never renders a construct, so it
 * does not need cdk8s, cdk8s-plus-28 or constructs (peer dependencies of the constructs) at all.
 *
 * `Duration.seconds(3)` here returns a stand-in with cdk8s' Duration type: its conversions (toMilliseconds,
 * toSeconds, toMinutes, toHours, toDays) are computed here exactly as cdk8s computes them; anything else
 * (toIsoString, toHumanString, unitLabel, its prototype for `instanceof`, its fields) loads cdk8s and answers
 * from the real `cdk8s.Duration` of the same amount and unit. The public API keeps cdk8s' Duration type.
 */
import type * as cdk8s from 'cdk8s';

/** Milliseconds per unit, as cdk8s' TimeUnit (cdk8s 2.70.106 src/duration.ts, class TimeUnit). */
const UNIT_MILLIS = { millis: 1, seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

type Unit = keyof typeof UNIT_MILLIS;

/** cdk8s' Duration type (the public API's). @internal */
export type Duration = cdk8s.Duration;

/**
 * cdk8s' Duration factories, without loading cdk8s until a value is used beyond its conversions.
 * @internal
 */
export const Duration = {
  millis: (amount: number): Duration => lazyDuration(amount, 'millis'),
  seconds: (amount: number): Duration => lazyDuration(amount, 'seconds'),
  minutes: (amount: number): Duration => lazyDuration(amount, 'minutes'),
  hours: (amount: number): Duration => lazyDuration(amount, 'hours'),
  days: (amount: number): Duration => lazyDuration(amount, 'days'),
};

/** Whether `d` was made here (tests; nothing else needs to tell). @internal */
export function isLazyDuration(d: unknown): boolean {
  return typeof d === 'object' && d !== null && (d as any)[LAZY] === true;
}

const LAZY = Symbol('cdk8s-graceful.lazy-duration');

type Conversion = (opts?: cdk8s.TimeConversionOptions) => number;

function lazyDuration(amount: number, unit: Unit): Duration {
  if (amount < 0) throw new Error(`Duration amounts cannot be negative. Received: ${amount}`); // as cdk8s' constructor
  let real: Duration | undefined;
  const load = (): Duration => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    real ??= (require('cdk8s') as typeof cdk8s).Duration[unit](amount);
    return real;
  };
  const conversions: { [method: string]: Conversion } = {
    toMilliseconds: opts => convert(amount, unit, 'millis', opts),
    toSeconds: opts => convert(amount, unit, 'seconds', opts),
    toMinutes: opts => convert(amount, unit, 'minutes', opts),
    toHours: opts => convert(amount, unit, 'hours', opts),
    toDays: opts => convert(amount, unit, 'days', opts),
  };
  return new Proxy({} as Duration, {
    get: (_target, p) => {
      if (p === LAZY) return true;
      if (typeof p === 'string' && Object.prototype.hasOwnProperty.call(conversions, p)) return conversions[p];
      return Reflect.get(load(), p);
    },
    has: (_target, p) => Reflect.has(load(), p),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, p) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), p);
      return d === undefined ? undefined : { ...d, configurable: true };
    },
    getPrototypeOf: () => Object.getPrototypeOf(load()),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** cdk8s' conversion, same results and errors (cdk8s 2.70.106 src/duration.ts, function convert). */
function convert(amount: number, from: Unit, to: Unit, { integral = true }: cdk8s.TimeConversionOptions = {}): number {
  if (UNIT_MILLIS[from] === UNIT_MILLIS[to]) {
    if (integral && !Number.isInteger(amount)) {
      throw new Error(`${amount} must be a whole number of ${to}.`);
    }
    return amount;
  }
  const value = amount * (UNIT_MILLIS[from] / UNIT_MILLIS[to]);
  if (!Number.isInteger(value) && integral) {
    throw new Error(`'${amount} ${from}' cannot be converted into a whole number of ${to}.`);
  }
  return value;
}
