/**
 * The memory search in the phase-1 loop: each chunk size's column searched with
 * src/plan/range-search.ts, its sizes measured adaptively, the column's recommendation taken from
 * the analysis of what was measured.
 */
import { analyze } from '../../src/analyze/analyze.js';
import { chooseSweetSpot } from '../../src/analyze/sweet-spot.js';
import { invocationCostUsd } from '../../src/cost/prices.js';
import type { AdaptiveOptions } from '../../src/plan/adaptive.js';
import type { SizeReason } from '../../src/plan/memory-search.js';
import { RangeSearch, sizeOutcome } from '../../src/plan/range-search.js';
import type { CellSummary, FunctionInfo } from '../../src/result/types.js';
import { AdaptiveLoop, cellDraws, type LoopOutcome, type LoopSpec } from './local-loop.js';

export function searchLoop(spec: LoopSpec, sizes: readonly number[], options: AdaptiveOptions): LoopOutcome & { reasons: [number, SizeReason][] } {
  const loop = new AdaptiveLoop(spec, options);
  const search = new RangeSearch(sizes, options.selection, (durationMs, memoryMb) => invocationCostUsd(Math.ceil(durationMs), memoryMb, spec.prices));
  for (;;) {
    const cells = summaries(loop, spec);
    const columns = spec.chunksMb.map((chunkMb) => {
      const column = cells.filter((c) => c.params['chunkSizeMb'] === chunkMb);
      const recommended = chooseSweetSpot(column, options.selection).sweetSpot?.cellId;
      return {
        key: String(chunkMb),
        outcomes: column.map((c) => sizeOutcome(c, options.selection)),
        recommendedMb: column.find((c) => c.id === recommended)?.memoryMb,
      };
    });
    const chosen = search.next(columns);
    if (chosen.length === 0) break;
    loop.add(chosen.map((c) => cellDraws(spec, c.memoryMb, Number(c.column))));
    // Each step waits only for the new sizes' first samples: a better size found early rules out the rest sooner.
    loop.settle(true);
  }
  loop.settle();
  return { ...loop.outcome(), reasons: search.choices.map((c) => [c.memoryMb, c.reason]) };
}

function summaries(loop: AdaptiveLoop, spec: LoopSpec): CellSummary[] {
  const memoryMb = [...new Set(loop.cells.map((c) => c.memoryMb))].sort((a, b) => a - b);
  const functions: FunctionInfo[] = [{ name: 'sim', architecture: 'x86_64', prices: spec.prices }];
  const plan = { functions: ['sim'], memoryMb, axes: [{ name: 'chunkSizeMb', values: [...spec.chunksMb] }] };
  const measured = new Set(loop.cells.map((c) => c.id));
  return analyze(loop.outcome().samples, plan, functions, { strategy: 'balanced', weight: 0.5, percentile: 95 }).cells.filter((c) => measured.has(c.id));
}
