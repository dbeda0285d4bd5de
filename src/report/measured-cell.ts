import type { CellSummary, Summary } from '../result/types.js';

/** A cell with warm durations and costs: every cell that had a successful warm invocation. */
export type MeasuredCell = CellSummary & { durationMs: Summary; costPerInvocationUsd: number; costPerMillionUsd: number };

export function isMeasured(cell: CellSummary): cell is MeasuredCell {
  return cell.durationMs !== null && cell.costPerInvocationUsd !== null && cell.costPerMillionUsd !== null;
}
