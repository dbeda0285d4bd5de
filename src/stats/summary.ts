import { mean, quantileSorted, sampleStandardDeviation } from './library.js';
import type { Summary } from '../result/types.js';
import { sortNumbers } from './sort.js';

const CONFIDENCE = 0.95;
/** Iglewicz & Hoaglin (1993): |0.6745 (x - median) / MAD| > 3.5 marks an outlier. */
const OUTLIER_Z = 3.5;
const TRIM = 0.1;

/** Values in ascending order, in a typed array, sorted by their bits (sort.ts): many times faster than a comparator over a large cell. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return sortNumbers(new Float64Array(values));
}

/** Describes a set of measurements; null for an empty one. */
export function summarize(values: ArrayLike<number>): Summary | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  const median = quantileSorted(sorted, 0.5);
  return {
    n: sorted.length,
    mean: mean(sorted),
    median,
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: orderStatistic(sorted, 0),
    max: orderStatistic(sorted, sorted.length - 1),
    stdDev: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
    trimmedMean: trimmedMean(sorted),
    medianCi: medianInterval(sorted),
    outliers: countOutliers(sorted, median),
  };
}

function trimmedMean(sorted: Float64Array): number {
  const cut = Math.floor(sorted.length * TRIM);
  return mean(sorted.subarray(cut, sorted.length - cut));
}

function countOutliers(sorted: Float64Array, median: number): number {
  if (sorted.length < 3) return 0;
  const mad = medianAbsoluteDeviation(sorted, median);
  // With a MAD of zero every differing value would score infinitely; flag none (hyperfine does the same).
  if (mad === 0) return 0;
  let count = 0;
  for (const x of sorted) if (Math.abs((0.6745 * (x - median)) / mad) > OUTLIER_Z) count++;
  return count;
}

/**
 * The median of the distances from the median, of values already sorted: the distances below the
 * median, read downwards, and those above, read upwards, are each in order, so one merge puts
 * them all in order, in time linear in n (sorting them afresh takes n log n). Each distance and
 * the median of them are computed as simple-statistics' medianAbsoluteDeviation computes them.
 */
function medianAbsoluteDeviation(sorted: Float64Array, median: number): number {
  const distances = new Float64Array(sorted.length);
  let below = lastBelow(sorted, median);
  let above = below + 1;
  for (let i = 0; i < distances.length; i++) {
    const down = below >= 0 ? Math.abs((sorted[below] ?? 0) - median) : Infinity;
    const up = above < sorted.length ? Math.abs((sorted[above] ?? 0) - median) : Infinity;
    if (down <= up) below--;
    else above++;
    distances[i] = Math.min(down, up);
  }
  return quantileSorted(distances, 0.5);
}

/** The index of the last value below the median (-1 when there is none). */
function lastBelow(sorted: Float64Array, median: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < median) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/**
 * The distribution-free confidence interval of the median: order statistics x(j) and x(n-j+1),
 * with j the largest rank for which P(Binomial(n, 1/2) < j) <= (1 - confidence) / 2.
 * Below 6 values no pair reaches 95%; the interval is then the whole range.
 */
export function medianInterval(sorted: ArrayLike<number>, confidence = CONFIDENCE): Summary['medianCi'] {
  const n = sorted.length;
  const tail = (1 - confidence) / 2;
  let j = 0;
  let cumulative = 0;
  let logChoose = 0;
  const logHalfN = n * Math.log(0.5);
  for (let k = 0; k < n; k++) {
    cumulative += Math.exp(logChoose + logHalfN);
    if (cumulative > tail) break;
    j = k + 1;
    logChoose += Math.log(n - k) - Math.log(k + 1);
  }
  if (j === 0) return { low: orderStatistic(sorted, 0), high: orderStatistic(sorted, n - 1), confidence: 1 - 2 * Math.pow(0.5, n) };
  return { low: orderStatistic(sorted, j - 1), high: orderStatistic(sorted, n - j), confidence: 1 - 2 * binomialCdf(n, j - 1) };
}

/** The value at a rank of a sorted, non-empty set; a rank outside it is a bug in the caller. */
function orderStatistic(sorted: ArrayLike<number>, index: number): number {
  const value = sorted[index];
  if (value === undefined) throw new Error(`Rank ${index} is outside a set of ${sorted.length} values`);
  return value;
}

/** P(Binomial(n, 1/2) <= k). */
function binomialCdf(n: number, k: number): number {
  let logChoose = 0;
  let total = 0;
  for (let i = 0; i <= k; i++) {
    total += Math.exp(logChoose + n * Math.log(0.5));
    logChoose += Math.log(n - i) - Math.log(i + 1);
  }
  return total;
}
