import type { TuneResult } from '../result/types.js';

const COLUMNS = [
  'function',
  'memoryMb',
  'chunkMb',
  'durationMs',
  'billedDurationMs',
  'maxMemoryUsedMb',
  'initDurationMs',
  'status',
  'errorType',
  'cold',
  'warmup',
  'requestId',
] as const;

/** samples.csv: every invocation, one row each, in the columns `tune analyze` reads back (timings as extra columns). */
export function renderSamplesCsv(result: TuneResult): string {
  const timingNames = [...new Set(result.samples.flatMap((s) => Object.keys(s.timings)))].sort();
  const header = [...COLUMNS, ...timingNames.map((name) => `timing.${name}`)];
  const rows = result.samples.map((s) => [
    s.function,
    s.memoryMb,
    s.chunkMb ?? '',
    s.durationMs,
    s.billedDurationMs,
    s.maxMemoryUsedMb,
    s.initDurationMs ?? '',
    s.status,
    s.errorType ?? '',
    s.cold,
    s.warmup,
    s.requestId ?? '',
    ...timingNames.map((name) => s.timings[name] ?? ''),
  ]);
  return `${[header, ...rows].map((row) => row.map((value) => field(String(value))).join(',')).join('\n')}\n`;
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
