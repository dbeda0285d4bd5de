import type { TuneResult } from '../result/types.js';
import { CELL_MARKERS, type CellColumn, cellRows, MEASURE_COLUMNS, pick } from './cells.js';
import { formatMb, formatMs, formatNumber, formatUsd, table } from './format.js';

/** The result as a table for the terminal: every cell, the frontier and sweet spot marked, then the recommendation. */
export function renderTerminal(result: TuneResult): string {
  const { analysis } = result;
  const byChunk = result.plan.chunkMb.some((c) => c !== null);
  const headers = [
    '',
    'function',
    'memory',
    ...(byChunk ? ['chunk'] : []),
    'n',
    'errors',
    'median',
    'p95',
    'median 95% CI',
    'max mem',
    'headroom',
    'per invocation',
    'per million',
  ];
  const columns: CellColumn[] = ['marker', 'function', 'memory', ...(byChunk ? (['chunk'] as const) : []), ...MEASURE_COLUMNS];
  const rows = cellRows(result).map((row) => pick(row, columns));
  const lines = [table(headers, rows, new Set([0, 1])), CELL_MARKERS, ''];
  lines.push(...recommendation(result), ...coldStarts(result), ...timings(result));
  lines.push(
    `This run: ${result.samples.length} invocations, ${formatUsd(analysis.runCostUsd)} (${result.run.target === 'local' ? 'what they would cost on AWS' : 'billed by AWS'}).`,
  );
  return `${lines.join('\n')}\n`;
}

function recommendation(result: TuneResult): string[] {
  const spot = result.analysis.sweetSpot;
  if (spot === null) return ['No sweet spot: every cell failed. See the errors above.', ''];
  const cell = result.analysis.cells.find((c) => c.id === spot.cellId)!;
  const chunk = cell.chunkMb === null ? '' : ` with ${formatMb(cell.chunkMb)} chunks`;
  return [
    `★ Sweet spot: ${cell.function} at ${formatMb(cell.memoryMb)}${chunk}: median ${formatMs(cell.durationMs!.median)}, p95 ${formatMs(cell.durationMs!.p95)}, ${formatUsd(cell.costPerMillionUsd!)} per million invocations.`,
    `  Chosen by: ${spot.rule}.`,
    ...spot.notes.map((note) => `  ${note}`),
    '',
  ];
}

function coldStarts(result: TuneResult): string[] {
  const lines: string[] = [];
  for (const fn of result.functions) {
    const cells = result.analysis.cells.filter((c) => c.function === fn.name && c.cold.initDurationMs !== null);
    if (cells.length === 0) continue;
    const parts = cells
      .filter((c, i, all) => all.findIndex((o) => o.memoryMb === c.memoryMb) === i)
      .map((c) => `${formatMb(c.memoryMb)} ${formatMs(c.cold.initDurationMs!.median)}`);
    lines.push(`Cold starts of ${fn.name} (init duration, median): ${parts.join(', ')}.`);
  }
  return lines.length === 0 ? [] : [...lines, ''];
}

function timings(result: TuneResult): string[] {
  const names = [...new Set(result.analysis.cells.flatMap((c) => Object.keys(c.timings)))];
  if (names.length === 0) return [];
  const sweet = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  if (sweet === undefined) return [`Logged timings: ${names.join(', ')}.`, ''];
  const values = names.filter((n) => sweet.timings[n] !== undefined).map((n) => `${n} ${formatNumber(sweet.timings[n]!.median)}`);
  return [`Logged timings at the sweet spot (median): ${values.join(', ')}.`, ''];
}
