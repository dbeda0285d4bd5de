/** A point to compare: lower is better on both axes. */
export interface Point {
  id: string;
  cost: number;
  duration: number;
}

/** The Pareto frontier: points no other point beats on both cost and duration. */
export function paretoFrontier<T extends Point>(points: readonly T[]): T[] {
  return points.filter((p) => !points.some((q) => q !== p && q.cost <= p.cost && q.duration <= p.duration && (q.cost < p.cost || q.duration < p.duration)));
}
