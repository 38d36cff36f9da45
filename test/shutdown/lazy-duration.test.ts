import { Duration as Cdk8sDuration } from 'cdk8s';
import { Propagation, RegistryFacts } from '../../src';
import { DEFAULT_CALL_TIMEOUT } from '../../src/registry/adapter';
import { Duration, isLazyDuration } from '../../src/shutdown/lazy-duration';

/*
 * The library's own Duration constants are made without loading cdk8s (so the audit CLI does not need it) and
 * behave as cdk8s' Duration in every respect: same conversions and errors, same strings, instanceof, equality.
 */
const UNITS = ['millis', 'seconds', 'minutes', 'hours', 'days'] as const;
const AMOUNTS = [0, 1, 3, 10, 35, 59, 60, 61, 90, 1000, 1500, 3600, 86400, 0.5, 2.25];
const CONVERSIONS = ['toMilliseconds', 'toSeconds', 'toMinutes', 'toHours', 'toDays'] as const;

function outcome(fn: () => unknown): string {
  try {
    return `= ${JSON.stringify(fn())}`;
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

test.each(UNITS)('Duration.%s: every conversion, string and error as cdk8s', unit => {
  for (const amount of AMOUNTS) {
    const lazy = Duration[unit](amount);
    const real = Cdk8sDuration[unit](amount);
    expect(isLazyDuration(lazy)).toBe(true);
    for (const c of CONVERSIONS) {
      for (const opts of [undefined, {}, { integral: true }, { integral: false }]) {
        expect(`${unit}(${amount}).${c}(${JSON.stringify(opts)}) ${outcome(() => lazy[c](opts))}`)
          .toBe(`${unit}(${amount}).${c}(${JSON.stringify(opts)}) ${outcome(() => real[c](opts))}`);
      }
    }
    expect(outcome(() => lazy.toIsoString())).toBe(outcome(() => real.toIsoString()));
    expect(outcome(() => lazy.toHumanString())).toBe(outcome(() => real.toHumanString()));
    expect(lazy.unitLabel()).toBe(real.unitLabel());
  }
});

test('a negative amount throws as cdk8s does', () => {
  expect(() => Duration.seconds(-1)).toThrow(/^Duration amounts cannot be negative\. Received: -1$/);
  expect(() => Cdk8sDuration.seconds(-1)).toThrow(/^Duration amounts cannot be negative\. Received: -1$/);
});

test('it is a cdk8s Duration: instanceof, equality, immutability', () => {
  const lazy = Duration.seconds(35);
  expect(lazy instanceof Cdk8sDuration).toBe(true);
  expect(lazy).toEqual(Cdk8sDuration.seconds(35));
  expect(lazy).not.toEqual(Cdk8sDuration.seconds(36));
  expect(Object.keys(lazy)).toEqual(Object.keys(Cdk8sDuration.seconds(35)));
  expect(() => {
    'use strict';
    (lazy as any).amount = 1;
  }).toThrow(TypeError);
  expect(lazy.toSeconds()).toBe(35);
});

test('the library\'s public Duration constants are lazy and equal to cdk8s\'', () => {
  const constants: [string, Cdk8sDuration][] = [
    ...Object.entries(RegistryFacts).filter(([, v]) => typeof v === 'object') as [string, Cdk8sDuration][],
    ['Propagation.DEFAULT_ENDPOINT_DELAY', Propagation.DEFAULT_ENDPOINT_DELAY],
    ['DEFAULT_CALL_TIMEOUT', DEFAULT_CALL_TIMEOUT],
  ];
  expect(constants.length).toBeGreaterThan(8);
  for (const [name, d] of constants) {
    expect(`${name} ${isLazyDuration(d)}`).toBe(`${name} true`);
    const unit = d.unitLabel() as (typeof UNITS)[number];
    const amount = {
      millis: () => d.toMilliseconds(),
      seconds: () => d.toSeconds(),
      minutes: () => d.toMinutes(),
      hours: () => d.toHours(),
      days: () => d.toDays(),
    }[unit]();
    expect(d).toEqual(Cdk8sDuration[unit](amount));
    expect(outcome(() => d.toIsoString())).toBe(outcome(() => Cdk8sDuration[unit](amount).toIsoString()));
    expect(d.toHumanString()).toBe(Cdk8sDuration[unit](amount).toHumanString());
  }
});
