/**
 * The memory search in the phase-1 loop: each chunk size's column searched with
 * src/plan/memory-search.ts, its sizes measured adaptively, the column's recommendation taken from
 * the analysis of what was measured.
 */
import { analyze } from '../../src/analyze/analyze.js';
import { chooseSweetSpot } from '../../src/analyze/sweet-spot.js';
import { invocationCostUsd } from '../../src/cost/prices.js';
import type { AdaptiveOptions } from '../../src/plan/adaptive.js';
import { searchObjective, searchStep, type SizeOutcome, type SizeReason } from '../../src/plan/memory-search.js';
import type { CellSummary, FunctionInfo, SelectionOptions } from '../../src/result/types.js';
import { AdaptiveLoop, cellDraws, type LoopOutcome, type LoopSpec } from './local-loop.js';

export function searchLoop(spec: LoopSpec, sizes: readonly number[], options: AdaptiveOptions): LoopOutcome & { reasons: [number, SizeReason][] } {
  const loop = new AdaptiveLoop(spec, options);
  const objective = searchObjective(options.selection);
  const costOf = (durationMs: number, memoryMb: number) => invocationCostUsd(Math.ceil(durationMs), memoryMb, spec.prices);
  const reasons: [number, SizeReason][] = [];
  const done = new Set<number>();
  for (let round = 0; done.size < spec.chunksMb.length; round++) {
    const cells = summaries(loop, spec, options.selection);
    for (const chunkMb of spec.chunksMb) {
      if (done.has(chunkMb)) continue;
      const column = cells.filter((c) => c.params['chunkSizeMb'] === chunkMb);
      const recommended = chooseSweetSpot(column, options.selection).sweetSpot?.cellId;
      const step = searchStep({
        sizes,
        outcomes: column.map((c) => outcomeOf(c, options.selection)),
        objective,
        costOf,
        recommendedMb: column.find((c) => c.id === recommended)?.memoryMb,
        round,
      });
      if (step.done) done.add(chunkMb);
      for (const { memoryMb, reason } of step.measure) reasons.push([memoryMb, reason]);
      loop.add(step.measure.map(({ memoryMb }) => cellDraws(spec, memoryMb, chunkMb)));
    }
    // Each step waits only for the new sizes' first samples: a better size found early rules out the rest sooner.
    loop.settle(true);
  }
  loop.settle();
  return { ...loop.outcome(), reasons };
}

function summaries(loop: AdaptiveLoop, spec: LoopSpec, selection: SelectionOptions): CellSummary[] {
  const memoryMb = [...new Set(loop.cells.map((c) => c.memoryMb))].sort((a, b) => a - b);
  const functions: FunctionInfo[] = [{ name: 'sim', architecture: 'x86_64', prices: spec.prices }];
  const plan = { functions: ['sim'], memoryMb, axes: [{ name: 'chunkSizeMb', values: [...spec.chunksMb] }] };
  const measured = new Set(loop.cells.map((c) => c.id));
  return analyze(loop.outcome().samples, plan, functions, selection).cells.filter((c) => measured.has(c.id));
}

/** What the search reads of a measured size: the duration the strategy judges by, and the cost. */
function outcomeOf(cell: CellSummary, selection: SelectionOptions): SizeOutcome {
  const d = cell.durationMs;
  if (cell.failed || d === null || cell.costPerInvocationUsd === null) return { memoryMb: cell.memoryMb, failed: cell.failed };
  const p = selection.maxDurationMs === undefined ? 50 : selection.percentile;
  const durationMs = p === 50 ? d.median : p === 90 ? d.p90 : p === 95 ? d.p95 : d.p99;
  return { memoryMb: cell.memoryMb, failed: false, durationMs, costUsd: cell.costPerInvocationUsd };
}
