import { errorFunction } from '../stats/library.js';

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
  const all = [...baseline.map((value) => ({ value, current: false })), ...current.map((value) => ({ value, current: true }))].sort(
    (a, b) => a.value - b.value,
  );
  const { ranked, tieTerm } = rankAll(all);
  const rankSumCurrent = ranked.reduce((sum, entry) => (entry.current ? sum + entry.rank : sum), 0);
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
 * Each entry's rank in the sorted list, tied values sharing the mean of their ranks, and the tie
 * correction term Σ(t³ − t) over the groups of t tied values.
 */
function rankAll(sorted: readonly { value: number; current: boolean }[]): { ranked: { current: boolean; rank: number }[]; tieTerm: number } {
  const ranked: { current: boolean; rank: number }[] = [];
  let tieTerm = 0;
  let start = 0;
  sorted.forEach((entry, index) => {
    // A group of ties ends where the next value differs (or at the end).
    if (sorted[index + 1]?.value === entry.value) return;
    const rank = (start + index) / 2 + 1;
    for (const tied of sorted.slice(start, index + 1)) ranked.push({ current: tied.current, rank });
    const t = index - start + 1;
    tieTerm += t * t * t - t;
    start = index + 1;
  });
  return { ranked, tieTerm };
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
  let p = 0;
  for (let k = currentFailures; k <= Math.min(failures, currentTotal); k++) {
    p += Math.exp(logChoose(currentTotal, k) + logChoose(baselineTotal, failures - k) - logChoose(total, failures));
  }
  return Math.min(1, p);
}

function logFactorial(n: number): number {
  let total = 0;
  for (let i = 2; i <= n; i++) total += Math.log(i);
  return total;
}
