import type { CellSummary, SelectionOptions, Summary, SweetSpot } from '../result/types.js';
import { paretoFrontier } from './frontier.js';

interface Candidate {
  id: string;
  cost: number;
  duration: number;
  /** The cell's durations: a candidate never failed, so it has them. */
  durations: Summary;
}

const usd = (value: number) => `$${value.toFixed(2)}`;

/**
 * Picks the recommended cell among those that never failed, and says by which rule. Cells whose
 * median durations cannot be told apart (their 95% intervals overlap) are as good as each other:
 * the cheaper one wins.
 */
export function chooseSweetSpot(cells: readonly CellSummary[], options: SelectionOptions): { sweetSpot: SweetSpot | null; frontier: Set<string> } {
  const cold = options.optimize === 'cold';
  // Judged on cold starts or not, a recommendation quotes the warm figures too: a candidate has them.
  const candidates: Candidate[] = cells.flatMap((cell) => {
    const judged = cold ? coldFigures(cell) : warmFigures(cell);
    return !cell.failed && warmFigures(cell) !== undefined && judged !== undefined ? [{ id: cell.id, ...judged }] : [];
  });
  const frontier = paretoFrontier(candidates);
  const frontierIds = new Set(frontier.map((c) => c.id));
  if (frontier.length === 0) return { sweetSpot: null, frontier: frontierIds };

  const { pick, rule, notes } =
    options.maxDurationMs === undefined ? byStrategy(frontier, options) : byTarget(candidates, frontier, options.maxDurationMs, options.percentile);
  return {
    sweetSpot: { cellId: pick.id, rule: cold ? `${rule}, judged on cold starts (init + duration, and their cost)` : rule, notes },
    frontier: frontierIds,
  };
}

type Figures = Omit<Candidate, 'id'>;

/** A cell as warm invocations find it: the median duration and the mean cost. */
function warmFigures({ durationMs, costPerInvocationUsd }: CellSummary): Figures | undefined {
  return durationMs === null || costPerInvocationUsd === null ? undefined : { cost: costPerInvocationUsd, duration: durationMs.median, durations: durationMs };
}

/** A cell as its cold starts find it: init + duration, and the cost with INIT (as billed per the prices). */
function coldFigures({ cold }: CellSummary): Figures | undefined {
  const total = cold.totalDurationMs ?? null;
  return total === null || cold.costPerInvocationUsd === null ? undefined : { cost: cold.costPerInvocationUsd, duration: total.median, durations: total };
}

interface Choice {
  pick: Candidate;
  rule: string;
  notes: string[];
}

/** With a duration target: the cheapest cell that meets it, or else the fastest. */
function byTarget(candidates: readonly Candidate[], frontier: readonly Candidate[], target: number, percentile: SelectionOptions['percentile']): Choice {
  const meeting = candidates.filter((c) => percentileOf(c.durations, percentile) <= target);
  if (meeting.length > 0) return { pick: cheapest(meeting), rule: `cheapest cell whose p${percentile} duration is within ${target} ms`, notes: [] };
  const pick = fastest(frontier);
  return {
    pick,
    rule: `fastest cell: none has a p${percentile} duration within ${target} ms`,
    notes: [`No cell met the target of ${target} ms at p${percentile}; the fastest is ${Math.round(percentileOf(pick.durations, percentile))} ms.`],
  };
}

/** By the strategy; then a cheaper cell whose median cannot be told apart from the pick's takes its place. */
function byStrategy(frontier: readonly Candidate[], options: SelectionOptions): Choice {
  const { pick, rule } = strategyPick(frontier, options);
  const equivalent = frontier.filter((c) => c.cost < pick.cost && overlaps(c.durations, pick.durations));
  if (equivalent.length === 0) return { pick, rule, notes: [] };
  const cheaper = cheapest(equivalent);
  const note = `${pick.id} and ${cheaper.id} cannot be told apart on median duration (95% intervals overlap); ${cheaper.id} is cheaper (${usd(cheaper.cost * 1e6)} vs ${usd(pick.cost * 1e6)} per million), so it is recommended.`;
  return { pick: cheaper, rule, notes: [note] };
}

function strategyPick(frontier: readonly Candidate[], { strategy, weight }: SelectionOptions): Pick<Choice, 'pick' | 'rule'> {
  if (strategy === 'cost') return { pick: cheapest(frontier), rule: 'cheapest cell (strategy cost)' };
  if (strategy === 'speed') return { pick: fastest(frontier), rule: 'fastest median duration (strategy speed)' };
  return { pick: balanced(frontier, weight), rule: `lowest cost^${weight} × duration^${round(1 - weight)} (strategy balanced: ${describeWeight(weight)})` };
}

function cheapest(candidates: readonly Candidate[]): Candidate {
  return first(candidates, (a, b) => a.cost - b.cost || a.duration - b.duration || compareText(a.id, b.id));
}

function fastest(candidates: readonly Candidate[]): Candidate {
  return first(candidates, (a, b) => a.duration - b.duration || a.cost - b.cost || compareText(a.id, b.id));
}

/** Minimises cost^w × duration^(1−w): scale-free, so at w = 0.5 one percent faster is worth one percent dearer. */
function balanced(frontier: readonly Candidate[], weight: number): Candidate {
  const score = (c: Candidate) => weight * Math.log(c.cost) + (1 - weight) * Math.log(c.duration);
  return first(frontier, (a, b) => score(a) - score(b) || a.cost - b.cost || compareText(a.id, b.id));
}

/** The first candidate in an order; the callers only ever choose among some. */
function first(candidates: readonly Candidate[], order: (a: Candidate, b: Candidate) => number): Candidate {
  const [best] = [...candidates].sort(order);
  if (best === undefined) throw new Error('No candidate cell to choose from');
  return best;
}

function overlaps(a: Summary, b: Summary): boolean {
  const x = a.medianCi;
  const y = b.medianCi;
  return x.low <= y.high && y.low <= x.high;
}

function percentileOf(d: Summary, percentile: SelectionOptions['percentile']): number {
  return percentile === 50 ? d.median : percentile === 90 ? d.p90 : percentile === 95 ? d.p95 : d.p99;
}

function describeWeight(weight: number): string {
  if (weight === 0.5) return '1% faster is worth 1% dearer';
  return weight > 0.5 ? 'cost weighs more than speed' : 'speed weighs more than cost';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
