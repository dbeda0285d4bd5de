import { type ParamValue, valueText } from '../plan/axes.js';
import { planCells } from '../plan/plan.js';
import { TIMING_PREFIX } from '../result/sample-columns.js';
import { cellId, type Sample, type TuneResult } from '../result/types.js';
import { axisNames } from './cell-columns.js';

/**
 * samples.csv: every invocation, one row each, in the columns `tune analyze` reads back: the
 * function and memory, a column per parameter, the measurements, then a column per timing. Rows
 * come cell by cell in the plan's order, so `tune analyze` meets the cells, and each axis's
 * values, in the order the run planned them, and reproduces its analysis.
 */
export function renderSamplesCsv(result: TuneResult): string {
  const timingNames = timingNamesOf(result.samples);
  const params = axisNames(result);
  // Only a run that took --cold samples has the column, after the others, so every other file keeps the columns it always had.
  const probed = result.samples.some((s) => s.coldProbe !== undefined);
  const header = [
    'function',
    'memoryMb',
    ...params,
    ...MEASUREMENT_COLUMNS,
    ...(probed ? ['coldProbe'] : []),
    ...timingNames.map((name) => `${TIMING_PREFIX}${name}`),
  ];
  const lines = [header.map(field).join(',')];
  for (const s of inPlanOrder(result)) {
    const row = [
      s.function,
      s.memoryMb,
      ...params.map((name) => (Object.hasOwn(s.params, name) ? valueText(s.params[name] as ParamValue) : '')),
      s.durationMs,
      s.billedDurationMs,
      s.maxMemoryUsedMb,
      s.initDurationMs ?? '',
      s.status,
      s.errorType ?? '',
      s.cold,
      s.warmup,
      s.requestId ?? '',
      ...(probed ? [s.coldProbe ?? ''] : []),
      ...timingNames.map((name) => (Object.hasOwn(s.timings, name) ? (s.timings[name] ?? '') : '')),
    ];
    lines.push(row.map((value) => field(String(value))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const MEASUREMENT_COLUMNS = ['durationMs', 'billedDurationMs', 'maxMemoryUsedMb', 'initDurationMs', 'status', 'errorType', 'cold', 'warmup', 'requestId'];

/** Every timing any sample has, sorted; a loop, not a flatMap over the samples. */
function timingNamesOf(samples: readonly Sample[]): string[] {
  const names = new Set<string>();
  for (const sample of samples) for (const name of Object.keys(sample.timings)) names.add(name);
  return [...names].sort();
}

/** The samples grouped by cell, the plan's cells first in its order, each cell's samples in the order they were taken. */
function inPlanOrder(result: TuneResult): Sample[] {
  const rank = new Map(planCells(result.plan).map((key, index) => [cellId(key), index]));
  const unplanned = rank.size;
  return result.samples
    .map((sample, index) => ({ sample, index, rank: rank.get(cellId(sample)) ?? unplanned }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ sample }) => sample);
}

/**
 * A field per RFC 4180: quoted, quotes doubled, when it holds a quote, comma or line break, and
 * also when it starts or ends with whitespace, which `tune analyze` trims from unquoted fields.
 * Values are written exactly, so the file reads back to the same samples: a function named
 * "=cmd" stays "=cmd". Prefixing such a value with "'" (the usual guard against spreadsheet
 * formulas) would rename the function on the way back, so this file, data for tools, is left
 * exact; open it in a spreadsheet as text, or import it, rather than double-clicking it.
 */
function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
