import { describe, expect, it } from 'vitest';
import { analyze, compare, tune, UserError } from '../../src/index.js';
import type { TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

/** The package's functions in-process: what they read from their options, and how they fail. */
describe('the API', () => {
  it('analyze: rows as tune analyze reads them, priced at the region and architecture given', async () => {
    const rows = [128, 128, 512, 512].map((memoryMb, i) => ({ memoryMb, durationMs: memoryMb === 128 ? 800 + i : 200 + i, billedDurationMs: 1000 }));
    const result = await analyze(rows, { function: 'fn', region: 'af-south-1', architecture: 'arm64', strategy: 'cost' });
    expect(result.functions).toEqual([expect.objectContaining({ name: 'fn', architecture: 'arm64' })]);
    expect(result.functions[0]?.prices.pricePerGbSecondUsd).toBe(0.00001768);
    expect(result.analysis.cells.map((c) => c.memoryMb)).toEqual([128, 512]);
    expect(result.analysis.sweetSpot?.cellId).toMatch(/^fn\/128MB/);
  });

  it('analyze: a result again, under another strategy', async () => {
    const result = await analyze(twoFunctionResult(), { strategy: 'speed' });
    expect(result.analysis.selection.strategy).toBe('speed');
    expect(result.samples).toEqual(twoFunctionResult().samples);
  });

  it('compare: a result against itself passes or is inconclusive, never fails; the Markdown comes along', () => {
    const outcome = compare(twoFunctionResult(), twoFunctionResult(), { rule: ['duration:p95 > 10% error'], allowInconclusive: true });
    expect(outcome.passed).toBe(true);
    expect(outcome.report.errors).toBe(0);
    expect(outcome.markdown).toContain('lambda-tune gate');
  });

  it('refuses what the command line refuses, as a UserError with a code and a hint', async () => {
    const refused = async (run: () => Promise<unknown>) => {
      const error: unknown = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    };
    const memory = await refused(() => tune({ function: 'fn', memory: [100] }));
    expect(memory.code).toBe('FLAG_INVALID');
    expect(memory.message).toContain('--memory 100');
    const unknown = await refused(() => tune({ function: 'fn', memory: [128], flags: { noSuchFlag: 1 } }));
    expect(unknown.code).toBe('BAD_USAGE');
    expect((await refused(() => analyze([], { architecture: 'sparc' as 'arm64' }))).message).toContain('--architecture');
    expect(() => compare(twoFunctionResult(), twoFunctionResult(), { confidence: 2 })).toThrow(UserError);
    // Result objects are checked as result files are: a wrong one is a UserError naming what is wrong, not a TypeError.
    expect(() => compare({} as TuneResult, twoFunctionResult())).toThrow(/The baseline the baseline object is not a valid lambda-tune result/);
    // A parameter name with an = would be split by the flag: refused, not planned as another axis.
    expect((await refused(() => tune({ function: 'fn', memory: [128], param: { 'a=b': [1] } }))).message).toContain('"a=b" is not a payload field name');
  });

  it('writes small prices in decimal, as the command line takes them', async () => {
    // 2e-7 would be refused as not decimal; a price this small is still checked as a price.
    const error: unknown = await tune({ function: 'fn', memory: [128], pricePerRequest: 0.0000002, pricePerGbSecond: -0.00001 }).catch((e: unknown) => e);
    expect((error as UserError).message).toBe('--price-per-gb-second must be a positive number (got -0.00001).');
  });
});
