import { terminalText } from '../report/escape.js';
import { terminalTable } from '../report/terminal-table.js';
import { historyTable } from './table.js';
import { runLabel, shiftText, shortMethodText } from './text.js';
import type { History, HistoryRun } from './types.js';
import { MIN_SAMPLES_TEXT } from './shifts.js';

/** The history for the terminal: one row per run, then what moved at each change point, what could not be compared, and what was skipped. */
export function renderHistoryTerminal(history: History): string {
  const notes = [...history.runs.flatMap(runNotes), ...skippedLines(history)];
  const lines = [
    terminalTable(historyTable(history)),
    '',
    ...notes,
    ...(notes.length === 0 ? [] : ['']),
    summaryLine(history),
    `  ${shortMethodText(history.confidence, history.minChangePercent)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function runNotes(run: HistoryRun): string[] {
  const name = `Run ${run.number} (${terminalText(runLabel(run))})`;
  const c = run.comparison;
  if (c.status === 'not-comparable') return [`✗ ${name} is not comparable with run ${run.number - 1}: ${c.reasons.map(terminalText).join('; ')}.`];
  if (c.status === 'compared' && c.cells === 0)
    return [`· ${name}: no cell had enough samples in both runs to compare (at least ${MIN_SAMPLES_TEXT}); nothing could be told.`];
  if (c.status !== 'compared' || !c.changePoint) return [];
  return [`▲ ${name}: performance shifted in ${c.shifts.length} of ${c.cells} cells:`, ...c.shifts.map((shift) => `    ${shiftText(shift, terminalText)}`)];
}

function skippedLines(history: History): string[] {
  if (history.skipped.length === 0) return [];
  const files = history.skipped.length === 1 ? 'file that is not a valid result' : 'files that are not valid results';
  return [`Skipped ${history.skipped.length} ${files}:`, ...history.skipped.map((s) => `    ${terminalText(s.origin)}: ${terminalText(s.reason)}`)];
}

function summaryLine(history: History): string {
  const n = history.changePoints.length;
  const where = n === 0 ? '' : ` (run ${history.changePoints.join(', ')})`;
  const order = history.orderedBy === 'commit' ? 'in commit order' : 'in the order they started';
  return `${history.runs.length} ${history.runs.length === 1 ? 'run' : 'runs'} ${order}, ${n} ${n === 1 ? 'change point' : 'change points'}${where}.`;
}
