/**
 * The columns of samples.csv, which `tune analyze` reads back: one per Sample field, the cell's
 * parameters as columns of their own names, and timings as `timing.NAME`. A parameter may not
 * take one of these names, or its column could not be told from the field's. (coldProbe is
 * written only for a run that took --cold samples.)
 */
export const SAMPLE_COLUMNS = [
  'function',
  'memoryMb',
  'durationMs',
  'billedDurationMs',
  'maxMemoryUsedMb',
  'initDurationMs',
  'status',
  'errorType',
  'cold',
  'warmup',
  'requestId',
  'coldProbe',
] as const;

export type SampleColumn = (typeof SAMPLE_COLUMNS)[number];

/** Where timings go: `timing.readMs`. Parameter names hold no dot, so no parameter can look like one. */
export const TIMING_PREFIX = 'timing.';

/** Columns a row may carry that are not parameters: the sample's fields, and what JSON lines hold as objects. */
export const NOT_PARAMS: ReadonlySet<string> = new Set<string>([...SAMPLE_COLUMNS, 'params', 'timings']);
