import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TuneResult } from '../result/types.js';
import { CELL_MARKERS, type CellColumn, cellRows, MEASURE_COLUMNS, pick } from './cells.js';
import { costDurationChart, memoryChart } from './chart-config.js';
import { formatMb, formatMs, formatUsd } from './format.js';
import { sectionTables } from './tables.js';
import { bundledTemplate, fillTemplate } from './template.js';

const require = createRequire(import.meta.url);
/** The browser builds of Chart.js and its two plugins, inlined so the page needs no network. */
const beside = (entry: string, file: string) => readFileSync(path.join(path.dirname(require.resolve(entry)), file), 'utf8');
const scripts = () => ({
  chartjs: beside('chart.js', 'chart.umd.min.js'),
  datalabels: beside('chartjs-plugin-datalabels', 'chartjs-plugin-datalabels.min.js'),
  errorbars: beside('chartjs-chart-error-bars', 'index.umd.min.js'),
});

/** report.html: one self-contained file with interactive charts (hover a point for its cell) and the tables. */
export function renderHtml(result: TuneResult, template = bundledTemplate('report.html')): string {
  const values: Record<string, string> = {
    title: escapeHtml(`lambda-tune: ${result.functions.map((f) => f.name).join(' vs ')}`),
    recommendation: recommendation(result),
    cells: cellsTable(result),
    markers: escapeHtml(CELL_MARKERS),
    sections: runSection(result),
    charts: JSON.stringify({ costDuration: costDurationChart(result), memory: memoryChart(result) }).replace(/</g, '\\u003c'),
    ...Object.fromEntries(Object.entries(scripts()).map(([name, code]) => [name, code.replace(/<\/script/gi, '<\\/script')])),
  };
  return fillTemplate(template, values);
}

function recommendation(result: TuneResult): string {
  const spot = result.analysis.sweetSpot;
  if (spot === null) return '<p><strong>No recommendation: every cell failed.</strong></p>';
  const cell = result.analysis.cells.find((c) => c.id === spot.cellId)!;
  const chunk = cell.chunkMb === null ? '' : ` with ${formatMb(cell.chunkMb)} chunks`;
  return [
    `<p><strong>Recommended: ${escapeHtml(cell.function)} at ${formatMb(cell.memoryMb)}${chunk}</strong>: ${formatUsd(cell.costPerMillionUsd!)} per million invocations, median ${formatMs(cell.durationMs!.median)}, p95 ${formatMs(cell.durationMs!.p95)}.</p>`,
    `<p>Chosen by: ${escapeHtml(spot.rule)}.</p>`,
    ...spot.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
  ].join('\n');
}

function cellsTable(result: TuneResult): string {
  const headers = [
    'function',
    'memory',
    'chunk',
    'n',
    'errors',
    'median',
    'p95',
    'median 95% CI',
    'max memory used',
    'headroom',
    'per invocation',
    'per million',
    '',
  ];
  const columns: CellColumn[] = ['memory', 'chunk', ...MEASURE_COLUMNS, 'marker'];
  const rows = cellRows(result);
  const numeric = headers.map((h) => !['function', 'errors', ''].includes(h));
  const rowClass = (index: number) => (rows[index]!.marker === '★' ? ' class="sweet"' : rows[index]!.marker === '✗' ? ' class="failed"' : '');
  return htmlTable(
    headers,
    rows.map((row) => [`${row.function} (${row.architecture})`, ...pick(row, columns)]),
    numeric,
    rowClass,
  );
}

function runSection(result: TuneResult): string {
  const { run } = result;
  const tables = sectionTables(result).map((table) =>
    [
      `<h2>${escapeHtml(table.title)}</h2>`,
      ...(table.intro === undefined ? [] : [`<p class="note">${escapeHtml(table.intro)}</p>`]),
      htmlTable(table.headers, table.rows, table.numeric),
    ].join('\n'),
  );
  return [
    ...tables,
    '<h2>How this was measured</h2>',
    `<p>${run.target === 'local' ? 'On the lambda-tune local platform (costs are what AWS would charge)' : `On AWS ${escapeHtml(run.region)}`}; ${run.warmupPerCell} warm-up and ${run.invocationsPerCell} measured invocations per cell, ${run.concurrency} in flight; payload <code>${escapeHtml(JSON.stringify(run.payload))}</code>; ${result.samples.length} invocations from ${escapeHtml(run.startedAt)} to ${escapeHtml(run.finishedAt)}, ${formatUsd(result.analysis.runCostUsd)}; ${escapeHtml(run.tool)} ${escapeHtml(run.toolVersion)}.</p>`,
  ].join('\n');
}

function htmlTable(headers: string[], rows: string[][], numeric: boolean[], rowClass: (index: number) => string = () => ''): string {
  const cell = (tag: 'th' | 'td', value: string, i: number) => `<${tag}${numeric[i] ? '' : ' class="text"'}>${escapeHtml(value)}</${tag}>`;
  const head = `<tr>${headers.map((h, i) => cell('th', h, i)).join('')}</tr>`;
  const body = rows.map((row, index) => `<tr${rowClass(index)}>${row.map((v, i) => cell('td', v, i)).join('')}</tr>`);
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
