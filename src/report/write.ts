import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_FILE } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import type { ReportFormat } from './formats.js';
import { costDurationChart, memoryChart } from './chart-config.js';
import { renderChart } from './chart-render.js';
import { renderSamplesCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

/** Users' own copies of the report templates, by kind. */
export interface Templates {
  md?: string | undefined;
  html?: string | undefined;
}

type Rendering = { name: string; render: (result: TuneResult, templates: Templates) => string | Buffer };

const charts = (format: 'png' | 'svg'): Rendering[] => [
  { name: `chart.${format}`, render: (result) => renderChart(costDurationChart(result), format) },
  { name: `chart-memory.${format}`, render: (result) => renderChart(memoryChart(result), format) },
];

const FILES: Record<ReportFormat, Rendering[]> = {
  md: [{ name: 'report.md', render: (result, templates) => renderMarkdown(result, templates.md) }],
  html: [{ name: 'report.html', render: (result, templates) => renderHtml(result, templates.html) }],
  png: charts('png'),
  svg: charts('svg'),
  csv: [{ name: 'samples.csv', render: renderSamplesCsv }],
  json: [{ name: RESULT_FILE, render: (result) => `${JSON.stringify(result, null, 2)}\n` }],
};

/** Writes the chosen renderings of a result into a folder; returns the files written. */
export function writeReports(result: TuneResult, dir: string, formats: readonly ReportFormat[], templates: Templates = {}): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.flatMap((format) =>
    FILES[format].map(({ name, render }) => {
      const file = path.join(dir, name);
      writeFileSync(file, render(result, templates));
      return file;
    }),
  );
}
