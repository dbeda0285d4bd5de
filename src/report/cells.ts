import type { CellSummary, TuneResult } from '../result/types.js';
import { formatMb, formatMs, formatUsd } from './format.js';

/** One cell as every rendering shows it: the values formatted once, each format only lays them out. */
export interface CellRow {
  marker: '★' | '◆' | '✗' | '';
  function: string;
  architecture: string;
  memory: string;
  chunk: string;
  invocations: string;
  errors: string;
  median: string;
  p95: string;
  medianCi: string;
  maxMemoryUsed: string;
  headroom: string;
  perInvocation: string;
  perMillion: string;
}

export const CELL_MARKERS = '★ recommended · ◆ on the Pareto frontier (nothing is both cheaper and faster) · ✗ failed (never recommended)';

export function cellRows(result: TuneResult): CellRow[] {
  const sweet = result.analysis.sweetSpot?.cellId;
  return result.analysis.cells.map((cell) => ({
    marker: cell.id === sweet ? '★' : cell.failed ? '✗' : cell.onFrontier ? '◆' : '',
    function: cell.function,
    architecture: cell.architecture,
    memory: formatMb(cell.memoryMb),
    chunk: cell.chunkMb === null ? '–' : formatMb(cell.chunkMb),
    invocations: String(cell.invocations),
    errors: errors(cell),
    median: cell.durationMs === null ? '–' : formatMs(cell.durationMs.median),
    p95: cell.durationMs === null ? '–' : formatMs(cell.durationMs.p95),
    medianCi: cell.durationMs === null ? '–' : `${formatMs(cell.durationMs.medianCi.low)} – ${formatMs(cell.durationMs.medianCi.high)}`,
    maxMemoryUsed: formatMb(cell.maxMemoryUsedMb),
    headroom: formatMb(cell.headroomMb),
    perInvocation: cell.costPerInvocationUsd === null ? '–' : formatUsd(cell.costPerInvocationUsd),
    perMillion: cell.costPerMillionUsd === null ? '–' : formatUsd(cell.costPerMillionUsd),
  }));
}

export type CellColumn = keyof CellRow;

/** The columns every table of cells shows after its function column, in order. */
export const MEASURE_COLUMNS: CellColumn[] = ['invocations', 'errors', 'median', 'p95', 'medianCi', 'maxMemoryUsed', 'headroom', 'perInvocation', 'perMillion'];

export function pick(row: CellRow, columns: readonly CellColumn[]): string[] {
  return columns.map((column) => row[column]);
}

function errors(cell: CellSummary): string {
  if (cell.errors === 0) return '0';
  return `${cell.errors}: ${Object.entries(cell.errorTypes)
    .map(([type, n]) => `${type} ×${n}`)
    .join(', ')}`;
}
