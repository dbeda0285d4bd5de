import { errorFunction } from '../stats/library.js';
import { sortedCopy } from '../stats/summary.js';

/** Up to these sizes, without ties, the exact distribution of U is counted rather than approximated. */
const EXACT_LIMIT = 25;

/**
 * One-sided Mann–Whitney U test: how likely samples at least this much larger in `current`
 * would be if both came from one distribution. Small samples without ties use the exact
 * distribution of U; others the normal approximation with tie and continuity corrections
 * (Mann & Whitney 1947; the tie correction as in Lehmann, Nonparametrics 1975).
 */
export function mannWhitneyGreater(baseline: readonly number[], current: readonly number[]): number {
  const n1 = baseline.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return 1;
  const { rankSumCurrent, tieTerm } = rankSums(sortedCopy(baseline), sortedCopy(current));
  const u = rankSumCurrent - (n2 * (n2 + 1)) / 2;
  if (tieTerm === 0 && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) return exactUpperTail(n1, n2, u);
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return u > mean ? 0 : 1;
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return upperTail(z);
}

/**
 * The sum of the current values' ranks in both samples together, tied values sharing the mean of
 * their ranks, and the tie correction term Σ(t³ − t) over the groups of t tied values: one merge
 * of the two sorted samples, a group of equal values at a time.
 */
function rankSums(baseline: Float64Array, current: Float64Array): { rankSumCurrent: number; tieTerm: number } {
  let rankSumCurrent = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  while (i < baseline.length || j < current.length) {
    const value = Math.min(baseline[i] ?? Infinity, current[j] ?? Infinity);
    // A value that is not a number ranks nowhere: the test then says nothing (NaN is never significant).
    if (Number.isNaN(value)) return { rankSumCurrent: Number.NaN, tieTerm: Number.NaN };
    const start = i + j;
    while (i < baseline.length && baseline[i] === value) i++;
    const firstCurrent = j;
    while (j < current.length && current[j] === value) j++;
    // Ranks start + 1 … i + j, shared: their mean.
    const t = i + j - start;
    rankSumCurrent += (j - firstCurrent) * ((start + i + j - 1) / 2 + 1);
    tieTerm += t * t * t - t;
  }
  return { rankSumCurrent, tieTerm };
}

/** P(Z > z) for a standard normal Z, from the error function (precise far into the tail, unlike a rounded table). */
function upperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

/**
 * P(U >= u) when the two samples are exchangeable: the number of orderings giving each U, counted
 * with the recurrence N(a, b, u) = N(a, b - 1, u - a) + N(a - 1, b, u) (the largest value is
 * either a current one, above all a baseline values, or a baseline one).
 */
function exactUpperTail(n1: number, n2: number, u: number): number {
  const memo = new Map<string, number[]>();
  const counts = (a: number, b: number): number[] => {
    if (a === 0 || b === 0) return [1];
    const key = `${a},${b}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const withCurrentLast = counts(a, b - 1);
    const withBaselineLast = counts(a - 1, b);
    // A current value last is above all a baseline values: it adds a to U.
    const result = Array.from({ length: a * b + 1 }, (_, i) => (withCurrentLast[i - a] ?? 0) + (withBaselineLast[i] ?? 0));
    memo.set(key, result);
    return result;
  };
  const distribution = counts(n1, n2);
  const total = distribution.reduce((sum, n) => sum + n, 0);
  const atLeast = distribution.slice(Math.ceil(u)).reduce((sum, n) => sum + n, 0);
  return atLeast / total;
}

/**
 * One-sided Fisher exact test: how likely at least `currentFailures` of `currentTotal` would fail
 * if both runs failed at one rate (hypergeometric tail).
 */
export function fisherGreater(baselineFailures: number, baselineTotal: number, currentFailures: number, currentTotal: number): number {
  const failures = baselineFailures + currentFailures;
  const total = baselineTotal + currentTotal;
  const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const logAll = logChoose(total, failures);
  let p = 0;
  for (let k = currentFailures; k <= Math.min(failures, currentTotal); k++) {
    p += Math.exp(logChoose(currentTotal, k) + logChoose(baselineTotal, failures - k) - logAll);
  }
  return Math.min(1, p);
}

/** ln(n!) for n = 0, 1, …: each the one before plus ln(n), so a value is summed once and looked up after. */
let logFactorials = new Float64Array([0, 0]);
let logFactorialsKnown = 2;

function logFactorial(n: number): number {
  if (n >= logFactorialsKnown) extendLogFactorials(n);
  return logFactorials[n] ?? Number.NaN;
}

function extendLogFactorials(n: number): void {
  if (n >= logFactorials.length) {
    const grown = new Float64Array(Math.max(n + 1, logFactorials.length * 2));
    grown.set(logFactorials);
    logFactorials = grown;
  }
  for (let i = logFactorialsKnown; i <= n; i++) logFactorials[i] = (logFactorials[i - 1] ?? 0) + Math.log(i);
  logFactorialsKnown = n + 1;
}
