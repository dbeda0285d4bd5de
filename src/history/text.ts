import { paramsText } from '../plan/axes.js';
import { formatMb, formatMs } from '../report/format.js';
import type { CellShift, HistoryRun, RecommendedConfig } from './types.js';

/**
 * The history's words, as plain text: each format escapes them for itself (escape.ts), since
 * names, paths and commit subjects come from the user's files.
 */

/** A run as a reader tells it from its neighbours: the short commit and its day, or when the run started. */
export function runLabel(run: HistoryRun): string {
  if (run.commit !== undefined) return `${run.commit.hash.slice(0, 7)} ${run.commit.date.slice(0, 10)}`;
  const time = Date.parse(run.startedAt);
  // Minutes in UTC: the same result reads the same on any machine.
  return Number.isNaN(time) ? run.startedAt : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** `hasher 512 MB, chunkSizeMb=20`; `hasher 512 MB` when the run varied nothing else. */
export function configText(config: RecommendedConfig): string {
  const params = paramsText(config.params);
  return `${config.function} ${formatMb(config.memoryMb)}${params === '' ? '' : `, ${params}`}`;
}

/**
 * `hasher/512MB/chunkSizeMb=20: median 610 ms → 720 ms (+18%, p < 0.001)`. The cell id comes from
 * the user's files, so the format escapes it (`id`); the rest is lambda-tune's own text.
 */
export function shiftText(shift: CellShift, id: (cellId: string) => string): string {
  const move = `${formatMs(shift.beforeMedianMs)} → ${formatMs(shift.afterMedianMs)}`;
  return `${id(shift.cellId)}: median ${move} (${percentText(shift.changePercent)}, ${pText(shift.pValue)})`;
}

function pText(pValue: number): string {
  return pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
}

/** A signed whole percentage, with a true minus sign: +18%, −12%. */
export function percentText(percent: number): string {
  const rounded = Math.round(percent);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)}%`;
}

/** The table's last column: what the comparison with the previous run found, and whether the run measured every cell. */
export function changeText(run: HistoryRun): string {
  const stopped = run.stoppedBy === undefined ? [] : [`stopped early (${run.stoppedBy})`];
  return [...comparisonText(run.comparison), ...stopped].join('; ');
}

function comparisonText(comparison: HistoryRun['comparison']): string[] {
  if (comparison.status === 'not-comparable') return ['not comparable'];
  if (comparison.status === 'first' || !comparison.changePoint) return [];
  return [`▲ shifted: ${comparison.shifts.length} of ${comparison.cells} ${comparison.cells === 1 ? 'cell' : 'cells'}`];
}

/** One line on how change points are found, for the terminal. */
export function shortMethodText(confidence: number, minChangePercent: number): string {
  return `Each cell against the run before: Mann–Whitney U (two-sided, Holm-corrected), ${confidence * 100}% confidence, a median moving by more than ${minChangePercent}%.`;
}

/** A sentence on how change points are found, with the settings used. */
export function methodText(confidence: number, minChangePercent: number): string {
  return (
    `Each run is compared with the one before it, cell by cell over the cells both measured (Mann–Whitney U, two-sided, on the warm successful samples; ` +
    `Holm's correction across the cells of the comparison). A cell moved when the test finds the change real at ${confidence * 100}% confidence ` +
    `and its median moved by more than ${minChangePercent}%.`
  );
}
