import { paramsText, sameParams } from '../plan/axes.js';
import type { TuneResult } from '../result/types.js';
import { formatMb, formatMs, formatUsd } from './format.js';
import { isMeasured, type MeasuredCell } from './measured-cell.js';

/** The recommendation as parts, formatted once; each format arranges them into its own sentences. */
export interface Recommendation {
  function: string;
  memory: string;
  /** `chunkSizeMb=20, mode=threads`; undefined when the run varied nothing besides memory. */
  params: string | undefined;
  costPerMillion: string;
  median: string;
  p95: string;
  /** The rule that picked the cell, and any notes on the choice. */
  rule: string;
  notes: readonly string[];
  /** Against the memory the function had before the run; undefined when that is not known. */
  saving: Saving | undefined;
  /** The cell's cold starts, when the run measured them (--cold) or the pick was judged on them. */
  cold: ColdFigures | undefined;
}

/** A cell's cold starts: init + duration (median, p95), the median init, and the cost with INIT. */
export interface ColdFigures {
  count: number;
  median: string;
  p95: string;
  init: string;
  costPerMillion: string;
}

export type Saving =
  | { kind: 'unmeasured'; originalMemory: string }
  | { kind: 'unchanged'; originalMemory: string }
  | { kind: 'changed'; originalMemory: string; cost: Change; duration: Change };

/** A number before and after, and the relative change between them (−73%, +7%). */
export interface Change {
  before: string;
  after: string;
  percent: string;
}

/** The sweet spot's parts, or null when every cell failed and nothing is recommended. */
export function recommend(result: TuneResult): Recommendation | null {
  const spot = result.analysis.sweetSpot;
  const cell = result.analysis.cells.find((c) => c.id === spot?.cellId);
  if (spot === null || cell === undefined || !isMeasured(cell)) return null;
  return {
    function: cell.function,
    memory: formatMb(cell.memoryMb),
    params: paramsText(cell.params, result.plan.axes) || undefined,
    costPerMillion: formatUsd(cell.costPerMillionUsd),
    median: formatMs(cell.durationMs.median),
    p95: formatMs(cell.durationMs.p95),
    rule: spot.rule,
    notes: spot.notes,
    saving: saving(result, cell),
    cold: coldFigures(result, cell),
  };
}

function coldFigures(result: TuneResult, cell: MeasuredCell): ColdFigures | undefined {
  const { totalDurationMs, initDurationMs, costPerInvocationUsd, count } = cell.cold;
  const wanted = result.run.coldStartsPerCell !== undefined || result.analysis.selection.optimize === 'cold';
  if (!wanted || totalDurationMs === undefined || totalDurationMs === null || costPerInvocationUsd === null) return undefined;
  return {
    count,
    median: formatMs(totalDurationMs.median),
    p95: formatMs(totalDurationMs.p95),
    init: formatMs(initDurationMs?.median ?? 0),
    costPerMillion: formatUsd(costPerInvocationUsd * 1e6),
  };
}

/** The cold starts as one sentence of plain text. */
export function coldText(cold: ColdFigures): string {
  return `Its cold starts (${cold.count}): init + duration median ${cold.median} (init ${cold.init}), p95 ${cold.p95}; ${cold.costPerMillion} per million.`;
}

/** "512 MB with chunkSizeMb=20", or "512 MB" when the run varied nothing besides memory. */
export function settingText(recommendation: Recommendation): string {
  return recommendation.params === undefined ? recommendation.memory : `${recommendation.memory} with ${recommendation.params}`;
}

/** The saving as one sentence of plain text. */
export function savingText(saving: Saving): string {
  const original = saving.originalMemory;
  switch (saving.kind) {
    case 'unmeasured':
      return `The function had ${original} before the run; that size was not measured with these parameters, so there is no comparison.`;
    case 'unchanged':
      return `That is the configuration it already has (${original}).`;
    case 'changed':
      return `Against its current ${original}: ${saving.cost.percent} cost (${saving.cost.before} → ${saving.cost.after} per million), ${saving.duration.percent} median duration (${saving.duration.before} → ${saving.duration.after}).`;
  }
}

/** Compared with the cell at the function's original memory and the recommended parameters. */
function saving(result: TuneResult, recommended: MeasuredCell): Saving | undefined {
  const original = result.functions.find((f) => f.name === recommended.function)?.originalMemoryMb;
  if (original === undefined) return undefined;
  const originalMemory = formatMb(original);
  const current = result.analysis.cells.find((c) => c.function === recommended.function && c.memoryMb === original && sameParams(c.params, recommended.params));
  if (current === undefined || !isMeasured(current)) return { kind: 'unmeasured', originalMemory };
  if (current.id === recommended.id) return { kind: 'unchanged', originalMemory };
  return {
    kind: 'changed',
    originalMemory,
    cost: change(current.costPerMillionUsd, recommended.costPerMillionUsd, formatUsd),
    duration: change(current.durationMs.median, recommended.durationMs.median, formatMs),
  };
}

function change(before: number, after: number, format: (value: number) => string): Change {
  return { before: format(before), after: format(after), percent: percent(after / before - 1) };
}

function percent(change: number): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return `${sign}${Math.abs(change * 100).toFixed(0)}%`;
}
