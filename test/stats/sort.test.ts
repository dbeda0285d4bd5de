import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortNumbers } from '../../src/stats/sort.js';
import { holds } from '../property/check.js';

/** Each value, -0 and NaN told apart, as Object.is tells them. */
const exactly = (values: Float64Array) => Array.from(values, (value) => (Object.is(value, -0) ? '-0' : String(value)));

/** Numbers of every kind: ties, -0 and 0, negatives, the tiny and the infinite, and sometimes NaN. */
const numbers = fc.oneof(
  fc.array(fc.double({ noNaN: true }), { minLength: 400, maxLength: 3000 }),
  fc.array(fc.constantFrom(0, -0, 1, -1, 5e-324, -5e-324, Number.MAX_VALUE, -Infinity, Infinity, 100.25, 100.5), { minLength: 400, maxLength: 3000 }),
  fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 0, maxLength: 2000 }),
  fc.array(fc.double(), { minLength: 500, maxLength: 1000 }),
);

describe('sortNumbers', () => {
  it('orders any numbers as Float64Array.prototype.sort does, bit for bit', () => {
    holds(
      fc.property(numbers, (values) => {
        expect(exactly(sortNumbers(new Float64Array(values)))).toEqual(exactly(new Float64Array(values).sort()));
      }),
      500,
    );
  });

  it('sorts a view in place, leaving the rest of its buffer alone', () => {
    const buffer = new Float64Array(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1000));
    const view = buffer.subarray(1000, 2000);
    const expected = Float64Array.from(view).sort();
    expect(sortNumbers(view)).toBe(view);
    expect(Array.from(view)).toEqual(Array.from(expected));
    expect(buffer[0]).toBe(0);
    expect(buffer[2999]).toBe((2999 * 7919) % 1000);
  });
});
