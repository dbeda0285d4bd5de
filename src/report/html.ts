import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TuneResult } from '../result/types.js';
import { axisColumns, CELL_MARKERS, cellColumns, type Marker, markCells, MEASURE_COLUMNS } from './cell-columns.js';
import { costDurationChart, memoryChart } from './chart-config.js';
import { tabulate } from './columns.js';
import { formatUsd } from './format.js';
import { htmlText, scriptJson } from './escape.js';
import { htmlTable } from './html-table.js';
import { coldText, recommend, settingText } from './recommendation.js';
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
  return fillTemplate(template, {
    title: htmlText(`lambda-tune: ${result.functions.map((f) => f.name).join(' vs ')}`),
    recommendation: recommendation(result),
    cells: cellsTable(result),
    markers: htmlText(CELL_MARKERS),
    sections: [...sections(result), howItWasRun(result)].join('\n'),
    charts: scriptJson({ costDuration: costDurationChart(result), memory: memoryChart(result) }),
    ...Object.fromEntries(Object.entries(scripts()).map(([name, code]) => [name, codeInScript(code)])),
  });
}

/** Code inside a <script> element, where "</script" would end it. */
function codeInScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

function recommendation(result: TuneResult): string {
  const r = recommend(result);
  if (r === null) return '<p><strong>No recommendation: every cell failed.</strong></p>';
  return [
    `<p><strong>Recommended: ${htmlText(r.function)} at ${htmlText(settingText(r))}</strong>: ${r.costPerMillion} per million invocations, median ${r.median}, p95 ${r.p95}.</p>`,
    ...(r.cold === undefined ? [] : [`<p>${htmlText(coldText(r.cold))}</p>`]),
    `<p>Chosen by: ${htmlText(r.rule)}.</p>`,
    ...r.notes.map((note) => `<p>${htmlText(note)}</p>`),
  ].join('\n');
}

const ROW_CLASSES: Partial<Record<Marker, string>> = { '★': 'sweet', '✗': 'failed' };

function cellsTable(result: TuneResult): string {
  const columns = [...cellColumns(['build', 'memory']), ...axisColumns(result), ...cellColumns([...MEASURE_COLUMNS, 'marker'])];
  const cells = markCells(result);
  return htmlTable(tabulate(columns, cells), (index) => ROW_CLASSES[cells[index]?.marker ?? '']);
}

function sections(result: TuneResult): string[] {
  return sectionTables(result).map(({ title, intro, table }) =>
    [`<h2>${htmlText(title)}</h2>`, ...(intro === undefined ? [] : [`<p class="note">${htmlText(intro)}</p>`]), htmlTable(table)].join('\n'),
  );
}

function howItWasRun(result: TuneResult): string {
  const { run } = result;
  const where = run.target === 'local' ? 'On the lambda-tune local platform (costs are what AWS would charge)' : `On AWS ${htmlText(run.region)}`;
  const cold = run.coldStartsPerCell === undefined ? '' : ` and ${run.coldStartsPerCell} cold starts, each on a fresh environment`;
  const perCell = `${run.warmupPerCell} warm-up and ${run.invocationsPerCell} measured invocations${cold} per cell, ${run.concurrency} in flight`;
  const payload = `payload <code>${htmlText(JSON.stringify(run.payload))}</code>`;
  const span = `${result.samples.length} invocations from ${htmlText(run.startedAt)} to ${htmlText(run.finishedAt)}, ${formatUsd(result.analysis.runCostUsd)}`;
  return ['<h2>How this was measured</h2>', `<p>${where}; ${perCell}; ${payload}; ${span}; ${htmlText(run.tool)} ${htmlText(run.toolVersion)}.</p>`].join('\n');
}
