/**
 * A memory range, `128..3008` or `128..3008:64`: every size from the first to the last in steps of
 * the step (the last is included even off the step). Lambda takes any whole MB from 128 to 10240;
 * 64 MB steps by default keep 128..10240 to 159 sizes, both ends on the grid, and are finer than a
 * search can tell apart (64 MB is 6% of 1024 MB).
 */

export interface MemoryRange {
  fromMb: number;
  toMb: number;
  stepMb: number;
}

export const DEFAULT_STEP_MB = 64;

const RANGE = /^(\d+)\.\.(\d+)(?::(\d+))?$/;

/** The range a `--memory` value writes, or undefined when it is not range syntax (a list). Checking its bounds is the config's. */
export function parseMemoryRange(text: string): MemoryRange | undefined {
  const match = RANGE.exec(text.trim());
  if (match === null) return undefined;
  return { fromMb: Number(match[1]), toMb: Number(match[2]), stepMb: match[3] === undefined ? DEFAULT_STEP_MB : Number(match[3]) };
}

/** What is wrong with a range, in words for the user, or undefined when Lambda accepts every size in it. */
export function rangeProblem({ fromMb, toMb, stepMb }: MemoryRange): string | undefined {
  if (fromMb < 128 || toMb > 10_240) return `${fromMb}..${toMb} reaches outside 128..10240, the memory sizes Lambda accepts.`;
  if (fromMb >= toMb) return `${fromMb}..${toMb} is empty or backwards: write the smaller size first.`;
  if (stepMb < 1) return `a step of ${stepMb} MB goes nowhere.`;
  return undefined;
}

/** Every size of a valid range, ascending. */
export function rangeSizes({ fromMb, toMb, stepMb }: MemoryRange): number[] {
  const sizes: number[] = [];
  for (let m = fromMb; m <= toMb; m += stepMb) sizes.push(m);
  if (sizes[sizes.length - 1] !== toMb) sizes.push(toMb);
  return sizes;
}
