import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { parseMeasurements } from '../../src/parse/measurements.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { cellId, type Sample, type TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

/** The fixture as a --cold run would leave it: each cell also has three cold starts of its own, measured on fresh versions. */
function coldRun(): TuneResult {
  const base = twoFunctionResult();
  const samples = base.samples.flatMap((sample, index, all): Sample[] => {
    const next = all[index + 1];
    if (next !== undefined && cellId(next) === cellId(sample)) return [sample];
    const probes = [0, 1, 2].map((i): Sample => ({
      ...sample,
      cold: true,
      coldProbe: true,
      initDurationMs: 280 + 10 * i,
      durationMs: sample.durationMs * 1.3,
      status: 'success',
    }));
    return [sample, ...probes];
  });
  const analysis = analyze(samples, base.plan, base.functions, base.analysis.selection);
  return { ...base, run: { ...base.run, coldStartsPerCell: 3 }, samples, analysis };
}

describe('samples.csv of a --cold run', () => {
  it('has a coldProbe column after the others, and reads back to the same samples and the same analysis', () => {
    const result = coldRun();
    const csv = renderSamplesCsv(result);
    expect(csv.split('\n')[0]).toBe(
      'function,memoryMb,chunkSizeMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType,cold,warmup,requestId,coldProbe,timing.readMs',
    );
    const back = parseMeasurements(csv, 'unused');
    expect(back).toEqual(result.samples);
    expect(analyze(back, result.plan, result.functions, result.analysis.selection)).toStrictEqual(result.analysis);
    // Judged by its --cold samples alone: the analysis differs from one that took them for ordinary cold starts.
    const asOrdinary = back.map((sample) => ({ ...sample, coldProbe: undefined }));
    expect(analyze(asOrdinary, result.plan, result.functions, result.analysis.selection)).not.toStrictEqual(result.analysis);
  });

  it('keeps a coldProbe of false as false', () => {
    const result = coldRun();
    const samples = result.samples.map((sample, i) => (i === 0 ? { ...sample, coldProbe: false } : sample));
    expect(parseMeasurements(renderSamplesCsv({ ...result, samples }), 'unused')).toEqual(samples);
  });

  it('is left out of a run without --cold samples, whose columns stay as they were', () => {
    expect(renderSamplesCsv(twoFunctionResult()).split('\n')[0]).not.toContain('coldProbe');
  });
});

describe('samples.csv timings', () => {
  it('writes a timing only where the sample has it, whatever its name', () => {
    const result = twoFunctionResult();
    const [first, second, ...rest] = result.samples;
    const samples = [{ ...first!, timings: { constructor: 5, readMs: 1 } }, { ...second!, timings: {} }, ...rest];
    const lines = renderSamplesCsv({ ...result, samples }).split('\n');
    expect(lines[0]).toMatch(/,timing\.constructor,timing\.readMs$/);
    expect(lines[1]).toMatch(/,5,1$/);
    expect(lines[2]).toMatch(/,,$/);
  });
});
