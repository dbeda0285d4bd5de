import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { recommend, savingText, settingText } from '../../src/report/recommendation.js';
import { twoFunctionResult } from '../helpers/results.js';

/** The fixture with the arm64 build's memory before the run and the recommended cell changed. */
function withArm(originalMemoryMb: number, sweetCellId: string): TuneResult {
  const result = twoFunctionResult();
  return {
    ...result,
    functions: result.functions.map((f) => (f.name === 'hasher-arm' ? { ...f, originalMemoryMb } : f)),
    analysis: { ...result.analysis, sweetSpot: { rule: 'a rule', notes: ['a note'], cellId: sweetCellId } },
  };
}

describe('the recommendation as parts', () => {
  it('has the sweet spot formatted once: function, memory, parameters, cost, durations, rule and notes', () => {
    const parts = recommend(withArm(512, 'hasher-arm/512MB/chunkSizeMb=20'));
    expect(parts).toEqual({
      function: 'hasher-arm',
      memory: '512 MB',
      params: 'chunkSizeMb=20',
      costPerMillion: '$4.20',
      median: '600 ms',
      p95: '624 ms',
      rule: 'a rule',
      notes: ['a note'],
      saving: { kind: 'unchanged', originalMemory: '512 MB' },
    });
    expect(parts === null ? '' : settingText(parts)).toBe('512 MB with chunkSizeMb=20');
  });

  it('compares with the memory the function had, at the recommended chunk size', () => {
    const saving = recommend(withArm(128, 'hasher-arm/512MB/chunkSizeMb=1'))?.saving;
    expect(saving).toEqual({
      kind: 'changed',
      originalMemory: '128 MB',
      cost: { before: '$4.53', after: '$4.87', percent: '+7%' },
      duration: { before: '2.60 s', after: '700 ms', percent: '−73%' },
    });
    expect(saving === undefined ? '' : savingText(saving)).toBe(
      'Against its current 128 MB: +7% cost ($4.53 → $4.87 per million), −73% median duration (2.60 s → 700 ms).',
    );
  });

  it('says so when the original memory failed at that chunk size, and leaves the saving out when it is not known', () => {
    expect(recommend(withArm(128, 'hasher-arm/512MB/chunkSizeMb=20'))?.saving).toEqual({ kind: 'unmeasured', originalMemory: '128 MB' });
    const unknown = twoFunctionResult();
    unknown.functions = unknown.functions.map((f) => ({ ...f, originalMemoryMb: undefined }));
    expect(recommend(unknown)?.saving).toBeUndefined();
  });

  it('is null when every cell failed', () => {
    const result = twoFunctionResult();
    expect(recommend({ ...result, analysis: { ...result.analysis, sweetSpot: null } })).toBeNull();
  });
});
