import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { resultJsonSchema, tuneResultSchema } from '../../src/result/schema.js';
import type { TuneResult } from '../../src/result/types.js';
import { describeIssues } from '../../src/validate.js';
import { twoFunctionResult } from '../helpers/results.js';

const committed = path.join(import.meta.dirname, '..', '..', 'schemas', 'tune-result.schema.json');

/** A plain copy of the fixed result, as it reads back from result.json. */
function fresh(): TuneResult {
  return JSON.parse(JSON.stringify(twoFunctionResult())) as TuneResult;
}

function problems(raw: unknown): string[] {
  const parsed = tuneResultSchema.safeParse(raw);
  return parsed.success ? [] : describeIssues(parsed.error.issues);
}

describe('the result schema', () => {
  it('accepts a result tune wrote', () => {
    expect(problems(fresh())).toEqual([]);
  });

  it('has the very type of TuneResult, so it neither drops a field nor lets one through unchecked', () => {
    expectTypeOf<z.infer<typeof tuneResultSchema>>().toEqualTypeOf<TuneResult>();
  });

  it('is what schemas/tune-result.schema.json holds (npm run schema writes it)', () => {
    expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(resultJsonSchema());
  });

  it('gives a JSON Schema that other validators read alike', () => {
    const validate = new Ajv({ allErrors: true }).compile(resultJsonSchema());
    expect(validate(fresh()), JSON.stringify(validate.errors)).toBe(true);
    const wrong = fresh() as unknown as { samples: Record<string, unknown>[] };
    wrong.samples[0]!['status'] = 'fine';
    expect(validate(wrong)).toBe(false);
    expect(problems(wrong)).toEqual(['samples[0].status: expected "success", "error", "timeout" or "failure", got "fine"']);
  });

  it.each<[string, (r: TuneResult) => void, string[]]>([
    [
      'whole numbers, memory sizes and enumerations',
      (r) => {
        Object.assign(r.samples[1]!, { memoryMb: 100.5, cold: 'no' });
        Object.assign(r.functions[0]!, { architecture: 'sparc' });
        Object.assign(r.analysis.cells[2]!, { invocations: 2.5 });
        Object.assign(r.analysis.selection, { strategy: 'cheap', percentile: 75 });
      },
      [
        'functions[0].architecture: expected "x86_64" or "arm64", got "sparc"',
        'samples[1].memoryMb: expected a whole number of MB from 128 to 10240, got 100.5',
        'samples[1].cold: expected true or false, got "no"',
        'analysis.cells[2].invocations: expected a whole number ≥ 0, got 2.5',
        'analysis.selection.strategy: expected "cost", "speed" or "balanced", got "cheap"',
        'analysis.selection.percentile: expected 50, 90, 95 or 99, got 75',
      ],
    ],
    ['an empty plan', (r) => (r.plan.memoryMb = []), ['plan.memoryMb: expected a list of at least one memory size, got an empty list']],
    [
      'a sample of a function the result does not describe',
      (r) => (r.samples[7]!.function = 'other'),
      ['samples[7].function: expected one of the names in functions (hasher, hasher-arm), got "other"'],
    ],
    [
      'a sweet spot that names no cell',
      (r) => (r.analysis.sweetSpot!.cellId = 'hasher/256MB/chunkSizeMb=1'),
      ['analysis.sweetSpot.cellId: expected the id of a cell in analysis.cells, got "hasher/256MB/chunkSizeMb=1"'],
    ],
    [
      'a sweet spot on a failed cell',
      (r) => (r.analysis.sweetSpot!.cellId = 'hasher/128MB/chunkSizeMb=20'),
      ['analysis.sweetSpot.cellId: expected a cell that was measured without failures, got "hasher/128MB/chunkSizeMb=20", which failed'],
    ],
  ])('refuses %s, saying where and what was expected', (_, edit, expected) => {
    const result = fresh();
    edit(result);
    expect(problems(result)).toEqual(expected);
  });

  it('checks 100,000 samples (the bench times it)', () => {
    const result = fresh();
    const samples = result.samples;
    result.samples = Array.from({ length: 100_000 }, (_, i) => ({ ...samples[i % samples.length]!, requestId: `request-${i}` }));
    const raw = JSON.parse(JSON.stringify(result)) as unknown;
    const parsed = tuneResultSchema.parse(raw);
    expect(parsed.samples).toHaveLength(100_000);
  });
});
