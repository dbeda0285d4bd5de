import { invocationCostUsd } from '../cost/prices.js';
import {
  type Analysis,
  type CellKey,
  type CellSummary,
  cellId,
  type FunctionInfo,
  type Plan,
  type Prices,
  type Sample,
  type SelectionOptions,
  type Summary,
} from '../result/types.js';
import { compareParams } from '../plan/axes.js';
import { cellsWithExtras } from '../plan/plan.js';
import { summarize } from '../stats/summary.js';
import { cellsOfSamples, COLD, COLD_PROBE, type SampleCells, type SampleColumns, STATUS_CODES, WARMUP } from './cell-samples.js';
import { chooseSweetSpot } from './sweet-spot.js';

/**
 * From raw samples to the per-cell summaries and the recommendation. Pure: the same samples
 * give the same analysis, byte for byte.
 */
export function analyze(samples: readonly Sample[], plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): Analysis {
  return analyzeCells(cellsOfSamples(samples), plan, functions, selection);
}

/** The same from samples already grouped by cell, as objects or as columns (cell-samples.ts): the same samples give the same analysis either way. */
export function analyzeCells(samples: SampleCells, plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): Analysis {
  const infoOf = functionInfo(functions);
  // A run that took --cold samples judges cold starts by those alone; the cold starts it met on the way are set aside.
  const probed = [...samples.cells.values()].some((cell) => cell.coldProbes);
  const cells: CellSummary[] = [];
  let runCostUsd = 0;
  for (const key of cellKeys(plan, samples)) {
    const id = cellId(key);
    const columns = samples.cells.get(id)?.columns() ?? NO_SAMPLES;
    const info = infoOf(key.function);
    cells.push(summarizeCell(key, id, columns, info, probed));
    // Summed cell by cell, in the cells' order, so the total does not depend on the order the samples came in (samples.csv lists them by cell).
    for (let i = 0; i < columns.count; i++) runCostUsd += costUsd(columns, i, key.memoryMb, info.prices, true);
  }
  const { sweetSpot, frontier } = chooseSweetSpot(cells, selection);
  for (const cell of cells) cell.onFrontier = frontier.has(cell.id);
  return { cells, sweetSpot, selection, runCostUsd };
}

function functionInfo(functions: readonly FunctionInfo[]): (name: string) => FunctionInfo {
  const infos = new Map(functions.map((fn) => [fn.name, fn]));
  return (name) => {
    const info = infos.get(name);
    if (info === undefined) throw new Error(`No function information for ${name}`);
    return info;
  };
}

const NO_SAMPLES: SampleColumns = {
  count: 0,
  durationMs: new Float64Array(0),
  billedDurationMs: new Float64Array(0),
  maxMemoryUsedMb: new Float64Array(0),
  initDurationMs: new Float64Array(0),
  status: new Uint8Array(0),
  flags: new Uint8Array(0),
  errorType: new Int32Array(0),
  errorTypes: [],
  timings: new Map(),
};

/** The plan's cells in its order, then those of measurements from elsewhere in a fixed order. */
function cellKeys(plan: Plan, samples: SampleCells): CellKey[] {
  const extras = [...samples.cells.values()].map((cell) => cell.key);
  return cellsWithExtras(plan, extras, (a, b) => compareText(a.function, b.function) || a.memoryMb - b.memoryMb || compareParams(a.params, b.params));
}

function summarizeCell(key: CellKey, id: string, columns: SampleColumns, info: FunctionInfo, probed: boolean): CellSummary {
  const sorted = sortOut(columns, probed);
  const costPerInvocationUsd = meanCostUsd(columns, sorted.ok, key.memoryMb, info.prices, false);
  return {
    ...key,
    id,
    architecture: info.architecture,
    invocations: sorted.invocations,
    errors: sorted.errors,
    errorTypes: sorted.errorTypes,
    ...(sorted.allowed === 0 ? {} : { allowedErrorTypes: sorted.allowedErrorTypes }),
    failed: sorted.errors > 0,
    durationMs: summarize(picked(columns.durationMs, sorted.ok)),
    billedDurationMs: summarize(picked(columns.billedDurationMs, sorted.ok)),
    maxMemoryUsedMb: sorted.maxMemoryUsedMb,
    headroomMb: key.memoryMb - sorted.maxMemoryUsedMb,
    costPerInvocationUsd,
    costPerMillionUsd: costPerInvocationUsd === null ? null : costPerInvocationUsd * 1e6,
    cold: summarizeCold(columns, sorted.cold, key.memoryMb, info.prices),
    timings: summarizeTimings(columns, sorted.ok),
    onFrontier: false,
  };
}

/** A cell's samples sorted out, in one pass. */
interface SortedOut {
  /** Warm measured samples (no warm-up, cold start or --cold sample), failed ones included. */
  invocations: number;
  /** The successful ones among them, by index. */
  ok: Int32Array;
  /** Successful cold starts (the --cold samples when the run took any), by index. */
  cold: Int32Array;
  /** Failures that were not warm-ups, and how many of each type (a failure without one counts under its status). */
  errors: number;
  errorTypes: Record<string, number>;
  /** Successes that kept an error type (an error the run allowed, --allow-error), by type. */
  allowed: number;
  allowedErrorTypes: Record<string, number>;
  maxMemoryUsedMb: number;
}

const SUCCESS = STATUS_CODES.indexOf('success');

function sortOut(columns: SampleColumns, probed: boolean): SortedOut {
  const { count, flags, status, errorType } = columns;
  const out: SortedOut = {
    invocations: 0,
    ok: new Int32Array(count),
    cold: new Int32Array(count),
    errors: 0,
    errorTypes: {},
    allowed: 0,
    allowedErrorTypes: {},
    maxMemoryUsedMb: 0,
  };
  let ok = 0;
  let cold = 0;
  const coldBit = probed ? COLD_PROBE : COLD;
  for (let i = 0; i < count; i++) {
    const bits = flags[i] ?? 0;
    const success = status[i] === SUCCESS;
    const warm = (bits & WARMUP) === 0;
    if (warm && (bits & (COLD | COLD_PROBE)) === 0) {
      out.invocations++;
      if (success) out.ok[ok++] = i;
    }
    if (warm && !success) out.errors = countType(out.errorTypes, columns, i, out.errors);
    if (warm && success && errorType[i] !== -1) out.allowed = countType(out.allowedErrorTypes, columns, i, out.allowed);
    if (success && (bits & coldBit) !== 0) out.cold[cold++] = i;
    // A loop, not a spread: a cell may hold more samples than a call takes arguments.
    out.maxMemoryUsedMb = Math.max(out.maxMemoryUsedMb, columns.maxMemoryUsedMb[i] ?? 0);
  }
  return { ...out, ok: out.ok.subarray(0, ok), cold: out.cold.subarray(0, cold) };
}

/** Counts sample i under its error type, or its status when it has none; returns the total counted so far. */
function countType(counts: Record<string, number>, columns: SampleColumns, i: number, total: number): number {
  const code = columns.errorType[i] ?? -1;
  const type = code === -1 ? (STATUS_CODES[columns.status[i] ?? 0] ?? 'success') : (columns.errorTypes[code] ?? '');
  counts[type] = (counts[type] ?? 0) + 1;
  return total + 1;
}

function summarizeCold(columns: SampleColumns, cold: Int32Array, memoryMb: number, prices: Prices): CellSummary['cold'] {
  const initDurationMs: number[] = [];
  const totalDurationMs = new Float64Array(cold.length);
  cold.forEach((i, at) => {
    const init = columns.initDurationMs[i] ?? Number.NaN;
    if (!Number.isNaN(init)) initDurationMs.push(init);
    totalDurationMs[at] = (Number.isNaN(init) ? 0 : init) + (columns.durationMs[i] ?? 0);
  });
  return {
    count: cold.length,
    initDurationMs: summarize(initDurationMs),
    durationMs: summarize(picked(columns.durationMs, cold)),
    totalDurationMs: summarize(totalDurationMs),
    costPerInvocationUsd: meanCostUsd(columns, cold, memoryMb, prices, true),
  };
}

function summarizeTimings(columns: SampleColumns, ok: Int32Array): Record<string, Summary> {
  const result: Record<string, Summary> = {};
  for (const name of [...columns.timings.keys()].sort()) {
    const values = columns.timings.get(name) ?? new Float64Array(0);
    const summary = summarize(picked(values, ok).filter((value) => !Number.isNaN(value)));
    if (summary !== null) result[name] = summary;
  }
  return result;
}

/** The values at the given indices, in their order. */
function picked(values: Float64Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let at = 0; at < indices.length; at++) out[at] = values[indices[at] ?? 0] ?? 0;
  return out;
}

/** The mean cost of the samples at the given indices, their INIT time included or not; null for none. */
function meanCostUsd(columns: SampleColumns, indices: Int32Array, memoryMb: number, prices: Prices, withInit: boolean): number | null {
  if (indices.length === 0) return null;
  let totalUsd = 0;
  for (const i of indices) totalUsd += costUsd(columns, i, memoryMb, prices, withInit);
  return totalUsd / indices.length;
}

function costUsd(columns: SampleColumns, i: number, memoryMb: number, prices: Prices, withInit: boolean): number {
  const init = withInit ? (columns.initDurationMs[i] ?? Number.NaN) : 0;
  return invocationCostUsd(columns.billedDurationMs[i] ?? 0, memoryMb, prices, Number.isNaN(init) ? 0 : init, columns.durationMs[i] ?? 0);
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
