import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_FILE } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import { renderSamplesCsv } from './csv.js';
import { renderMarkdown } from './markdown.js';

export const REPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FILES: Record<ReportFormat, { name: string; render: (result: TuneResult) => string }> = {
  md: { name: 'report.md', render: renderMarkdown },
  csv: { name: 'samples.csv', render: renderSamplesCsv },
  json: { name: RESULT_FILE, render: (result) => `${JSON.stringify(result, null, 2)}\n` },
};

/** Writes the chosen renderings of a result into a folder; returns the files written. */
export function writeReports(result: TuneResult, dir: string, formats: readonly ReportFormat[]): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.map((format) => {
    const file = path.join(dir, FILES[format].name);
    writeFileSync(file, FILES[format].render(result));
    return file;
  });
}
