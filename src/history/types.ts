/**
 * The records of `tune history`: committed results reduced to what a trend needs, and the trend
 * itself. `History` is what --json prints and every renderer reads.
 */

import type { Architecture, Params } from '../result/types.js';

/** The git commit a result was read from (--git). */
export interface CommitInfo {
  hash: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
}

/** Where a result came from: a file, or a file as one commit had it. */
export interface RunSource {
  /** The file, or `COMMIT:PATH`: what errors and reports name. */
  origin: string;
  commit?: CommitInfo | undefined;
}

/** The configuration a run recommended, with the numbers the trend follows. */
export interface RecommendedConfig {
  cellId: string;
  function: string;
  memoryMb: number;
  params: Params;
  medianMs: number;
  p95Ms: number;
  costPerMillionUsd: number;
}

/** What decides whether two runs measured the same thing the same way. */
export interface RunShape {
  functions: { name: string; architecture: Architecture }[];
  axes: string[];
  region: string;
  payloads: Record<string, Record<string, unknown>>;
}

/**
 * One result reduced to what the history keeps: a thousand results fit in memory because the
 * samples are kept only as each cell's warm successful durations, sorted.
 */
export interface RunDigest {
  source: RunSource;
  startedAt: string;
  stoppedBy?: 'budget' | 'interrupt' | undefined;
  shape: RunShape;
  recommended: RecommendedConfig | null;
  /** Per cell id: its warm, successful durations in ascending order (what the shift test reads). */
  durationsMs: Map<string, number[]>;
}

/** A cell whose median moved between a run and the one before it, beyond the noise and the minimum change. */
export interface CellShift {
  cellId: string;
  beforeMedianMs: number;
  afterMedianMs: number;
  /** (after − before) / before, in percent: positive is slower. */
  changePercent: number;
  direction: 'slower' | 'faster';
  /** Two-sided Mann–Whitney U p-value, before Holm's correction. */
  pValue: number;
}

export type Comparison =
  | { status: 'first' }
  | { status: 'not-comparable'; reasons: string[] }
  | {
      status: 'compared';
      /** Cells present in both runs with enough samples to test: the family Holm's correction runs over. */
      cells: number;
      changePoint: boolean;
      shifts: CellShift[];
    };

export interface HistoryRun {
  /** 1 for the oldest. */
  number: number;
  origin: string;
  commit?: CommitInfo | undefined;
  startedAt: string;
  stoppedBy?: 'budget' | 'interrupt' | undefined;
  /** The functions the run measured. */
  functions: string[];
  recommended: RecommendedConfig | null;
  /** Whether the recommended configuration differs from the previous run's (true for the first run). */
  recommendationChanged: boolean;
  comparison: Comparison;
}

/** A file that was not a valid result, left out with --skip-invalid. */
export interface SkippedSource {
  origin: string;
  reason: string;
}

export interface History {
  test: string;
  confidence: number;
  minChangePercent: number;
  /** How the runs were ordered. */
  orderedBy: 'startedAt' | 'commit';
  runs: HistoryRun[];
  /** The numbers of the runs where performance shifted. */
  changePoints: number[];
  skipped: SkippedSource[];
}
