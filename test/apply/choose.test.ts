import { describe, expect, it } from 'vitest';
import { chooseApply, gateRefusal } from '../../src/apply/choose.js';
import { UserError } from '../../src/errors.js';
import type { TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

/** The fixed two-build result, each build's code recorded as a tune run records it. */
function measured(change: (result: TuneResult) => TuneResult = (r) => r): TuneResult {
  const result = twoFunctionResult();
  return change({ ...result, functions: result.functions.map((f) => ({ ...f, codeSha256: `${f.name}-code` })) });
}

function refusal(apply: () => unknown): UserError {
  try {
    apply();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('it was not refused');
}

describe('chooseApply', () => {
  it("takes the recommended cell's function and memory, and says which parameters are the user's to set", () => {
    const result = measured();
    const spot = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId)!;
    expect(chooseApply(result)).toEqual({
      functionName: spot.function,
      memoryMb: spot.memoryMb,
      codeSha256: `${spot.function}-code`,
      setting: `${spot.memoryMb} MB with chunkSizeMb=${String(spot.params['chunkSizeMb'])}`,
      payloadNote: 'set chunkSizeMb in your payload yourself',
    });
  });

  it("with a function named, takes that function's own sweet spot by the run's rule", () => {
    const result = measured();
    const other = result.functions.map((f) => f.name).find((name) => name !== chooseApply(result).functionName)!;
    const choice = chooseApply(result, other);
    expect(choice.functionName).toBe(other);
    expect(result.analysis.cells.some((c) => c.function === other && c.memoryMb === choice.memoryMb && !c.failed)).toBe(true);
    expect(refusal(() => chooseApply(result, 'nope')).message).toBe('--function "nope" is not a function of this result.');
  });

  it.each([
    ['a run its budget stopped', (r: TuneResult) => ({ ...r, run: { ...r.run, stoppedBy: 'budget' as const } }), 'the run stopped early (its budget ran out)'],
    ['an interrupted run', (r: TuneResult) => ({ ...r, run: { ...r.run, stoppedBy: 'interrupt' as const } }), 'the run stopped early (it was interrupted)'],
    ['a result with no sweet spot', (r: TuneResult) => ({ ...r, analysis: { ...r.analysis, sweetSpot: null } }), 'no cell can be recommended'],
    [
      'a result that does not record the code it measured',
      (r: TuneResult) => ({ ...r, functions: r.functions.map((f) => ({ ...f, codeSha256: undefined })) }),
      'the result does not record the code',
    ],
  ])('refuses %s (exit 2)', (_, change, why) => {
    const error = refusal(() => chooseApply(measured(change)));
    expect(error).toMatchObject({ code: 'APPLY_REFUSED', exitCode: 2 });
    expect(error.message).toMatch(new RegExp(`^Not applied: ${why.replace(/[()]/g, '\\$&')}.*\\. Nothing was changed\\.$`));
  });
});

describe('gateRefusal', () => {
  it('refuses a failed or an inconclusive gate, and lets a passed one through', () => {
    expect(gateRefusal({ status: 'fail' })).toBe('the gate found a regression against the baseline');
    expect(gateRefusal({ status: 'inconclusive' })).toMatch(/^the gate against the baseline was inconclusive/);
    expect(gateRefusal({ status: 'pass' })).toBeUndefined();
  });
});
