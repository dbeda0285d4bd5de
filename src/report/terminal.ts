import type { CellSummary, Summary, TuneResult } from '../result/types.js';
import { axisColumns, CELL_MARKERS, cellColumns, markCells, measureColumns } from './cell-columns.js';
import { type Column, tabulate } from './columns.js';
import { terminalText } from './escape.js';
import { formatMb, formatMs, formatNumber, formatUsd } from './format.js';
import { coldText, recommend, settingText } from './recommendation.js';
import { samplingLines, STOP_LEGEND } from './sampling.js';
import { terminalTable } from './terminal-table.js';

/** The result as a table for the terminal: every cell, the frontier and sweet spot marked, then the recommendation. Text from the result is escaped (escape.ts). */
export function renderTerminal(result: TuneResult): string {
  const lines = [
    cellsTable(result),
    CELL_MARKERS,
    ...legend(result),
    '',
    ...recommendation(result),
    ...adaptive(result),
    ...coldStarts(result),
    ...timings(result),
    runCost(result),
  ];
  return `${lines.join('\n')}\n`;
}

function cellsTable(result: TuneResult): string {
  const columns = [...cellColumns(['marker', 'function', 'memory']), ...axisColumns(result), ...cellColumns(measureColumns(result))];
  return terminalTable(tabulate(columns, markCells(result), { short: true }));
}

function legend(result: TuneResult): string[] {
  return result.run.sampling === undefined ? [] : [STOP_LEGEND];
}

/** What adaptive sampling saved, and which sizes a memory search measured. */
function adaptive(result: TuneResult): string[] {
  const lines = samplingLines(result).map(terminalText);
  return lines.length === 0 ? [] : [...lines, ''];
}

function recommendation(result: TuneResult): string[] {
  const r = recommend(result);
  if (r === null) return [noSweetSpot(result), ''];
  return [
    `★ Sweet spot: ${terminalText(r.function)} at ${terminalText(settingText(r))}: median ${r.median}, p95 ${r.p95}, ${r.costPerMillion} per million invocations.`,
    ...(r.cold === undefined ? [] : [`  ${coldText(r.cold)}`]),
    `  Chosen by: ${terminalText(r.rule)}.`,
    ...r.notes.map((note) => `  ${terminalText(note)}`),
    '',
  ];
}

function noSweetSpot(result: TuneResult): string {
  if (result.analysis.selection.optimize === 'cold' && result.analysis.cells.some((c) => !c.failed))
    return 'No sweet spot: no cell that never failed has cold starts measured (--optimize cold needs them: tune with --cold N).';
  return 'No sweet spot: every cell failed. See the errors above.';
}

function coldStarts(result: TuneResult): string[] {
  if (result.run.coldStartsPerCell !== undefined) return coldStartTable(result);
  const lines = result.functions.flatMap((fn) => {
    const parts = initDurations(result, fn.name);
    return parts.length === 0 ? [] : [`Cold starts of ${terminalText(fn.name)} (init duration, median): ${parts.join(', ')}.`];
  });
  return lines.length === 0 ? [] : [...lines, ''];
}

/** With --cold: every cell's cold starts, each on a fresh environment. */
function coldStartTable(result: TuneResult): string[] {
  const cells = result.analysis.cells.filter((c) => c.cold.count > 0);
  if (cells.length === 0) return [];
  const ms = (summary: Summary | null | undefined) => (summary === null || summary === undefined ? '–' : formatMs(summary.median));
  const columns: Column<CellSummary>[] = [
    { header: 'cell', align: 'left', text: (c) => c.id },
    { header: 'n', align: 'right', text: (c) => String(c.cold.count) },
    { header: 'init', align: 'right', text: (c) => ms(c.cold.initDurationMs) },
    { header: 'duration', align: 'right', text: (c) => ms(c.cold.durationMs) },
    { header: 'init + duration', align: 'right', text: (c) => ms(c.cold.totalDurationMs) },
    { header: 'p95', align: 'right', text: (c) => (c.cold.totalDurationMs ? formatMs(c.cold.totalDurationMs.p95) : '–') },
    { header: 'per cold start', align: 'right', text: (c) => (c.cold.costPerInvocationUsd === null ? '–' : formatUsd(c.cold.costPerInvocationUsd)) },
  ];
  return [`Cold starts (medians; each on a fresh environment, ${String(result.run.coldStartsPerCell)} a cell):`, terminalTable(tabulate(columns, cells)), ''];
}

/** A function's median init duration at each memory size, the first cell of each size standing for it. */
function initDurations(result: TuneResult, fn: string): string[] {
  const seen = new Set<number>();
  return result.analysis.cells.flatMap((c) => {
    if (c.function !== fn || c.cold.initDurationMs === null || seen.has(c.memoryMb)) return [];
    seen.add(c.memoryMb);
    return [`${formatMb(c.memoryMb)} ${formatMs(c.cold.initDurationMs.median)}`];
  });
}

function timings(result: TuneResult): string[] {
  const names = [...new Set(result.analysis.cells.flatMap((c) => Object.keys(c.timings)))];
  if (names.length === 0) return [];
  const sweet = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  if (sweet === undefined) return [`Logged timings: ${names.map(terminalText).join(', ')}.`, ''];
  const values = names.flatMap((n) => {
    const summary = sweet.timings[n];
    return summary === undefined ? [] : [`${terminalText(n)} ${formatNumber(summary.median)}`];
  });
  return [`Logged timings at the sweet spot (median): ${values.join(', ')}.`, ''];
}

function runCost(result: TuneResult): string {
  const billing = result.run.target === 'local' ? 'what they would cost on AWS' : 'billed by AWS';
  return `This run: ${result.samples.length} invocations, ${formatUsd(result.analysis.runCostUsd)} (${billing}).`;
}
