/**
 * Distribution-free bounds of a percentile from order statistics (Hahn & Meeker, Statistical
 * Intervals, 1991, §5.2): the number of samples below the q-quantile is Binomial(n, q), so the
 * ranks whose binomial tails hold 2.5% each bound it at 95%. The median's interval is src/stats'
 * medianInterval; this one serves the tail percentiles a duration target is judged at.
 */

export interface PercentileBounds {
  low: number;
  high: number;
  /**
   * False when the samples are too few for a distribution-free upper bound (a p95 needs 59):
   * `high` is then the largest sample, as far as they can tell, which is what the run's own p95
   * of so few samples is.
   */
  highKnown: boolean;
}

const TAIL = 0.025;

/** 95% bounds of the q-quantile (0 < q < 1) of a sorted, non-empty set. */
export function percentileBounds(sorted: readonly number[], q: number): PercentileBounds {
  const n = sorted.length;
  const cdf = binomialCdf(n, q);
  // Lower: the largest rank l with P(B ≤ l − 1) ≤ 2.5%; none means nothing is known below.
  let lowRank = 0;
  while (lowRank < n && (cdf[lowRank] ?? 1) <= TAIL) lowRank++;
  // Upper: the smallest rank u with P(B ≤ u − 1) ≥ 97.5%; beyond n the samples cannot say.
  let highRank = 1;
  while (highRank <= n && (cdf[highRank - 1] ?? 1) < 1 - TAIL) highRank++;
  return {
    low: lowRank === 0 ? 0 : rank(sorted, lowRank),
    high: rank(sorted, Math.min(highRank, n)),
    highKnown: highRank <= n,
  };
}

/** The value of 1-based rank `r` of a sorted set; a rank outside it is a bug in the caller. */
function rank(sorted: readonly number[], r: number): number {
  const value = sorted[r - 1];
  if (value === undefined) throw new Error(`Rank ${r} is outside a set of ${sorted.length} values`);
  return value;
}

/** P(Binomial(n, p) ≤ k) for k = 0..n. */
function binomialCdf(n: number, p: number): number[] {
  const cdf: number[] = [];
  let logTerm = n * Math.log(1 - p);
  let total = 0;
  for (let k = 0; k <= n; k++) {
    total += Math.exp(logTerm);
    cdf.push(Math.min(1, total));
    logTerm += Math.log(n - k) - Math.log(k + 1) + Math.log(p) - Math.log(1 - p);
  }
  return cdf;
}
