import { type Column, tabulate, type TextTable } from '../report/columns.js';
import { formatMs, formatUsd } from '../report/format.js';
import { changeText, configText, runLabel } from './text.js';
import type { History, HistoryRun } from './types.js';

/** The per-run columns, defined once for the terminal and report-history.md; text is plain, each format escapes it. */
const COLUMNS: Column<HistoryRun>[] = [
  { header: '#', align: 'right', text: (run) => String(run.number) },
  { header: 'run', align: 'left', text: runLabel },
  { header: 'recommended', align: 'left', text: (run) => (run.recommended === null ? 'none: every cell failed' : configText(run.recommended)) },
  { header: 'median', align: 'right', text: (run) => (run.recommended === null ? '–' : formatMs(run.recommended.medianMs)) },
  { header: 'p95', align: 'right', text: (run) => (run.recommended === null ? '–' : formatMs(run.recommended.p95Ms)) },
  { header: 'per million', align: 'right', text: (run) => (run.recommended === null ? '–' : formatUsd(run.recommended.costPerMillionUsd)) },
  { header: 'change', align: 'left', text: changeText },
];

export function historyTable(history: History): TextTable {
  return tabulate(COLUMNS, history.runs);
}
