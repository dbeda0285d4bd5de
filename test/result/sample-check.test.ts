import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/result/files.js';
import { soundSamples } from '../../src/result/sample-check.js';
import { tuneResultSchema } from '../../src/result/schema.js';
import { parseWith } from '../../src/validate.js';
import { twoFunctionResult } from '../helpers/results.js';
import { holds } from '../property/check.js';

class Invalid extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
const invalid = (problems: string[]) => new Invalid(problems);

/** What reading gives: the result as JSON text (its fields' order included) and as a value, or the problems zod tells. */
function outcome(read: () => unknown): { text: string; value: unknown } | { problems: string[] } {
  try {
    const value = read();
    return { text: JSON.stringify(value), value };
  } catch (error) {
    if (error instanceof Invalid) return { problems: error.problems };
    throw error;
  }
}

const base = (): Record<string, unknown> & { samples: Record<string, unknown>[] } =>
  JSON.parse(JSON.stringify(twoFunctionResult())) as Record<string, unknown> & { samples: Record<string, unknown>[] };

const FIELDS = ['function', 'memoryMb', 'params', 'durationMs', 'billedDurationMs', 'maxMemoryUsedMb', 'initDurationMs', 'status', 'errorType', 'cold'];
const MORE_FIELDS = [...FIELDS, 'coldProbe', 'warmup', 'timings', 'requestId', 'extra', '__proto__', 'constructor', '1'];

/** Values of every kind, those a field takes and those it does not. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'hasher',
    'hasher-arm',
    'nobody',
    '',
    'success',
    'error',
    'weird',
    true,
    false,
    null,
    0,
    -0,
    -1,
    1.5,
    128,
    512,
    100_000,
    Number.POSITIVE_INFINITY,
    Number.NaN,
  ),
  fc.constantFrom({}, [], { chunkSizeMb: 1 }, { chunkSizeMb: '1' }, { 'bad name': 1 }, { constructor: 1 }, { durationMs: 1 }, { x: [1] }, { x: null }),
  fc.constantFrom({ readMs: 1 }, { readMs: '1' }, { constructor: 5 }, { readMs: Number.POSITIVE_INFINITY }),
  fc.constant(JSON.parse('{"__proto__": 1, "a": 2}') as unknown),
  fc.constant(Object.create(null) as unknown),
);

/** A change to a result's samples: a field set to any value, removed, or the fields put in another order. */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), index: fc.nat(40), field: fc.constantFrom(...MORE_FIELDS), value: anyValue }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat(40), field: fc.constantFrom(...MORE_FIELDS) }),
  fc.record({ kind: fc.constant('reorder' as const), index: fc.nat(40) }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function edited(edits: readonly Edit[]): unknown {
  const result = base();
  for (const edit of edits) {
    const at = edit.index % result.samples.length;
    const sample = result.samples[at]!;
    if (edit.kind === 'set') Object.defineProperty(sample, edit.field, { value: edit.value, enumerable: true, writable: true, configurable: true });
    else if (edit.kind === 'delete') Reflect.deleteProperty(sample, edit.field);
    else result.samples[at] = Object.fromEntries(Object.entries(sample).reverse());
  }
  return result;
}

describe("a result's samples checked by hand", () => {
  it('read as zod reads them: the same result, fields in the same order, or the same problems', () => {
    holds(
      fc.property(fc.array(editArb, { maxLength: 4 }), fc.boolean(), (edits, throughJson) => {
        const raw = edited(edits);
        const input = throughJson ? (JSON.parse(JSON.stringify(raw)) as unknown) : raw;
        const expected = outcome(() => parseWith(tuneResultSchema, input, invalid));
        const actual = outcome(() => parseResult(input, invalid));
        expect(actual).toStrictEqual(expected);
      }),
      1_000,
    );
  });

  it('passes a sound result by hand, the samples of one read and written again as they are', () => {
    const raw = JSON.parse(JSON.stringify(parseWith(tuneResultSchema, base(), invalid))) as { samples: unknown[] };
    const sound = soundSamples(raw.samples, new Set(['hasher', 'hasher-arm']));
    expect(sound).toBeDefined();
    for (const [i, sample] of (sound ?? []).entries()) expect(sample).toBe(raw.samples[i]);
  });

  it('leaves to zod what the schema cross-checks, and anything not a list of plain objects', () => {
    const raw = base();
    expect(soundSamples(raw.samples, new Set(['hasher']))).toBeUndefined();
    expect(soundSamples({ length: 0 }, new Set())).toBeUndefined();
    expect(soundSamples([new Map()], new Set())).toBeUndefined();
    const wrong = { ...raw, samples: raw.samples.map((s, i) => (i === 7 ? { ...s, function: 'nobody' } : s)) };
    expect(outcome(() => parseResult(wrong, invalid))).toEqual({
      problems: ['samples[7].function: expected one of the names in functions (hasher, hasher-arm), got "nobody"'],
    });
  });
});
