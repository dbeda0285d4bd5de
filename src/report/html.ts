import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TuneResult } from '../result/types.js';
import { CELL_MARKERS, type CellColumn, cellRows, MEASURE_COLUMNS, pick } from './cells.js';
import { costDurationChart, memoryChart } from './chart-config.js';
import { formatMb, formatMs, formatUsd } from './format.js';
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
  const headers = ['function', 'memory', 'chunk', 'n', 'errors', 'median', 'p95', 'median 95% CI', 'max memory used', 'headroom', 'per invocation', 'per million', ''];
  const columns: CellColumn[] = ['memory', 'chunk', ...MEASURE_COLUMNS, 'marker'];
  const textColumns = new Set(['function', 'errors', '']);
  const head = `<tr>${headers.map((h) => `<th${textColumns.has(h) ? ' class="text"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = cellRows(result).map((row) => {
    const cells = [`${row.function} (${row.architecture})`, ...pick(row, columns)];
    const rowClass = row.marker === '★' ? ' class="sweet"' : row.marker === '✗' ? ' class="failed"' : '';
    return `<tr${rowClass}>${cells.map((value, i) => `<td${textColumns.has(headers[i]!) ? ' class="text"' : ''}>${escapeHtml(value)}</td>`).join('')}</tr>`;
  });
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}

function runSection(result: TuneResult): string {
  const { run } = result;
  const rows = result.functions.map(
    (f) => `<tr><td class="text">${escapeHtml(f.name)}</td><td class="text">${f.architecture}</td><td class="text">${escapeHtml(f.prices.region)}</td><td>$${f.prices.pricePerGbSecondUsd}</td><td>$${(f.prices.pricePerRequestUsd * 1e6).toFixed(2)}</td><td class="text">${f.prices.billInit ? 'yes' : 'no'}</td><td class="text">${escapeHtml(f.prices.source)}</td></tr>`,
  );
  return [
    '<h2>Prices used</h2>',
    '<table><tr><th class="text">function</th><th class="text">architecture</th><th class="text">region</th><th>per GB-second</th><th>per million requests</th><th class="text">INIT billed</th><th class="text">source</th></tr>',
    ...rows,
    '</table>',
    '<h2>How this was measured</h2>',
    `<p>${run.target === 'local' ? 'On the lambda-tune local platform (costs are what AWS would charge)' : `On AWS ${escapeHtml(run.region)}`}; ${run.warmupPerCell} warm-up and ${run.invocationsPerCell} measured invocations per cell, ${run.concurrency} in flight; payload <code>${escapeHtml(JSON.stringify(run.payload))}</code>; ${result.samples.length} invocations from ${escapeHtml(run.startedAt)} to ${escapeHtml(run.finishedAt)}, ${formatUsd(result.analysis.runCostUsd)}; ${escapeHtml(run.tool)} ${escapeHtml(run.toolVersion)}.</p>`,
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
