import { mean, medianAbsoluteDeviation, quantileSorted, sampleStandardDeviation } from './library.js';
import type { Summary } from '../result/types.js';

const CONFIDENCE = 0.95;
/** Iglewicz & Hoaglin (1993): |0.6745 (x - median) / MAD| > 3.5 marks an outlier. */
const OUTLIER_Z = 3.5;
const TRIM = 0.1;

/** Describes a set of measurements; null for an empty one. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
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

function trimmedMean(sorted: readonly number[]): number {
  const cut = Math.floor(sorted.length * TRIM);
  return mean(sorted.slice(cut, sorted.length - cut));
}

function countOutliers(sorted: readonly number[], median: number): number {
  if (sorted.length < 3) return 0;
  const mad = medianAbsoluteDeviation([...sorted]);
  // With a MAD of zero every differing value would score infinitely; flag none (hyperfine does the same).
  if (mad === 0) return 0;
  return sorted.filter((x) => Math.abs((0.6745 * (x - median)) / mad) > OUTLIER_Z).length;
}

/**
 * The distribution-free confidence interval of the median: order statistics x(j) and x(n-j+1),
 * with j the largest rank for which P(Binomial(n, 1/2) < j) <= (1 - confidence) / 2.
 * Below 6 values no pair reaches 95%; the interval is then the whole range.
 */
export function medianInterval(sorted: readonly number[], confidence = CONFIDENCE): Summary['medianCi'] {
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
function orderStatistic(sorted: readonly number[], index: number): number {
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
