import { escapeTable } from '../report/columns.js';
import { markdownCode, markdownText } from '../report/escape.js';
import { markdownTable } from '../report/markdown-table.js';
import { HISTORY_CHART } from './chart.js';
import { historyTable } from './table.js';
import { methodText, runLabel, shiftText } from './text.js';
import type { History, HistoryRun } from './types.js';
import { MIN_SAMPLES_TEXT } from './shifts.js';

/**
 * report-history.md: the verdict first (how many change points, where), the chart, the runs, then
 * the evidence for each change point. Names and paths are code spans, other text from the files is
 * escaped (escape.ts), so nothing in a result or a commit subject can add markup.
 */
export function renderHistoryMarkdown(history: History): string {
  const functions = [...new Set(history.runs.flatMap((run) => run.functions))];
  return [
    `# lambda-tune history${functions.length === 0 ? '' : `: ${functions.map(markdownCode).join(', ')}`}`,
    '',
    summary(history),
    '',
    `![Median duration and cost per million of the recommended configuration, run by run](${HISTORY_CHART}.svg)`,
    '',
    markdownTable(escapeTable(historyTable(history), markdownText)),
    '',
    ...changePoints(history),
    ...notComparable(history),
    ...skipped(history),
    '## How a change point is found',
    '',
    markdownText(methodText(history.confidence, history.minChangePercent)),
    '',
  ].join('\n');
}

function summary(history: History): string {
  const n = history.changePoints.length;
  const runs = `${history.runs.length} ${history.runs.length === 1 ? 'run' : 'runs'}`;
  const order = history.orderedBy === 'commit' ? 'in commit order' : 'in the order they started';
  const verdict = n === 0 ? 'no change point' : `${n} ${n === 1 ? 'change point' : 'change points'} (run ${history.changePoints.join(', ')})`;
  return `**${runs}, ${verdict}**, ${order}.`;
}

function changePoints(history: History): string[] {
  const items = history.runs.flatMap((run) => {
    const c = run.comparison;
    if (c.status !== 'compared' || !c.changePoint) return [];
    return [
      `- **Run ${run.number}** (${where(run)}): performance shifted in ${c.shifts.length} of ${c.cells} cells:`,
      ...c.shifts.map((shift) => `  - ${shiftText(shift, markdownCode)}`),
    ];
  });
  return items.length === 0 ? [] : ['## Change points', '', ...items, ''];
}

function notComparable(history: History): string[] {
  const items = history.runs.flatMap((run) => {
    const c = run.comparison;
    if (c.status === 'not-comparable') return [`- Run ${run.number} (${where(run)}): ${markdownText(c.reasons.join('; '))}.`];
    if (c.status === 'compared' && c.cells === 0)
      return [`- Run ${run.number} (${where(run)}): no cell had enough samples in both runs to compare (at least ${MIN_SAMPLES_TEXT}).`];
    return [];
  });
  return items.length === 0 ? [] : ['## Not compared with the run before', '', ...items, ''];
}

function skipped(history: History): string[] {
  if (history.skipped.length === 0) return [];
  return ['## Skipped (not valid results)', '', ...history.skipped.map((s) => `- ${markdownCode(s.origin)}: ${markdownText(s.reason)}`), ''];
}

/** The run's label and where it came from. */
function where(run: HistoryRun): string {
  const subject = run.commit === undefined ? '' : ` “${markdownText(run.commit.subject)}”`;
  return `${markdownText(runLabel(run))}, ${markdownCode(run.origin)}${subject}`;
}
