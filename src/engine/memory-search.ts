/**
 * A memory range searched during the run: after every step, what was measured is analysed and
 * each function × parameter combination's column gets its next sizes from its own search
 * (src/plan/range-search.ts), until every column has settled.
 */
import { analyze } from '../analyze/analyze.js';
import { chooseSweetSpot } from '../analyze/sweet-spot.js';
import { invocationCostUsd } from '../cost/prices.js';
import { combinations, paramsId } from '../plan/axes.js';
import type { MemoryRange } from '../plan/memory-range.js';
import { RangeSearch, sizeOutcome } from '../plan/range-search.js';
import type { Axis, CellKey, CellSummary, FunctionInfo, MeasuredSize, Params, Sample, SelectionOptions } from '../result/types.js';

export class MemoryExplorer {
  private readonly searches = new Map<string, RangeSearch>();
  private readonly columns = new Map<string, { function: string; params: Params }>();

  constructor(
    private readonly range: MemoryRange,
    private readonly sizes: readonly number[],
    private readonly axes: readonly Axis[],
    private readonly selection: SelectionOptions,
  ) {}

  /** The cells to measure next: each column's next sizes. None once every column has settled. */
  explore(samples: readonly Sample[], functions: readonly FunctionInfo[]): CellKey[] {
    const measured = this.measuredCells(samples, functions);
    const keys: CellKey[] = [];
    for (const fn of functions) {
      const views = combinations(this.axes).map((params) => this.view(fn.name, params, measured));
      for (const choice of this.searchOf(fn).next(views)) {
        const column = this.columns.get(choice.column);
        if (column !== undefined) keys.push({ ...column, memoryMb: choice.memoryMb });
      }
    }
    return keys;
  }

  /** The range and every size measured in it, with why, in the order the search asked for them. */
  record(): { fromMb: number; toMb: number; stepMb: number; measured: MeasuredSize[] } {
    const measured = [...this.searches.values()].flatMap((search) =>
      search.choices.flatMap((choice) => {
        const column = this.columns.get(choice.column);
        return column === undefined ? [] : [{ ...column, memoryMb: choice.memoryMb, reason: choice.reason }];
      }),
    );
    return { ...this.range, measured };
  }

  private searchOf(fn: FunctionInfo): RangeSearch {
    let search = this.searches.get(fn.name);
    if (search === undefined) {
      search = new RangeSearch(this.sizes, this.selection, (durationMs, memoryMb) => invocationCostUsd(Math.ceil(durationMs), memoryMb, fn.prices));
      this.searches.set(fn.name, search);
    }
    return search;
  }

  /** A column as measured so far, and the sweet spot the analysis finds among its sizes. */
  private view(fn: string, params: Params, measured: readonly CellSummary[]) {
    const key = `${fn}/${paramsId(params)}`;
    this.columns.set(key, { function: fn, params });
    const cells = measured.filter((c) => c.function === fn && paramsId(c.params) === paramsId(params));
    const recommended = chooseSweetSpot(cells, this.selection).sweetSpot?.cellId;
    return {
      key,
      outcomes: cells.map((c) => sizeOutcome(c, this.selection)),
      recommendedMb: cells.find((c) => c.id === recommended)?.memoryMb,
    };
  }

  /** The analysis of what has been measured, cells with samples only. */
  private measuredCells(samples: readonly Sample[], functions: readonly FunctionInfo[]): CellSummary[] {
    const memoryMb = [...new Set(samples.map((s) => s.memoryMb))].sort((a, b) => a - b);
    if (memoryMb.length === 0) return [];
    const plan = { functions: functions.map((f) => f.name), memoryMb, axes: [...this.axes] };
    const withSamples = new Set(samples.map((s) => `${s.function}/${s.memoryMb}/${paramsId(s.params)}`));
    return analyze(samples, plan, functions, this.selection).cells.filter((c) => withSamples.has(`${c.function}/${c.memoryMb}/${paramsId(c.params)}`));
  }
}
