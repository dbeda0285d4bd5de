import { invocationCostUsd } from '../cost/prices.js';
import { combinations } from './axes.js';
import { type CellKey, cellId, type Plan, type Prices } from '../result/types.js';

/** The cells of a plan in its order: every function × memory size × combination of the axes' values. The one place the product is built. */
export function planCells(plan: Plan): CellKey[] {
  const combos = combinations(plan.axes);
  return plan.functions.flatMap((fn) => plan.memoryMb.flatMap((memoryMb) => combos.map((params) => ({ function: fn, memoryMb, params }))));
}

/**
 * The plan's cells, then any the samples hold that it does not name (measurements from elsewhere)
 * in `order`, each once: the first key given for it (`order` ranks two keys of one cell alike).
 */
export function cellsWithExtras(plan: Plan, extras: readonly CellKey[], order: (a: CellKey, b: CellKey) => number): CellKey[] {
  const seen = new Set<string>();
  const firstOfEach = (key: CellKey) => {
    const id = cellId(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };
  const planned = planCells(plan).filter(firstOfEach);
  const rest = extras.filter(firstOfEach).map(({ function: fn, memoryMb, params }) => ({ function: fn, memoryMb, params }));
  return [...planned, ...rest.sort(order)];
}

/** What a plan invokes each cell with: warm-ups, measurements and, with --cold, cold starts on versions of their own. */
export interface CellWorkload {
  warmup: number;
  invocations: number;
  coldStarts?: number | undefined;
}

/** A Lambda INIT phase ends after 10 s (it is then tried again inside the invocation): the most a cold start can bill for it. */
export const INIT_LIMIT_MS = 10_000;

/** How many invocations a cell costs at most: warm-ups, measurements, the version's cold start, and the --cold samples. */
export function invocationsPerCell(shape: CellWorkload): number {
  return shape.warmup + shape.invocations + 1 + (shape.coldStarts ?? 0);
}

export interface FunctionFacts {
  name: string;
  timeoutS: number;
  prices: Prices;
}

/**
 * The most a plan can cost: every invocation of every cell running to its function's timeout, and
 * every cold start (the version's first, and each --cold sample) billed a whole INIT phase as well.
 */
export function worstCaseUsd(plan: Plan, shape: CellWorkload, functions: readonly FunctionFacts[]): number {
  const facts = new Map(functions.map((fn) => [fn.name, fn]));
  const cold = 1 + (shape.coldStarts ?? 0);
  let totalUsd = 0;
  for (const cell of planCells(plan)) {
    const fn = facts.get(cell.function);
    if (fn === undefined) continue;
    const warmUsd = invocationCostUsd(fn.timeoutS * 1000, cell.memoryMb, fn.prices);
    const coldUsd = invocationCostUsd(fn.timeoutS * 1000, cell.memoryMb, fn.prices, INIT_LIMIT_MS);
    totalUsd += (invocationsPerCell(shape) - cold) * warmUsd + cold * coldUsd;
  }
  return totalUsd;
}
