import type { CellSummary, FunctionInfo, TuneResult } from '../result/types.js';
import { type Column, type TextTable, tabulate } from './columns.js';
import { formatMs, formatNumber, formatUsd } from './format.js';

/** A table after the cells, under its own heading: each format (Markdown, HTML) lays it out its own way. */
export interface Section {
  title: string;
  intro?: string;
  table: TextTable;
}

/** The tables after the cells: cold starts, logged timings, prices. Empty ones are left out. */
export function sectionTables(result: TuneResult): Section[] {
  return [coldStarts(result), timings(result), prices(result)].filter((section) => section.table.rows.length > 0);
}

const cellColumn: Column<CellSummary> = { header: 'cell', align: 'left', text: (c) => c.id };

const COLD_START_COLUMNS: Column<CellSummary>[] = [
  cellColumn,
  { header: 'cold starts', align: 'right', text: (c) => String(c.cold.count) },
  { header: 'init duration (median)', align: 'right', text: (c) => formatMs(c.cold.initDurationMs?.median ?? 0) },
  { header: 'duration (median)', align: 'right', text: (c) => (c.cold.durationMs === null ? '–' : formatMs(c.cold.durationMs.median)) },
  { header: 'init + duration (median)', align: 'right', text: (c) => (c.cold.totalDurationMs ? formatMs(c.cold.totalDurationMs.median) : '–') },
  { header: 'cost each', align: 'right', text: (c) => (c.cold.costPerInvocationUsd === null ? '–' : formatUsd(c.cold.costPerInvocationUsd)) },
];

function coldStarts(result: TuneResult): Section {
  const cells = result.analysis.cells.filter((c) => c.cold.count > 0);
  return { title: 'Cold starts', intro: 'Kept apart from the warm statistics above.', table: tabulate(COLD_START_COLUMNS, cells) };
}

function timingColumn(name: string): Column<CellSummary> {
  return { header: name, align: 'right', text: (c) => (c.timings[name] === undefined ? '–' : formatNumber(c.timings[name].median)) };
}

function timings(result: TuneResult): Section {
  const names = [...new Set(result.analysis.cells.flatMap((c) => Object.keys(c.timings)))].sort();
  const cells = result.analysis.cells.filter((c) => Object.keys(c.timings).length > 0);
  return { title: 'Logged timings (median)', table: tabulate([cellColumn, ...names.map(timingColumn)], cells) };
}

const PRICE_COLUMNS: Column<FunctionInfo>[] = [
  { header: 'function', align: 'left', text: (f) => f.name },
  { header: 'region', align: 'left', text: (f) => f.prices.region },
  { header: 'architecture', align: 'left', text: (f) => f.prices.architecture },
  { header: 'per GB-second', align: 'right', text: (f) => `$${f.prices.pricePerGbSecondUsd}` },
  { header: 'requests', align: 'right', text: (f) => `$${(f.prices.pricePerRequestUsd * 1e6).toFixed(2)} per million` },
  { header: 'INIT billed', align: 'left', text: (f) => (f.prices.billInit ? 'yes' : 'no') },
  { header: 'source', align: 'left', text: (f) => f.prices.source },
];

function prices(result: TuneResult): Section {
  return { title: 'Prices used', table: tabulate(PRICE_COLUMNS, result.functions) };
}
