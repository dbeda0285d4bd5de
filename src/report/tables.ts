import type { TuneResult } from '../result/types.js';
import { formatMs, formatNumber, formatUsd } from './format.js';

/** A table as data: each format (Markdown, HTML) lays it out its own way. */
export interface Table {
  title: string;
  intro?: string;
  headers: string[];
  /** Per column: numbers align right, text left. */
  numeric: boolean[];
  rows: string[][];
}

/** The tables after the cells: cold starts, logged timings, prices. Empty ones are left out. */
export function sectionTables(result: TuneResult): Table[] {
  return [coldStarts(result), timings(result), prices(result)].filter((table): table is Table => table !== undefined && table.rows.length > 0);
}

function coldStarts(result: TuneResult): Table {
  return {
    title: 'Cold starts',
    intro: 'Kept apart from the warm statistics above.',
    headers: ['cell', 'cold starts', 'init duration (median)', 'duration (median)', 'cost each'],
    numeric: [false, true, true, true, true],
    rows: result.analysis.cells
      .filter((c) => c.cold.count > 0)
      .map((c) => [
        c.id,
        String(c.cold.count),
        formatMs(c.cold.initDurationMs?.median ?? 0),
        c.cold.durationMs === null ? '–' : formatMs(c.cold.durationMs.median),
        c.cold.costPerInvocationUsd === null ? '–' : formatUsd(c.cold.costPerInvocationUsd),
      ]),
  };
}

function timings(result: TuneResult): Table | undefined {
  const names = [...new Set(result.analysis.cells.flatMap((c) => Object.keys(c.timings)))].sort();
  if (names.length === 0) return undefined;
  return {
    title: 'Logged timings (median)',
    headers: ['cell', ...names],
    numeric: [false, ...names.map(() => true)],
    rows: result.analysis.cells
      .filter((c) => Object.keys(c.timings).length > 0)
      .map((c) => [c.id, ...names.map((n) => (c.timings[n] === undefined ? '–' : formatNumber(c.timings[n]!.median)))]),
  };
}

function prices(result: TuneResult): Table {
  return {
    title: 'Prices used',
    headers: ['function', 'region', 'architecture', 'per GB-second', 'requests', 'INIT billed', 'source'],
    numeric: [false, false, false, true, true, false, false],
    rows: result.functions.map((f) => [
      f.name,
      f.prices.region,
      f.prices.architecture,
      `$${f.prices.pricePerGbSecondUsd}`,
      `$${(f.prices.pricePerRequestUsd * 1e6).toFixed(2)} per million`,
      f.prices.billInit ? 'yes' : 'no',
      f.prices.source,
    ]),
  };
}
