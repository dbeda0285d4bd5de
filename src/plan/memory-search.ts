/**
 * Searching a memory range instead of measuring every size in it, after Parrotfish (Moghimi et
 * al., "Parrotfish: Parametric Regression for Optimizing Serverless Functions", SoCC 2023): measure
 * a few sizes, fit duration against memory, measure where the fit puts the optimum and next to the
 * best size measured, and stop when the recommendation has been confirmed by measuring both its
 * neighbours. Lambda gives CPU in proportion to memory (1,769 MB is one vCPU), so a duration is a
 * part that memory does not speed up plus one that it does, up to where it stops helping:
 *   duration ≈ fixed + scaled × 1024 / min(memory, plateau)
 * (the plateau: one vCPU for single-threaded code, earlier for a network-bound one). Sizes at or
 * below one that failed are taken to fail too (a function that runs out of memory at 512 MB does at
 * 448 MB).
 */
import type { SelectionOptions, SizeReason } from '../result/types.js';

export type { SizeReason } from '../result/types.js';
import { type DurationModel, fitDurationModel, predictDurationMs } from './duration-model.js';

export { DEFAULT_STEP_MB, type MemoryRange, parseMemoryRange, rangeProblem, rangeSizes } from './memory-range.js';
export { type DurationModel, fitDurationModel, predictDurationMs } from './duration-model.js';

/** A measured size: the duration the strategy judges by (the median, or a target's percentile) and the cost, unless it failed. */
export interface SizeOutcome {
  memoryMb: number;
  failed: boolean;
  durationMs?: number | undefined;
  costUsd?: number | undefined;
}

export interface SearchInput {
  /** The sizes the range allows, ascending. */
  sizes: readonly number[];
  outcomes: readonly SizeOutcome[];
  /** Lower is better: the strategy's measure of a size from its duration and cost. */
  objective: (durationMs: number, costUsd: number) => number;
  /** What an invocation of this duration costs at this memory size. */
  costOf: (durationMs: number, memoryMb: number) => number;
  /** The sweet spot among the sizes measured so far, as the analysis chose it; by default the best by the objective. */
  recommendedMb?: number | undefined;
  /** Steps taken after the probes; the search gives up confirming after MAX_ROUNDS. */
  round: number;
}

export interface SearchStep {
  measure: { memoryMb: number; reason: SizeReason }[];
  done: boolean;
  model?: DurationModel | undefined;
  modelOptimumMb?: number | undefined;
  recommendedMb?: number | undefined;
}

/** A search that has not settled after this many steps past the probes stops with what it measured. */
export const MAX_ROUNDS = 8;

/** The next sizes to measure: the probes first, then the model's optimum and the recommendation's neighbours. */
export function searchStep(input: SearchInput): SearchStep {
  if (input.outcomes.length === 0) return { measure: initialProbes(input.sizes).map((memoryMb) => ({ memoryMb, reason: 'probe' })), done: false };
  const measured = new Set(input.outcomes.map((o) => o.memoryMb));
  const floorMb = Math.max(0, ...input.outcomes.filter((o) => o.failed).map((o) => o.memoryMb));
  const allowed = input.sizes.filter((m) => m > floorMb);
  const working = input.outcomes.filter((o): o is Required<SizeOutcome> => !o.failed && o.durationMs !== undefined && o.costUsd !== undefined);
  if (working.length === 0 || allowed.length === 0) return { measure: [], done: true };
  const model = fitDurationModel(working, allowed);
  const modelOptimumMb = bestSize(allowed, (m) => {
    const durationMs = predictDurationMs(model, m);
    return input.objective(durationMs, input.costOf(durationMs, m));
  });
  const measuredMb = working.map((o) => o.memoryMb).sort((a, b) => a - b);
  const recommendedMb = input.recommendedMb ?? bestSize(measuredMb, (m) => objectiveOf(working, m, input));
  const wanted = wantedSizes(allowed, measured, modelOptimumMb, recommendedMb);
  const done = wanted.length === 0 || input.round >= MAX_ROUNDS;
  return { measure: done ? [] : wanted, done, model, modelOptimumMb, recommendedMb };
}

/**
 * Where the model puts the optimum, while that is unmeasured; else the recommendation's neighbours:
 * to confirm it when the model agrees with it, to look past it when the model does not.
 */
function wantedSizes(allowed: readonly number[], measured: ReadonlySet<number>, modelOptimumMb: number, recommendedMb: number): SearchStep['measure'] {
  if (!measured.has(modelOptimumMb)) return [{ memoryMb: modelOptimumMb, reason: 'model optimum' }];
  const at = allowed.indexOf(recommendedMb);
  const neighbours = at === -1 ? [] : [allowed[at - 1], allowed[at + 1]];
  const reason = recommendedMb === modelOptimumMb ? 'confirmation' : 'neighbour';
  return neighbours.filter((m): m is number => m !== undefined && !measured.has(m)).map((memoryMb) => ({ memoryMb, reason }));
}

/**
 * Where to measure first: both ends of the range and two sizes between them, evenly spaced on a
 * log scale (memory's effect on duration is a ratio), each the nearest size the range allows.
 */
export function initialProbes(sizes: readonly number[]): number[] {
  const low = sizes[0];
  const high = sizes[sizes.length - 1];
  if (sizes.length <= 4 || low === undefined || high === undefined) return [...sizes];
  const wanted = [low, low * (high / low) ** (1 / 3), low * (high / low) ** (2 / 3), high];
  return [...new Set(wanted.map((target) => nearest(sizes, target)))];
}

function nearest(sizes: readonly number[], target: number): number {
  return sizes.reduce((best, m) => (Math.abs(Math.log(m / target)) < Math.abs(Math.log(best / target)) ? m : best));
}

/** The size with the lowest score; on a tie the first, the smaller (cheaper) one when the sizes are ascending. */
function bestSize(sizes: readonly number[], score: (memoryMb: number) => number): number {
  const scored = sizes.map((memoryMb) => ({ memoryMb, score: score(memoryMb) }));
  return scored.reduce((best, s) => (s.score < best.score ? s : best)).memoryMb;
}

function objectiveOf(working: readonly Required<SizeOutcome>[], memoryMb: number, input: SearchInput): number {
  const outcome = working.find((o) => o.memoryMb === memoryMb);
  return outcome === undefined ? Number.POSITIVE_INFINITY : input.objective(outcome.durationMs, outcome.costUsd);
}

/**
 * The strategy's measure of a size, lower is better, as src/analyze/sweet-spot.ts ranks cells:
 * the cost, the duration, cost^w × duration^(1−w) (as logarithms); with a duration target the cost
 * of a size that meets it, and the duration of one that does not (after every one that does).
 */
export function searchObjective(selection: SelectionOptions): SearchInput['objective'] {
  const { strategy, weight, maxDurationMs } = selection;
  if (maxDurationMs !== undefined) return (durationMs, costUsd) => (durationMs <= maxDurationMs ? Math.log(costUsd) : 1e6 + durationMs);
  if (strategy === 'cost') return (_durationMs, costUsd) => costUsd;
  if (strategy === 'speed') return (durationMs) => durationMs;
  return (durationMs, costUsd) => weight * Math.log(costUsd) + (1 - weight) * Math.log(durationMs);
}
