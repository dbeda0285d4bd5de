/**
 * A memory range searched column by column: each function × parameter combination has its own
 * duration-against-memory curve, so each is searched on its own (memory-search.ts), and this keeps
 * track of the steps each has taken and why each size was measured. Pure: the caller measures the
 * sizes it is given and hands back what it found.
 */
import { type SearchInput, searchObjective, searchStep, type SizeOutcome, type SizeReason } from './memory-search.js';
import type { CellSummary, SelectionOptions } from '../result/types.js';

/** A column as measured so far: its sizes' outcomes and the sweet spot the analysis finds among them. */
export interface ColumnView {
  key: string;
  outcomes: readonly SizeOutcome[];
  recommendedMb?: number | undefined;
}

export interface SizeChoice {
  column: string;
  memoryMb: number;
  reason: SizeReason;
}

export class RangeSearch {
  private readonly rounds = new Map<string, number>();
  private readonly finished = new Set<string>();
  /** Every size asked for, in the order asked, with why. */
  readonly choices: SizeChoice[] = [];

  constructor(
    private readonly sizes: readonly number[],
    private readonly selection: SelectionOptions,
    private readonly costOf: SearchInput['costOf'],
  ) {}

  /** The sizes to measure next in every column not yet settled; none when every column is. */
  next(columns: readonly ColumnView[]): SizeChoice[] {
    const objective = searchObjective(this.selection);
    const chosen: SizeChoice[] = [];
    for (const column of columns) {
      if (this.finished.has(column.key)) continue;
      const round = this.rounds.get(column.key) ?? 0;
      const step = searchStep({ sizes: this.sizes, outcomes: column.outcomes, objective, costOf: this.costOf, recommendedMb: column.recommendedMb, round });
      this.rounds.set(column.key, round + 1);
      if (step.done) this.finished.add(column.key);
      chosen.push(...step.measure.map(({ memoryMb, reason }) => ({ column: column.key, memoryMb, reason })));
    }
    this.choices.push(...chosen);
    return chosen;
  }

  /** Why a size of a column was measured; undefined for a size the search never asked for. */
  reasonFor(column: string, memoryMb: number): SizeReason | undefined {
    return this.choices.find((c) => c.column === column && c.memoryMb === memoryMb)?.reason;
  }
}

/** What the search reads of a measured cell: the duration the strategy judges by (the median, or a target's percentile) and the cost. */
export function sizeOutcome(cell: CellSummary, selection: SelectionOptions): SizeOutcome {
  const d = cell.durationMs;
  if (cell.failed || d === null || cell.costPerInvocationUsd === null) return { memoryMb: cell.memoryMb, failed: cell.failed };
  const p = selection.maxDurationMs === undefined ? 50 : selection.percentile;
  const durationMs = p === 50 ? d.median : p === 90 ? d.p90 : p === 95 ? d.p95 : d.p99;
  return { memoryMb: cell.memoryMb, failed: false, durationMs, costUsd: cell.costPerInvocationUsd };
}
