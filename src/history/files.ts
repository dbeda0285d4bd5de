import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { explainFileError } from '../errors.js';
import { renderChart } from '../report/chart-render.js';
import { HISTORY_CHART, historyChart } from './chart.js';
import { renderHistoryMarkdown } from './markdown.js';
import type { History } from './types.js';

export const HISTORY_REPORT = 'report-history.md';

/** Writes report-history.md and the chart as PNG and SVG into a folder; returns the files written. */
export function writeHistoryFiles(history: History, dir: string): string[] {
  const chart = historyChart(history);
  const files: [string, () => string | Buffer][] = [
    [HISTORY_REPORT, () => renderHistoryMarkdown(history)],
    [`${HISTORY_CHART}.png`, () => renderChart(chart, 'png')],
    [`${HISTORY_CHART}.svg`, () => renderChart(chart, 'svg')],
  ];
  try {
    mkdirSync(dir, { recursive: true });
    return files.map(([name, render]) => {
      const file = path.join(dir, name);
      writeFileSync(file, render());
      return file;
    });
  } catch (error) {
    throw explainFileError(error, 'the history reports in', dir, false);
  }
}
