import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeCells } from '../../src/analyze/analyze.js';
import { CellColumns } from '../../src/analyze/cell-samples.js';
import { chooseSweetSpot } from '../../src/analyze/sweet-spot.js';
import { invocationCostUsd } from '../../src/cost/prices.js';
import { compareParams } from '../../src/plan/axes.js';
import { planCells } from '../../src/plan/plan.js';
import {
  type Analysis,
  type CellKey,
  type CellSummary,
  cellId,
  type FunctionInfo,
  type Params,
  type Plan,
  type Sample,
  type SampleStatus,
  type SelectionOptions,
  type Summary,
} from '../../src/result/types.js';
import { pricesFor } from '../../src/cost/prices.js';
import { summarize } from '../../src/stats/summary.js';
import { twoFunctionResult } from '../helpers/results.js';
import { holds } from '../property/check.js';
import { HOSTILE_WORDS, resultWith } from '../report/hostile.js';

/**
 * The analysis as it was written before it read columns (a filter and a map a figure, every
 * sample's cell id worked out twice): the reference the analysis must still equal, bit for bit,
 * from samples as objects and from samples put into columns as a file is read.
 */
function referenceAnalyze(samples: readonly Sample[], plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): Analysis {
  const byCell = new Map<string, Sample[]>();
  for (const sample of samples) {
    const id = cellId(sample);
    let list = byCell.get(id);
    if (list === undefined) byCell.set(id, (list = []));
    list.push(sample);
  }
  const infos = new Map(functions.map((fn) => [fn.name, fn]));
  const infoOf = (name: string): FunctionInfo => infos.get(name)!;
  const probed = samples.some((s) => s.coldProbe === true);
  const order = (a: CellKey, b: CellKey) => compareText(a.function, b.function) || a.memoryMb - b.memoryMb || compareParams(a.params, b.params);
  const cells: CellSummary[] = referenceKeys(plan, samples, order).map((key) =>
    referenceCell(key, byCell.get(cellId(key)) ?? [], infoOf(key.function), probed),
  );
  const { sweetSpot, frontier } = chooseSweetSpot(cells, selection);
  for (const cell of cells) cell.onFrontier = frontier.has(cell.id);
  let runCostUsd = 0;
  for (const cell of cells) {
    for (const s of byCell.get(cell.id) ?? [])
      runCostUsd += invocationCostUsd(s.billedDurationMs, s.memoryMb, infoOf(s.function).prices, s.initDurationMs, s.durationMs);
  }
  return { cells, sweetSpot, selection, runCostUsd };
}

function referenceKeys(plan: Plan, extras: readonly CellKey[], order: (a: CellKey, b: CellKey) => number): CellKey[] {
  const seen = new Set<string>();
  const keys: CellKey[] = [];
  const rest = extras.map(({ function: fn, memoryMb, params }) => ({ function: fn, memoryMb, params })).sort(order);
  for (const key of [...planCells(plan), ...rest]) {
    const id = cellId(key);
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push(key);
  }
  return keys;
}

function referenceCell(key: CellKey, samples: readonly Sample[], info: FunctionInfo, probed: boolean): CellSummary {
  const measured = samples.filter((s) => !s.warmup && !s.cold && s.coldProbe !== true);
  const ok = measured.filter((s) => s.status === 'success');
  const failures = samples.filter((s) => !s.warmup && s.status !== 'success');
  const allowed = samples.filter((s) => !s.warmup && s.status === 'success' && s.errorType !== undefined);
  const cold = samples.filter((s) => (probed ? s.coldProbe === true : s.cold) && s.status === 'success');
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
    timings: referenceTimings(ok),
    onFrontier: false,
  };
}

function countByType(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s.errorType ?? s.status] = (counts[s.errorType ?? s.status] ?? 0) + 1;
  return counts;
}

function referenceTimings(samples: readonly Sample[]): Record<string, Summary> {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.timings)))].sort();
  const result: Record<string, Summary> = {};
  for (const name of names) {
    const summary = summarize(samples.flatMap((s) => s.timings[name] ?? []));
    if (summary !== null) result[name] = summary;
  }
  return result;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The analysis of samples put into columns one at a time, as `tune analyze` reads a file without --out or --json. */
function columnsAnalyze(samples: readonly Sample[], plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): Analysis {
  const columns = new CellColumns();
  for (const sample of samples) columns.add(sample);
  return analyzeCells(columns.end(), plan, functions, selection);
}

function expectAsReference(samples: readonly Sample[], plan: Plan, functions: readonly FunctionInfo[], selection: SelectionOptions): void {
  const reference = referenceAnalyze(samples, plan, functions, selection);
  expect(analyze(samples, plan, functions, selection)).toStrictEqual(reference);
  expect(columnsAnalyze(samples, plan, functions, selection)).toStrictEqual(reference);
}

const FUNCTIONS: FunctionInfo[] = [
  { name: 'f', architecture: 'x86_64', prices: pricesFor('us-east-1', 'x86_64') },
  { name: 'g', architecture: 'arm64', prices: { ...pricesFor('eu-west-1', 'arm64'), billInit: false } },
];
const BALANCED: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95 };

/** Parameter sets, some equal but not the same object, some in another key order, a number and its string apart. */
const PARAM_SETS: Params[] = [{}, { chunk: 1 }, { chunk: 1 }, { chunk: '1' }, { chunk: 2, mode: 'a' }, { mode: 'a', chunk: 2 }, { mode: 'b' }];
const STATUSES: SampleStatus[] = ['success', 'success', 'success', 'error', 'timeout', 'failure'];
const amount = fc.double({ min: 0, max: 1e4, noNaN: true });

const sampleArb: fc.Arbitrary<Sample> = fc
  .record({
    function: fc.constantFrom('f', 'g'),
    memoryMb: fc.constantFrom(128, 256, 1024),
    params: fc.constantFrom(...PARAM_SETS),
    durationMs: amount,
    billed: fc.option(amount, { nil: undefined }),
    maxMemoryUsedMb: amount,
    initDurationMs: fc.option(amount, { nil: undefined }),
    status: fc.constantFrom(...STATUSES),
    errorType: fc.option(fc.constantFrom('Runtime.ExitError', 'Runtime.OutOfMemory', 'Allowed'), { nil: undefined }),
    cold: fc.boolean(),
    coldProbe: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
    warmup: fc.boolean(),
    timings: fc.dictionary(fc.constantFrom('readMs', 'hashMs', 'z'), amount, { maxKeys: 3 }),
  })
  .map(({ billed, initDurationMs, errorType, coldProbe, ...rest }) => ({
    ...rest,
    billedDurationMs: billed ?? Math.ceil(rest.durationMs),
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(errorType === undefined ? {} : { errorType }),
    ...(coldProbe === undefined ? {} : { coldProbe }),
  }));

/** A plan that names some of the cells, perhaps one no sample falls in, or none at all. */
const planArb: fc.Arbitrary<Plan> = fc.record({
  functions: fc.subarray(['f', 'g'], { minLength: 1 }),
  memoryMb: fc.subarray([128, 256, 512], { minLength: 1 }),
  axes: fc.constantFrom([], [{ name: 'chunk', values: [1, 2] }], [{ name: 'mode', values: ['a', 'b'] }]),
});

const selectionArb: fc.Arbitrary<SelectionOptions> = fc.record({
  strategy: fc.constantFrom('cost', 'speed', 'balanced'),
  weight: fc.constantFrom(0, 0.5, 1),
  percentile: fc.constantFrom(50, 90, 95, 99),
  optimize: fc.constantFrom('warm', 'cold', undefined),
});

describe('the analysis, from samples as objects and as columns', () => {
  it('equals the reference bit for bit on any samples, cell by cell or shuffled', () => {
    holds(
      fc.property(fc.array(sampleArb, { maxLength: 300 }), planArb, selectionArb, fc.boolean(), (samples, plan, selection, byCell) => {
        const ordered = byCell ? [...samples].sort((a, b) => cellId(a).localeCompare(cellId(b))) : samples;
        expectAsReference(ordered, plan, FUNCTIONS, selection);
      }),
      400,
    );
  });

  it('equals the reference on the fixtures: two functions, hostile names, a cell of 20,000 samples whose timings start late', () => {
    for (const result of [twoFunctionResult(), resultWith(HOSTILE_WORDS)]) expectAsReference(result.samples, result.plan, result.functions, BALANCED);
    const big = Array.from({ length: 20_000 }, (_, i): Sample => {
      const durationMs = 100 + ((i * 7919) % 1000) / 10;
      return {
        function: 'f',
        memoryMb: 1024,
        params: { chunk: 1 },
        durationMs,
        billedDurationMs: Math.ceil(durationMs),
        maxMemoryUsedMb: 80 + (i % 13),
        status: i % 97 === 0 ? 'error' : 'success',
        cold: i === 0,
        warmup: i < 2,
        timings: i < 5000 ? {} : { readMs: durationMs / 3 },
        ...(i === 0 ? { initDurationMs: 250 } : {}),
        ...(i % 97 === 0 ? { errorType: 'Runtime.ExitError' } : {}),
      };
    });
    expectAsReference(big, { functions: ['f'], memoryMb: [1024], axes: [{ name: 'chunk', values: [1] }] }, FUNCTIONS, BALANCED);
  });
});
