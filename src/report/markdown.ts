import type { CellSummary, TuneResult } from '../result/types.js';
import { CELL_MARKERS, type CellColumn, cellRows, MEASURE_COLUMNS, pick } from './cells.js';
import { formatMb, formatMs, formatUsd } from './format.js';
import { sectionTables } from './tables.js';
import { bundledTemplate, fillTemplate } from './template.js';

/**
 * report.md: the recommendation first, then the evidence. Everything comes from the result, so
 * the same result.json renders the same bytes.
 */
export function renderMarkdown(result: TuneResult, template = bundledTemplate('report.md')): string {
  return fillTemplate(template, {
    title: `lambda-tune: ${result.functions.map((f) => `\`${f.name}\``).join(' vs ')}`,
    recommendation: recommendation(result).join('\n').trimEnd(),
    cells: cellsTable(result),
    markers: CELL_MARKERS,
    sections: sections(result),
    run: howItWasRun(result).join('\n').trimEnd(),
  });
}

function recommendation(result: TuneResult): string[] {
  const spot = result.analysis.sweetSpot;
  if (spot === null) return ['**No recommendation: every cell failed.** The table below shows the errors.', ''];
  const cell = result.analysis.cells.find((c) => c.id === spot.cellId)!;
  const chunk = cell.chunkMb === null ? '' : ` with ${formatMb(cell.chunkMb)} chunks`;
  return [
    `**Recommended: \`${cell.function}\` at ${formatMb(cell.memoryMb)}${chunk}**: ${formatUsd(cell.costPerMillionUsd!)} per million invocations, median ${formatMs(cell.durationMs!.median)}, p95 ${formatMs(cell.durationMs!.p95)}.`,
    '',
    `Chosen by: ${spot.rule}.`,
    ...spot.notes.map((note) => `${note}`),
    '',
    ...saving(result, cell),
  ];
}

/** Against the memory the function had before the run, at the recommended chunk size. */
function saving(result: TuneResult, recommended: CellSummary): string[] {
  const original = result.functions.find((f) => f.name === recommended.function)?.originalMemoryMb;
  if (original === undefined) return [];
  const current = result.analysis.cells.find((c) => c.function === recommended.function && c.memoryMb === original && c.chunkMb === recommended.chunkMb);
  if (current === undefined || current.costPerMillionUsd === null || current.durationMs === null) {
    return [`The function had ${formatMb(original)} before the run; that size was not measured at this chunk size, so there is no comparison.`, ''];
  }
  if (current.id === recommended.id) return [`That is the configuration it already has (${formatMb(original)}).`, ''];
  const costChange = recommended.costPerMillionUsd! / current.costPerMillionUsd - 1;
  const speedChange = recommended.durationMs!.median / current.durationMs.median - 1;
  return [
    `Against its current ${formatMb(original)}: ${percent(costChange)} cost (${formatUsd(current.costPerMillionUsd)} → ${formatUsd(recommended.costPerMillionUsd!)} per million), ${percent(speedChange)} median duration (${formatMs(current.durationMs.median)} → ${formatMs(recommended.durationMs!.median)}).`,
    '',
  ];
}

function cellsTable(result: TuneResult): string {
  const many = result.functions.length > 1;
  const headers = [
    ...(many ? ['function'] : []),
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
  const rows = cellRows(result).map((row) => [...(many ? [`\`${row.function}\` (${row.architecture})`] : []), ...pick(row, columns)]);
  const right = (header: string) => !['function', 'errors', ''].includes(header);
  return markdownTable(headers, rows, headers.map(right));
}

function sections(result: TuneResult): string {
  return sectionTables(result)
    .map((table) =>
      [`## ${table.title}`, '', ...(table.intro === undefined ? [] : [table.intro, '']), markdownTable(table.headers, table.rows, table.numeric), ''].join(
        '\n',
      ),
    )
    .map((section) => `${section}\n`)
    .join('');
}

function howItWasRun(result: TuneResult): string[] {
  const { run, plan } = result;
  const where =
    run.target === 'local'
      ? 'the lambda-tune local platform (costs are what AWS would charge)'
      : `AWS ${run.region}${run.profile === undefined ? '' : ` (profile ${run.profile})`}`;
  return [
    '## How this was measured',
    '',
    `- Functions: ${result.functions.map((f) => `\`${f.name}\` (${f.architecture}${f.originalMemoryMb === undefined ? '' : `, ${formatMb(f.originalMemoryMb)} before the run`})`).join(', ')}, on ${where}.`,
    `- Memory: ${plan.memoryMb.map((m) => `${m}`).join(', ')} MB${plan.chunkMb[0] === null ? '' : `; chunk sizes: ${plan.chunkMb.join(', ')} MB in \`${run.chunkKey}\``}.`,
    `- Per cell: ${run.warmupPerCell} warm-up and ${run.invocationsPerCell} measured warm invocations, ${run.concurrency} in flight across the run; cold starts kept apart.`,
    `- Payload: ${codeSpan(JSON.stringify(run.payload))}.`,
    `- Run: ${run.startedAt} to ${run.finishedAt}, ${result.samples.length} invocations, ${formatUsd(result.analysis.runCostUsd)}; ${run.tool} ${run.toolVersion}.`,
    '',
  ];
}

function markdownTable(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(headers), `|${rightAligned.map((right) => (right ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A code span that holds any backticks inside it (a fence one longer than the longest run). */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

function percent(change: number): string {
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change * 100).toFixed(0)}%`;
}
