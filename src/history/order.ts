import type { RunDigest } from './types.js';

/**
 * Runs in the order they were made, by run.startedAt. Times that do not parse (a hand-made result)
 * come after those that do, by their text; the file's name breaks ties, so the order never
 * depends on the order the files were found in.
 */
export function byStartTime(digests: readonly RunDigest[]): RunDigest[] {
  const keyed = digests.map((digest) => ({ digest, time: Date.parse(digest.startedAt) }));
  keyed.sort(
    (a, b) =>
      compareTimes(a.time, b.time) || compareText(a.digest.startedAt, b.digest.startedAt) || compareText(a.digest.source.origin, b.digest.source.origin),
  );
  return keyed.map((k) => k.digest);
}

function compareTimes(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a - b;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
