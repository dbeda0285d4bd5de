import type { TuneResult } from '../result/types.js';
import { axisColumns, CELL_COLUMNS, CELL_MARKERS, cellColumns, type MarkedCell, markCells, measureColumns } from './cell-columns.js';
import { type Column, escapeTable, tabulate } from './columns.js';
import { markdownCode, markdownText } from './escape.js';
import { valueText } from '../plan/axes.js';
import { formatMb, formatUsd } from './format.js';
import { markdownTable } from './markdown-table.js';
import { coldText, recommend, savingText, settingText } from './recommendation.js';
import { samplingLines, STOP_LEGEND } from './sampling.js';
import { sectionTables } from './tables.js';
import { bundledTemplate, fillTemplate } from './template.js';

/**
 * report.md: the recommendation first, then the evidence. Everything comes from the result, so
 * the same result.json renders the same bytes. Names are code spans, other text from the result
 * is escaped (escape.ts), so no value can add markup, a line or a table column.
 */
export function renderMarkdown(result: TuneResult, template = bundledTemplate('report.md')): string {
  return fillTemplate(template, {
    title: `lambda-tune: ${result.functions.map((f) => markdownCode(f.name)).join(' vs ')}`,
    recommendation: recommendation(result).join('\n').trimEnd(),
    cells: cellsTable(result),
    markers: result.run.sampling === undefined ? CELL_MARKERS : `${CELL_MARKERS}\n\n${markdownText(STOP_LEGEND)}`,
    sections: sections(result),
    run: howItWasRun(result).join('\n').trimEnd(),
  });
}

function recommendation(result: TuneResult): string[] {
  const r = recommend(result);
  if (r === null) return ['**No recommendation: every cell failed.** The table below shows the errors.', ''];
  return [
    `**Recommended: ${markdownCode(r.function)} at ${markdownText(settingText(r))}**: ${r.costPerMillion} per million invocations, median ${r.median}, p95 ${r.p95}.`,
    '',
    ...(r.cold === undefined ? [] : [markdownText(coldText(r.cold)), '']),
    `Chosen by: ${markdownText(r.rule)}.`,
    ...r.notes.map(markdownText),
    '',
    ...(r.saving === undefined ? [] : [savingText(r.saving), '']),
  ];
}

/** The function column with the function's name as code, as everywhere else in the report. */
const BUILD: Column<MarkedCell> = { ...CELL_COLUMNS.build, text: ({ cell }) => `${markdownCode(cell.function)} (${markdownText(cell.architecture)})` };

/** A column of plain text as one of Markdown, its header and text escaped. */
function markdownColumn<T>(column: Column<T>): Column<T> {
  return { ...column, header: markdownText(column.header), text: (item) => markdownText(column.text(item)) };
}

function cellsTable(result: TuneResult): string {
  const columns = [
    ...(result.functions.length > 1 ? [BUILD] : []),
    ...[...cellColumns(['memory']), ...axisColumns(result), ...cellColumns([...measureColumns(result), 'marker'])].map(markdownColumn),
  ];
  return markdownTable(tabulate(columns, markCells(result)));
}

function sections(result: TuneResult): string {
  return sectionTables(result)
    .map(({ title, intro, table }) =>
      [
        `## ${markdownText(title)}`,
        '',
        ...(intro === undefined ? [] : [markdownText(intro), '']),
        markdownTable(escapeTable(table, markdownText)),
        '',
        '',
      ].join('\n'),
    )
    .join('');
}

function howItWasRun(result: TuneResult): string[] {
  return [
    '## How this was measured',
    '',
    `- Functions: ${result.functions.map(functionText).join(', ')}, on ${where(result)}.`,
    `- Memory: ${sizes(result)}.`,
    `- Per cell: ${result.run.warmupPerCell} warm-up and ${result.run.sampling === undefined ? '' : 'at most '}${result.run.invocationsPerCell} measured warm invocations, ${result.run.concurrency} in flight across the run; cold starts kept apart.`,
    ...measuringNotes(result),
    ...samplingLines(result).map((line) => `- ${markdownText(line)}`),
    `- Payload: ${markdownCode(JSON.stringify(result.run.payload))}.`,
    `- Run: ${markdownText(result.run.startedAt)} to ${markdownText(result.run.finishedAt)}, ${result.samples.length} invocations, ${formatUsd(result.analysis.runCostUsd)}; ${markdownText(result.run.tool)} ${markdownText(result.run.toolVersion)}.`,
    '',
  ];
}

/** The measuring flags a run was given beyond the usual: cold starts, pauses, allowed errors. */
function measuringNotes({ run }: TuneResult): string[] {
  return [
    ...(run.coldStartsPerCell === undefined
      ? []
      : [`- Cold starts: ${run.coldStartsPerCell} a cell, each the one invocation of a version published for it (a fresh environment), one at a time.`]),
    ...(run.sleepMs === undefined ? [] : [`- A pause of ${run.sleepMs} ms after each invocation, per worker.`]),
    ...(run.allowedErrors === undefined
      ? []
      : [`- Counted as successes: ${run.allowedErrors.map(markdownCode).join(', ')} (errors the function raises on purpose).`]),
  ];
}

function functionText(f: TuneResult['functions'][number]): string {
  const before = f.originalMemoryMb === undefined ? '' : `, ${formatMb(f.originalMemoryMb)} before the run`;
  const live = f.qualifier === undefined ? '' : `, the code of ${markdownCode(f.qualifier.name)} (version ${markdownText(f.qualifier.version)})`;
  return `${markdownCode(f.name)} (${markdownText(f.architecture)}${before}${live})`;
}

function where({ run }: TuneResult): string {
  if (run.target === 'local') return 'the lambda-tune local platform (costs are what AWS would charge)';
  return `AWS ${markdownText(run.region)}${run.profile === undefined ? '' : ` (profile ${markdownText(run.profile)})`}`;
}

function sizes({ plan }: TuneResult): string {
  const memory = `${plan.memoryMb.join(', ')} MB`;
  const axes = plan.axes.map((axis) => `${markdownCode(axis.name)} ${markdownText(axis.values.map(valueText).join(', '))}`);
  return axes.length === 0 ? memory : `${memory}; parameters: ${axes.join('; ')}`;
}
