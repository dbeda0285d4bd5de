import type { Sample } from '../result/types.js';
import type { CellSamples } from './cell-estimate.js';

/**
 * What adaptive sampling reads of a cell's samples, as the analysis counts them: its successful warm
 * measurements (warm-ups and cold starts apart) with their cost, and its failed measurements.
 */
export function cellSamplesOf(id: string, samples: readonly Sample[], costOf: (sample: Sample) => number): CellSamples {
  const durationsMs: number[] = [];
  const costsUsd: number[] = [];
  let failures = 0;
  for (const s of samples) {
    if (s.warmup || s.coldProbe === true) continue;
    if (s.status !== 'success') failures++;
    else if (!s.cold) {
      durationsMs.push(s.durationMs);
      costsUsd.push(costOf(s));
    }
  }
  return { id, durationsMs, costsUsd, failures };
}
