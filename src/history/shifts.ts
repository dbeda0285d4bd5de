import { mannWhitneyGreater } from '../gate/tests.js';
import { quantileSorted } from '../stats/library.js';
import { incomparability } from './comparable.js';
import { holmSignificant } from './holm.js';
import type { CellShift, Comparison, RunDigest } from './types.js';

export const SHIFT_TEST = "Mann–Whitney U, two-sided, on each cell's warm successful samples; Holm's correction across the cells of each comparison";

/** Fewer samples than this on either side are not tested (as in the gate). */
const MIN_SAMPLES = 3;
/** The least a cell needs in each run to be compared, in words. */
export const MIN_SAMPLES_TEXT = `${MIN_SAMPLES} warm successful samples a cell`;

export interface ShiftSettings {
  confidence: number;
  /** A median must move by more than this, in percent, to count as a shift. */
  minChangePercent: number;
}

/** A cell present in both runs, its median change, and its p-value (1 when it was not tested). */
interface Candidate {
  cellId: string;
  beforeMedianMs: number;
  afterMedianMs: number;
  changePercent: number;
  pValue: number;
}

/**
 * A run against the one before it, cell by cell over the cells both measured. Pure. A cell shifted
 * when its median moved by more than the minimum change and the test finds the move real after
 * Holm's correction over all the cells compared.
 */
export function compareRuns(before: RunDigest, after: RunDigest, settings: ShiftSettings): Comparison {
  const reasons = incomparability(before.shape, after.shape);
  if (reasons.length > 0) return { status: 'not-comparable', reasons };
  const candidates = sharedCells(before, after).map(([id, b, a]) => candidate(id, b, a, settings.minChangePercent));
  const alpha = Math.round((1 - settings.confidence) * 1e9) / 1e9;
  const significant = holmSignificant(
    candidates.map((c) => c.pValue),
    alpha,
  );
  const shifts = candidates.filter((_, i) => significant[i] === true).map(toShift);
  return { status: 'compared', cells: candidates.length, changePoint: shifts.length > 0, shifts };
}

/** The cells both runs measured with enough samples to test, in the later run's order. */
function sharedCells(before: RunDigest, after: RunDigest): [string, number[], number[]][] {
  const shared: [string, number[], number[]][] = [];
  for (const [id, now] of after.durationsMs) {
    const earlier = before.durationsMs.get(id);
    if (earlier !== undefined && earlier.length >= MIN_SAMPLES && now.length >= MIN_SAMPLES) shared.push([id, earlier, now]);
  }
  return shared;
}

/**
 * A move no larger than the minimum change can never count, so its cell is not tested (the test
 * is the costly part of a long history); it stays in the correction's family with p = 1. Holm's
 * procedure is monotone in the p-values, so this is never more lenient than testing it.
 */
function candidate(cellId: string, beforeMs: readonly number[], afterMs: readonly number[], minChangePercent: number): Candidate {
  const beforeMedianMs = quantileSorted(beforeMs, 0.5);
  const afterMedianMs = quantileSorted(afterMs, 0.5);
  const changePercent = beforeMedianMs === 0 ? 0 : ((afterMedianMs - beforeMedianMs) / beforeMedianMs) * 100;
  const moved = Math.abs(changePercent) > minChangePercent;
  return { cellId, beforeMedianMs, afterMedianMs, changePercent, pValue: moved ? twoSided(beforeMs, afterMs, changePercent > 0) : 1 };
}

/** The one-sided p-value in the direction the median moved, doubled: a two-sided test, since a history looks for shifts either way. */
function twoSided(beforeMs: readonly number[], afterMs: readonly number[], slower: boolean): number {
  const oneSided = slower ? mannWhitneyGreater(beforeMs, afterMs) : mannWhitneyGreater(afterMs, beforeMs);
  return Math.min(1, 2 * oneSided);
}

function toShift(c: Candidate): CellShift {
  return {
    cellId: c.cellId,
    beforeMedianMs: c.beforeMedianMs,
    afterMedianMs: c.afterMedianMs,
    changePercent: c.changePercent,
    direction: c.changePercent > 0 ? 'slower' : 'faster',
    pValue: c.pValue,
  };
}
