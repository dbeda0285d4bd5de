import { invocationCostUsd } from '../cost/prices.js';
import {
  type Analysis,
  type CellKey,
  type CellSummary,
  cellId,
  type FunctionInfo,
  type Plan,
  type Sample,
  type SelectionOptions,
  type Summary,
} from '../result/types.js';
import { compareParams } from '../plan/axes.js';
import { cellsWithExtras } from '../plan/plan.js';
import { summarize } from '../stats/summary.js';
import { chooseSweetSpot } from './sweet-spot.js';

/**
 * From raw samples to the per-cell summaries and the recommendation. Pure: the same samples
 * give the same analysis, byte for byte.
 */
export function analyze(samples: readonly Sample[], plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): Analysis {
  const byCell = new Map<string, Sample[]>();
  for (const sample of samples) {
    const id = cellId(sample);
    let list = byCell.get(id);
    if (list === undefined) byCell.set(id, (list = []));
    list.push(sample);
  }
  const infos = new Map(functions.map((fn) => [fn.name, fn]));
  const infoOf = (name: string): FunctionInfo => {
    const info = infos.get(name);
    if (info === undefined) throw new Error(`No function information for ${name}`);
    return info;
  };
  // A run that took --cold samples judges cold starts by those alone; the cold starts it met on the way are set aside.
  const probed = samples.some((s) => s.coldProbe === true);
  const cells: CellSummary[] = cellKeys(plan, samples).map((key) => summarizeCell(key, byCell.get(cellId(key)) ?? [], infoOf(key.function), probed));
  const { sweetSpot, frontier } = chooseSweetSpot(cells, selection);
  for (const cell of cells) cell.onFrontier = frontier.has(cell.id);
  // Summed cell by cell, in the cells' order, so the total does not depend on the order the samples came in (samples.csv lists them by cell).
  let runCostUsd = 0;
  for (const cell of cells) {
    for (const s of byCell.get(cell.id) ?? [])
      runCostUsd += invocationCostUsd(s.billedDurationMs, s.memoryMb, infoOf(s.function).prices, s.initDurationMs, s.durationMs);
  }
  return { cells, sweetSpot, selection, runCostUsd };
}

/** The plan's cells in its order, then those of measurements from elsewhere in a fixed order. */
function cellKeys(plan: Plan, samples: readonly Sample[]): CellKey[] {
  return cellsWithExtras(plan, samples, (a, b) => compareText(a.function, b.function) || a.memoryMb - b.memoryMb || compareParams(a.params, b.params));
}

function summarizeCell(key: CellKey, samples: readonly Sample[], info: FunctionInfo, probed: boolean): CellSummary {
  const measured = samples.filter((s) => !s.warmup && !s.cold && s.coldProbe !== true);
  const ok = measured.filter((s) => s.status === 'success');
  const failures = samples.filter((s) => !s.warmup && s.status !== 'success');
  // An allowed error is a success that kept its error type (--allow-error).
  const allowed = samples.filter((s) => !s.warmup && s.status === 'success' && s.errorType !== undefined);
  const cold = samples.filter((s) => (probed ? s.coldProbe === true : s.cold) && s.status === 'success');
  // A loop, not a spread: a cell may hold more samples than a call takes arguments.
  let maxMemoryUsedMb = 0;
  for (const s of samples) maxMemoryUsedMb = Math.max(maxMemoryUsedMb, s.maxMemoryUsedMb);
  const cost = (list: readonly Sample[], withInit: boolean) =>
    list.length === 0
      ? null
      : list.reduce((t, s) => t + invocationCostUsd(s.billedDurationMs, key.memoryMb, info.prices, withInit ? s.initDurationMs : 0, s.durationMs), 0) /
        list.length;
  const costPerInvocationUsd = cost(ok, false);
  return {
    ...key,
    id: cellId(key),
    architecture: info.architecture,
    invocations: measured.length,
    errors: failures.length,
    errorTypes: countByType(failures),
    ...(allowed.length === 0 ? {} : { allowedErrorTypes: countByType(allowed) }),
    failed: failures.length > 0,
    durationMs: summarize(ok.map((s) => s.durationMs)),
    billedDurationMs: summarize(ok.map((s) => s.billedDurationMs)),
    maxMemoryUsedMb,
    headroomMb: key.memoryMb - maxMemoryUsedMb,
    costPerInvocationUsd,
    costPerMillionUsd: costPerInvocationUsd === null ? null : costPerInvocationUsd * 1e6,
    cold: {
      count: cold.length,
      initDurationMs: summarize(cold.flatMap((s) => (s.initDurationMs === undefined ? [] : [s.initDurationMs]))),
      durationMs: summarize(cold.map((s) => s.durationMs)),
      totalDurationMs: summarize(cold.map((s) => (s.initDurationMs ?? 0) + s.durationMs)),
      costPerInvocationUsd: cost(cold, true),
    },
    timings: summarizeTimings(ok),
    onFrontier: false,
  };
}

/** How many samples had each error type (a failure without one counts under its status). */
function countByType(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s.errorType ?? s.status] = (counts[s.errorType ?? s.status] ?? 0) + 1;
  return counts;
}

function summarizeTimings(samples: readonly Sample[]): Record<string, Summary> {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.timings)))].sort();
  const result: Record<string, Summary> = {};
  for (const name of names) {
    const summary = summarize(samples.flatMap((s) => s.timings[name] ?? []));
    if (summary !== null) result[name] = summary;
  }
  return result;
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
