import { type ParamValue, valueText } from '../plan/axes.js';
import type { CellSummary, StopReason, TuneResult } from '../result/types.js';
import { type Column } from './columns.js';
import { formatMb, formatMs, formatUsd } from './format.js';
import { STOP_WORDS } from './sampling.js';

/** How a cell is marked in every table: recommended, on the Pareto frontier, failed, or nothing. */
export type Marker = '★' | '◆' | '✗' | '';

export const CELL_MARKERS = '★ recommended · ◆ on the Pareto frontier (nothing is both cheaper and faster) · ✗ failed (never recommended)';

/** A cell with its marker, the item every table of cells shows a row for. */
export interface MarkedCell {
  cell: CellSummary;
  marker: Marker;
  /** With adaptive sampling: why the cell got no more invocations. */
  stoppedBecause?: StopReason | undefined;
}

export function markCells(result: TuneResult): MarkedCell[] {
  const sweetId = result.analysis.sweetSpot?.cellId;
  const stops = result.run.sampling?.stoppedBecause ?? {};
  return result.analysis.cells.map((cell) => ({ cell, marker: marker(cell, sweetId), stoppedBecause: stops[cell.id] }));
}

function marker(cell: CellSummary, sweetId: string | undefined): Marker {
  if (cell.id === sweetId) return '★';
  if (cell.failed) return '✗';
  return cell.onFrontier ? '◆' : '';
}

const NONE = '–';

/** Every column a table of cells can show; each format picks and orders the ones it lays out. */
export const CELL_COLUMNS = {
  marker: { header: '', align: 'left', text: ({ marker }) => marker },
  function: { header: 'function', align: 'left', text: ({ cell }) => cell.function },
  build: { header: 'function', align: 'left', text: ({ cell }) => `${cell.function} (${cell.architecture})` },
  memory: { header: 'memory', align: 'right', text: ({ cell }) => formatMb(cell.memoryMb) },
  invocations: { header: 'n', align: 'right', text: ({ cell }) => String(cell.invocations) },
  errors: { header: 'errors', align: 'left', text: ({ cell }) => errors(cell) },
  median: { header: 'median', align: 'right', text: ({ cell }) => (cell.durationMs === null ? NONE : formatMs(cell.durationMs.median)) },
  p95: { header: 'p95', align: 'right', text: ({ cell }) => (cell.durationMs === null ? NONE : formatMs(cell.durationMs.p95)) },
  medianCi: { header: 'median 95% CI', align: 'right', text: ({ cell }) => medianCi(cell) },
  maxMemoryUsed: { header: 'max memory used', shortHeader: 'max mem', align: 'right', text: ({ cell }) => formatMb(cell.maxMemoryUsedMb) },
  headroom: { header: 'headroom', align: 'right', text: ({ cell }) => formatMb(cell.headroomMb) },
  perInvocation: { header: 'per invocation', align: 'right', text: ({ cell }) => usdOrNone(cell.costPerInvocationUsd) },
  perMillion: { header: 'per million', align: 'right', text: ({ cell }) => usdOrNone(cell.costPerMillionUsd) },
  stopped: { header: 'stopped', align: 'left', text: ({ stoppedBecause }) => (stoppedBecause === undefined ? NONE : STOP_WORDS[stoppedBecause]) },
} satisfies Record<string, Column<MarkedCell>>;

export type CellColumnKey = keyof typeof CELL_COLUMNS;

/** The columns every table of cells shows after the ones naming the cell, in order. */
export const MEASURE_COLUMNS: readonly CellColumnKey[] = [
  'invocations',
  'errors',
  'median',
  'p95',
  'medianCi',
  'maxMemoryUsed',
  'headroom',
  'perInvocation',
  'perMillion',
];

/** The columns of measuring, and with adaptive sampling why each cell stopped. */
export function measureColumns(result: Pick<TuneResult, 'run'>): CellColumnKey[] {
  return result.run.sampling === undefined ? [...MEASURE_COLUMNS] : [...MEASURE_COLUMNS, 'stopped'];
}

export function cellColumns(keys: readonly CellColumnKey[]): Column<MarkedCell>[] {
  return keys.map((key) => CELL_COLUMNS[key]);
}

/** The names of every parameter a result's cells carry: the plan's axes in order, then any only measurements from elsewhere have. */
export function axisNames(result: Pick<TuneResult, 'plan' | 'analysis'>): string[] {
  const names = result.plan.axes.map((axis) => axis.name);
  const extra = new Set(result.analysis.cells.flatMap((cell) => Object.keys(cell.params)).filter((name) => !names.includes(name)));
  return [...names, ...[...extra].sort()];
}

/** A column per parameter, headed by its name; a cell without it shows –. */
export function axisColumns(result: Pick<TuneResult, 'plan' | 'analysis'>): Column<MarkedCell>[] {
  return axisNames(result).map((name) => ({
    header: name,
    align: 'right',
    text: ({ cell }) => (Object.hasOwn(cell.params, name) ? valueText(cell.params[name] as ParamValue) : NONE),
  }));
}

/** `1: Runtime.OutOfMemory ×1`; errors the run allowed follow apart (`2 allowed: ConditionalCheckFailed ×2`), as they count as successes. */
function errors(cell: CellSummary): string {
  const byType = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([type, count]) => `${type} ×${count}`)
      .join(', ');
  const allowedCount = Object.values(cell.allowedErrorTypes ?? {}).reduce((sum, n) => sum + n, 0);
  const allowed = allowedCount === 0 ? undefined : `${allowedCount} allowed: ${byType(cell.allowedErrorTypes ?? {})}`;
  if (cell.errors === 0) return allowed ?? '0';
  const failed = `${cell.errors}: ${byType(cell.errorTypes)}`;
  return allowed === undefined ? failed : `${failed}; ${allowed}`;
}

function medianCi(cell: CellSummary): string {
  if (cell.durationMs === null) return NONE;
  const { low, high } = cell.durationMs.medianCi;
  return `${formatMs(low)} – ${formatMs(high)}`;
}

function usdOrNone(usd: number | null): string {
  return usd === null ? NONE : formatUsd(usd);
}
