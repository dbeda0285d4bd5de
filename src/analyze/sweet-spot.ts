import type { CellSummary, SelectionOptions, SweetSpot } from '../result/types.js';
import { paretoFrontier } from './frontier.js';

interface Candidate {
  id: string;
  cost: number;
  duration: number;
  cell: CellSummary;
}

const usd = (value: number) => `$${value.toFixed(2)}`;

/**
 * Picks the recommended cell among those that never failed, and says by which rule. Cells whose
 * median durations cannot be told apart (their 95% intervals overlap) are as good as each other:
 * the cheaper one wins.
 */
export function chooseSweetSpot(cells: readonly CellSummary[], options: SelectionOptions): { sweetSpot: SweetSpot | null; frontier: Set<string> } {
  const candidates: Candidate[] = cells
    .filter((cell) => !cell.failed && cell.durationMs !== null && cell.costPerInvocationUsd !== null)
    .map((cell) => ({ id: cell.id, cost: cell.costPerInvocationUsd!, duration: cell.durationMs!.median, cell }));
  const frontier = paretoFrontier(candidates);
  const frontierIds = new Set(frontier.map((c) => c.id));
  if (frontier.length === 0) return { sweetSpot: null, frontier: frontierIds };

  const notes: string[] = [];
  let pick: Candidate;
  let rule: string;
  if (options.maxDurationMs !== undefined) {
    const target = options.maxDurationMs;
    const meeting = candidates.filter((c) => percentileOf(c.cell, options.percentile) <= target);
    if (meeting.length > 0) {
      pick = cheapest(meeting);
      rule = `cheapest cell whose p${options.percentile} duration is within ${target} ms`;
    } else {
      pick = fastest(frontier);
      rule = `fastest cell: none has a p${options.percentile} duration within ${target} ms`;
      notes.push(
        `No cell met the target of ${target} ms at p${options.percentile}; the fastest is ${Math.round(percentileOf(pick.cell, options.percentile))} ms.`,
      );
    }
  } else if (options.strategy === 'cost') {
    pick = cheapest(frontier);
    rule = 'cheapest cell (strategy cost)';
  } else if (options.strategy === 'speed') {
    pick = fastest(frontier);
    rule = 'fastest median duration (strategy speed)';
  } else {
    pick = balanced(frontier, options.weight);
    rule = `lowest cost^${options.weight} × duration^${round(1 - options.weight)} (strategy balanced: ${describeWeight(options.weight)})`;
  }

  const equivalent = frontier.filter((c) => c.cost < pick.cost && overlaps(c.cell, pick.cell));
  if (equivalent.length > 0 && options.maxDurationMs === undefined) {
    const cheaper = cheapest(equivalent);
    notes.push(
      `${pick.id} and ${cheaper.id} cannot be told apart on median duration (95% intervals overlap); ${cheaper.id} is cheaper (${usd(cheaper.cost * 1e6)} vs ${usd(pick.cost * 1e6)} per million), so it is recommended.`,
    );
    pick = cheaper;
  }
  return { sweetSpot: { cellId: pick.id, rule, notes }, frontier: frontierIds };
}

function cheapest(candidates: readonly Candidate[]): Candidate {
  return [...candidates].sort((a, b) => a.cost - b.cost || a.duration - b.duration || compareText(a.id, b.id))[0]!;
}

function fastest(candidates: readonly Candidate[]): Candidate {
  return [...candidates].sort((a, b) => a.duration - b.duration || a.cost - b.cost || compareText(a.id, b.id))[0]!;
}

/** Minimises cost^w × duration^(1−w): scale-free, so at w = 0.5 one percent faster is worth one percent dearer. */
function balanced(frontier: readonly Candidate[], weight: number): Candidate {
  const score = (c: Candidate) => weight * Math.log(c.cost) + (1 - weight) * Math.log(c.duration);
  return [...frontier].sort((a, b) => score(a) - score(b) || a.cost - b.cost || compareText(a.id, b.id))[0]!;
}

function overlaps(a: CellSummary, b: CellSummary): boolean {
  const x = a.durationMs!.medianCi;
  const y = b.durationMs!.medianCi;
  return x.low <= y.high && y.low <= x.high;
}

function percentileOf(cell: CellSummary, percentile: SelectionOptions['percentile']): number {
  const d = cell.durationMs!;
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
