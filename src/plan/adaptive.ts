/**
 * Adaptive sampling: whether a cell needs more invocations, and which cells to invoke next.
 *
 * A cell is invoked until one more sample could no longer change the answer:
 * - precise: the 95% interval of its median is within ± the precision asked of the median (with a
 *   duration target, where it stands against the target must be settled too);
 * - dominated: its intervals show it slower and dearer than another cell, so it is off the Pareto
 *   frontier the sweet spot is chosen from;
 * - out of the running: its intervals show it cannot be the sweet spot under the strategy, nor the
 *   cheaper cell that takes the pick's place when their medians cannot be told apart;
 * - max: it had the most invocations a cell may get; failed: an invocation failed, and a cell that
 *   failed is never recommended (src/analyze/sweet-spot.ts).
 * No cell stops before the least it may get, unless it failed, and only cells that had that least
 * count as evidence against others. Two cells' ranges apart at 3 samples each is what a one-sided
 * Mann–Whitney test at 5% asks (1 ordering in 20). Verdicts are recomputed from all samples each
 * time, so a cell set aside on another's evidence is taken up again if that evidence weakens.
 */
import type { SelectionOptions, StopReason } from '../result/types.js';
import { type Bounds, type CellEstimate, type CellSamples, estimateCell, measuredCount } from './cell-estimate.js';

export type { CellSamples } from './cell-estimate.js';
export type { StopReason } from '../result/types.js';

export interface AdaptiveOptions {
  minInvocations: number;
  maxInvocations: number;
  /** The median's 95% interval must be within ± this fraction of it: 0.05 for 5%. */
  precision: number;
  selection: SelectionOptions;
}

/** Each cell's verdict: why it needs no more invocations, or undefined while it may still change the answer. */
export function judgeCells(cells: readonly CellSamples[], options: AdaptiveOptions): Map<string, StopReason | undefined> {
  return assess(cells, options).verdicts;
}

/** The cells' verdicts and what to invoke next, from one look at them (what a runner asks after every sample). */
export function assess(
  cells: readonly CellSamples[],
  options: AdaptiveOptions,
): { verdicts: Map<string, StopReason | undefined>; next: (slots: number, eligible?: (id: string) => boolean) => string[] } {
  const field = new Field(cells, options);
  const verdicts = new Map(cells.map((cell) => [cell.id, field.verdict(cell)]));
  return { verdicts, next: (slots, eligible = () => true) => deal(cells, verdicts, field, slots, options, eligible) };
}

/**
 * The ids of up to `slots` invocations to launch next, best first. Cells short of the least they
 * may get take what they lack first (fewest samples first, so every cell is screened before any is
 * refined); then the open cells in order of how much one more sample could change the
 * recommendation (see `valueOf`), one invocation each round after round, none beyond its share of
 * the pool in flight at once. Only cells `eligible` now are dealt any (all of them count as evidence).
 */
export function nextCells(cells: readonly CellSamples[], slots: number, options: AdaptiveOptions, eligible: (id: string) => boolean = () => true): string[] {
  return assess(cells, options).next(slots, eligible);
}

function deal(
  cells: readonly CellSamples[],
  verdicts: ReadonlyMap<string, StopReason | undefined>,
  field: Field,
  slots: number,
  options: AdaptiveOptions,
  eligible: (id: string) => boolean,
): string[] {
  const open = cells.filter((cell) => eligible(cell.id) && verdicts.get(cell.id) === undefined && headroom(cell, options) > 0);
  const ranked = rankCells(open, field, options);
  const pool = slots + cells.reduce((total, cell) => total + (cell.inFlight ?? 0), 0);
  const share = Math.max(1, Math.ceil(pool / Math.max(1, ranked.length)));
  const picks: string[] = [];
  const given = new Map<string, number>();
  const lack = (cell: CellSamples) => options.minInvocations - measuredCount(cell) - (cell.inFlight ?? 0);
  dealRounds(ranked, slots, picks, given, (cell, taken) => taken < lack(cell));
  dealRounds(ranked, slots, picks, given, (cell, taken) => taken < headroom(cell, options) && (cell.inFlight ?? 0) + taken < Math.max(share, lack(cell)));
  return picks;
}

/** Deals invocations one per cell per round, in rank order, while `may` allows and slots remain. */
function dealRounds(
  ranked: readonly CellSamples[],
  slots: number,
  picks: string[],
  given: Map<string, number>,
  may: (cell: CellSamples, taken: number) => boolean,
): void {
  for (let progress = true; progress && picks.length < slots;) {
    progress = false;
    for (const cell of ranked) {
      const taken = given.get(cell.id) ?? 0;
      if (picks.length >= slots || !may(cell, taken)) continue;
      given.set(cell.id, taken + 1);
      picks.push(cell.id);
      progress = true;
    }
  }
}

/** How many more invocations a cell may get, counting those in flight. */
function headroom(cell: CellSamples, options: AdaptiveOptions): number {
  return options.maxInvocations - measuredCount(cell) - (cell.inFlight ?? 0);
}

function rankCells(open: readonly CellSamples[], field: Field, options: AdaptiveOptions): CellSamples[] {
  const keyed = open.map((cell, index) => {
    const measured = measuredCount(cell) + (cell.inFlight ?? 0);
    const short = measured < options.minInvocations;
    return { cell, index, measured, short, value: short ? 0 : field.valueOf(cell.id) };
  });
  keyed.sort((x, y) => Number(y.short) - Number(x.short) || y.value - x.value || x.measured - y.measured || x.index - y.index);
  return keyed.map((k) => k.cell);
}

/** All cells' estimates, and what the cells with enough samples show about the others. */
class Field {
  private readonly estimates = new Map<string, CellEstimate>();
  /** Cells that had the least invocations and never failed: their intervals may rule others out. */
  private readonly evidence: CellEstimate[] = [];
  private readonly dominance: Dominance;
  /** The best upper bound of the strategy's merit among the evidence: a cell whose lower bound is above it cannot win. */
  private readonly bestHigh: number;
  private readonly fastestHigh: number;
  private readonly leader: CellEstimate | undefined;

  constructor(
    cells: readonly CellSamples[],
    private readonly options: AdaptiveOptions,
  ) {
    for (const cell of cells) {
      const estimate = estimateCell(cell, options.selection);
      if (estimate === undefined || cell.failures > 0) continue;
      this.estimates.set(cell.id, estimate);
      if (measuredCount(cell) >= options.minInvocations) this.evidence.push(estimate);
    }
    this.dominance = new Dominance(this.evidence, (e) => this.judgedDuration(e));
    this.bestHigh = Math.min(...this.evidence.map((e) => this.merit(e).high));
    this.fastestHigh = Math.min(...this.evidence.map((e) => e.duration.high));
    this.leader = this.findLeader();
  }

  verdict(cell: CellSamples): StopReason | undefined {
    if (cell.failures > 0) return 'failed';
    const measured = measuredCount(cell);
    if (measured >= this.options.maxInvocations) return 'max';
    const estimate = this.estimates.get(cell.id);
    if (measured < this.options.minInvocations || estimate === undefined) return undefined;
    if (this.dominance.dominated(estimate)) return 'dominated';
    if (this.outOfRunning(estimate)) return 'out-of-running';
    if (this.precise(estimate)) return 'precise';
    return undefined;
  }

  /**
   * How much one more sample of this cell could change the recommendation: the share of its merit
   * interval on the winning side of the leader's upper bound (1 for the leader itself, 0 for a cell
   * that can only lose to it). Explainable, not optimal: a wide interval straddling the leader's
   * scores about a half; one wholly better scores 1.
   */
  valueOf(id: string): number {
    const estimate = this.estimates.get(id);
    if (estimate === undefined || this.leader === undefined || id === this.leader.id) return 1;
    const mine = this.merit(estimate);
    const leaderHigh = this.merit(this.leader).high;
    if (mine.high <= mine.low) return mine.low <= leaderHigh ? 1 : 0;
    return Math.min(1, Math.max(0, (leaderHigh - mine.low) / (mine.high - mine.low)));
  }

  private outOfRunning(estimate: CellEstimate): boolean {
    const { maxDurationMs, strategy } = this.options.selection;
    if (maxDurationMs !== undefined) return this.outOfRunningForTarget(estimate, maxDurationMs);
    if (this.contends(estimate)) return false;
    if (strategy === 'cost') return true;
    // A cheaper cell whose median cannot be told apart from the pick's is recommended in its place.
    return ![...this.estimates.values()].some(
      (pick) => pick.id !== estimate.id && this.contends(pick) && estimate.cost.low < pick.cost.high && overlaps(estimate.duration, pick.duration),
    );
  }

  /**
   * With a duration target the cheapest cell that meets it wins, or else the fastest: a cell is out
   * when it surely misses and another surely meets (or it cannot be the fastest), or when a cell
   * that meets the target is surely cheaper.
   */
  private outOfRunningForTarget(estimate: CellEstimate, targetMs: number): boolean {
    const target = targetOf(estimate);
    const meets = (e: CellEstimate) => targetOf(e).high <= targetMs;
    if (target.low > targetMs) return this.evidence.some(meets) || estimate.duration.low > this.fastestHigh;
    return this.evidence.some((other) => other.id !== estimate.id && meets(other) && other.cost.high < estimate.cost.low);
  }

  private precise(estimate: CellEstimate): boolean {
    const { duration } = estimate;
    if (!duration.confident || (duration.high - duration.low) / 2 > this.options.precision * duration.point) return false;
    const targetMs = this.options.selection.maxDurationMs;
    if (targetMs === undefined) return true;
    const target = targetOf(estimate);
    return target.low > targetMs || (target.known && target.high <= targetMs);
  }

  private contends(estimate: CellEstimate): boolean {
    return this.merit(estimate).low <= this.bestHigh;
  }

  /** The cell the strategy would pick on the estimates so far: the reference more samples are weighed against. */
  private findLeader(): CellEstimate | undefined {
    const targetMs = this.options.selection.maxDurationMs;
    const pool = [...this.estimates.values()].filter((e) => targetMs === undefined || targetOf(e).low <= targetMs);
    return pool.reduce<CellEstimate | undefined>((best, e) => (best === undefined || this.merit(e).point < this.merit(best).point ? e : best), undefined);
  }

  /** The strategy's figure of merit on a log scale, lower is better; with a duration target, the cost. */
  private merit(e: CellEstimate): Bounds {
    const { strategy, weight, maxDurationMs } = this.options.selection;
    const w = maxDurationMs !== undefined || strategy === 'cost' ? 1 : strategy === 'speed' ? 0 : weight;
    const mix = (cost: number, duration: number) => w * Math.log(cost) + (1 - w) * Math.log(duration);
    return {
      point: mix(e.cost.point, e.duration.point),
      low: mix(e.cost.low, e.duration.low),
      high: mix(e.cost.high, e.duration.high),
    };
  }

  /** The duration a cell is judged slower by: its median, or with a target the percentile the target applies to. */
  private judgedDuration(e: CellEstimate): Bounds {
    return this.options.selection.maxDurationMs === undefined ? e.duration : targetOf(e);
  }
}

/** Whether some cell is surely faster and surely cheaper: among those surely faster, the lowest upper bound of cost. */
class Dominance {
  /** By the upper bound of duration, each with the lowest upper bound of cost up to it. */
  private readonly ladder: { durationHigh: number; cheapestHigh: number }[] = [];

  constructor(
    evidence: readonly CellEstimate[],
    private readonly durationOf: (e: CellEstimate) => Bounds,
  ) {
    let cheapestHigh = Number.POSITIVE_INFINITY;
    for (const e of [...evidence].sort((a, b) => durationOf(a).high - durationOf(b).high)) {
      cheapestHigh = Math.min(cheapestHigh, e.cost.high);
      this.ladder.push({ durationHigh: durationOf(e).high, cheapestHigh });
    }
  }

  dominated(estimate: CellEstimate): boolean {
    const low = this.durationOf(estimate).low;
    let cheapestFaster = Number.POSITIVE_INFINITY;
    for (const step of this.ladder) {
      if (step.durationHigh >= low) break;
      cheapestFaster = step.cheapestHigh;
    }
    return cheapestFaster < estimate.cost.low;
  }
}

/** The percentile a duration target is judged at; estimates carry it whenever there is a target. */
function targetOf(e: CellEstimate): Bounds & { known: boolean } {
  return e.target ?? { ...e.duration, known: true };
}

function overlaps(a: Bounds, b: Bounds): boolean {
  return a.low <= b.high && b.low <= a.high;
}
