/**
 * The records that pass from measuring to analysis and rendering. `TuneResult` is the contract:
 * every renderer and the gate read it, and it carries the raw samples so any later version can
 * re-analyse an old result. Its JSON Schema is schemas/tune-result.schema.json.
 */

import { type Axis, type Params, paramsId } from '../plan/axes.js';

export type { Axis, ParamValue, Params } from '../plan/axes.js';

export type Architecture = 'x86_64' | 'arm64';
export type SampleStatus = 'success' | 'error' | 'timeout' | 'failure';

/** One invocation, as measured. */
export interface Sample {
  function: string;
  memoryMb: number;
  /** The cell's parameters, each set into the payload by name (the chunk size, a mode, a payload file's name); empty when the run varied none. */
  params: Params;
  durationMs: number;
  billedDurationMs: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start. */
  initDurationMs?: number;
  status: SampleStatus;
  /** The error the invocation raised; on a successful sample, an error of a type the run allowed (--allow-error), counted as a success. */
  errorType?: string;
  cold: boolean;
  /** One of the run's --cold samples: the only invocation of a version published for it, so a fresh execution environment. */
  coldProbe?: boolean;
  /** A warm-up invocation: kept in the raw samples, left out of the statistics. */
  warmup: boolean;
  timings: Record<string, number>;
  requestId?: string;
}

export interface Summary {
  n: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  stdDev: number;
  /** Mean of the middle 80% (10% trimmed from each end). */
  trimmedMean: number;
  /** 95% confidence interval of the median (distribution-free, from order statistics). */
  medianCi: { low: number; high: number; confidence: number };
  /** Values whose modified z-score exceeds 3.5. */
  outliers: number;
}

export interface CellKey {
  function: string;
  memoryMb: number;
  params: Params;
}

export interface CellSummary extends CellKey {
  id: string;
  architecture: Architecture;
  /** Warm measured invocations, failed ones included. */
  invocations: number;
  errors: number;
  errorTypes: Record<string, number>;
  /** Errors of the types the run allowed (--allow-error), by type: counted as successes. Present when there were any. */
  allowedErrorTypes?: Record<string, number>;
  /** Any failed invocation fails the cell: it is reported, never recommended. (A cell with no warm samples is not failed, just unmeasured.) */
  failed: boolean;
  /** Of successful warm invocations; null when there were none. */
  durationMs: Summary | null;
  billedDurationMs: Summary | null;
  maxMemoryUsedMb: number;
  headroomMb: number;
  costPerInvocationUsd: number | null;
  costPerMillionUsd: number | null;
  /** Successful cold starts: the --cold samples when the run took them, otherwise whatever cold starts it met. */
  cold: {
    count: number;
    initDurationMs: Summary | null;
    durationMs: Summary | null;
    /** Init duration + duration: how long the caller of a cold start waited. Absent in results of lambda-tune 0.1. */
    totalDurationMs?: Summary | null;
    costPerInvocationUsd: number | null;
  };
  timings: Record<string, Summary>;
  onFrontier: boolean;
}

export type Strategy = 'cost' | 'speed' | 'balanced';
/** What the strategy judges: warm invocations, or cold starts (init + duration, and their cost with INIT). */
export type Optimize = 'warm' | 'cold';

export interface SelectionOptions {
  strategy: Strategy;
  /** Weight of cost against duration for `balanced`, 0..1. */
  weight: number;
  /** With a target: the cheapest cell whose duration at `percentile` meets it. */
  maxDurationMs?: number | undefined;
  percentile: 50 | 90 | 95 | 99;
  /** Judged on warm invocations (the default; absent in older results) or on cold starts. */
  optimize?: Optimize | undefined;
}

export interface SweetSpot {
  cellId: string;
  /** One line stating the rule that picked the cell. */
  rule: string;
  /** Further notes: cells that could not be told apart, a target nobody met. */
  notes: string[];
}

export interface Prices {
  region: string;
  architecture: Architecture;
  pricePerGbSecondUsd: number;
  pricePerRequestUsd: number;
  /** Whether cold starts' INIT time is billed (AWS does for on-demand functions since August 2025). */
  billInit: boolean;
  source: string;
}

export interface Analysis {
  cells: CellSummary[];
  sweetSpot: SweetSpot | null;
  selection: SelectionOptions;
  /** What every invocation of the run cost, warm-ups and cold starts included. */
  runCostUsd: number;
}

export interface FunctionInfo {
  name: string;
  architecture: Architecture;
  /** MemorySize before the run: what the recommendation saves against. */
  originalMemoryMb?: number | undefined;
  prices: Prices;
  /** The code that was tuned ($LATEST's CodeSha256) and its runtime; absent in older results. */
  codeSha256?: string | undefined;
  runtime?: string | undefined;
  /** When tuned as NAME:ALIAS (or NAME:VERSION): the qualifier given and the version it named, whose code $LATEST held. */
  qualifier?: { name: string; version: string } | undefined;
}

export interface RunInfo {
  tool: string;
  toolVersion: string;
  target: 'aws' | 'local';
  region: string;
  profile?: string | undefined;
  startedAt: string;
  finishedAt: string;
  invocationsPerCell: number;
  warmupPerCell: number;
  concurrency: number;
  /** The payload every cell starts from (the first file's, when the payload is an axis). */
  payload: Record<string, unknown>;
  /** With several --payload files: each file's payload by the name the payload axis gives it. */
  payloads?: Record<string, Record<string, unknown>> | undefined;
  timingPatterns: string[];
  /** Cold starts measured per cell, each on a version of its own (--cold); absent when none were asked for. */
  coldStartsPerCell?: number | undefined;
  /** The pause after each invocation (--sleep-ms); absent when none. */
  sleepMs?: number | undefined;
  /** Error types counted as successes (--allow-error); absent when none. */
  allowedErrors?: string[] | undefined;
  /** Set when the run stopped before measuring every cell. */
  stoppedBy?: 'budget' | 'interrupt' | undefined;
  /** With adaptive sampling (tune's default): how it decided, and what it did; absent for the fixed plan. */
  sampling?: SamplingInfo | undefined;
}

/** Why a cell got no more invocations under adaptive sampling. */
export type StopReason = 'precise' | 'dominated' | 'out-of-running' | 'max' | 'failed';

/** Why a memory search measured a size. */
export type SizeReason = 'probe' | 'model optimum' | 'neighbour' | 'confirmation';

export interface SamplingInfo {
  mode: 'adaptive';
  minInvocations: number;
  /** The median's 95% interval had to be within ± this fraction of it. */
  precision: number;
  /** Why each cell got no more invocations, by cell id; a run stopped early leaves the open ones out. */
  stoppedBecause: Record<string, StopReason>;
  /** What the fixed plan would have invoked: every cell (every size of a range) × (warm-ups + invocations). */
  fixedPlanInvocations: number;
  /** What the run invoked by the same count (cold starts it set apart and replaced are not counted). */
  invocations: number;
  /** --memory as a range, searched: the range, and each size measured in it, with why. */
  memorySearch?: { fromMb: number; toMb: number; stepMb: number; measured: MeasuredSize[] } | undefined;
}

export interface MeasuredSize {
  function: string;
  params: Params;
  memoryMb: number;
  reason: SizeReason;
}

/** What a tune run measures and how hard: shared by the validated flags and the measuring engine. */
export interface RunShape {
  functions: string[];
  memoryMb: number[];
  axes: Axis[];
  payload: Record<string, unknown>;
  payloads?: Record<string, Record<string, unknown>> | undefined;
  invocations: number;
  warmup: number;
  concurrency: number;
  /** Cold starts to measure per cell, each on a version published for it (0 or absent: only those the run meets). */
  coldStarts?: number | undefined;
  /** Pause after each invocation, per worker. */
  sleepMs?: number | undefined;
  /** Error types that count as successes: the function's expected outcome, not a failure. */
  allowedErrors?: string[] | undefined;
}

export interface Plan {
  functions: string[];
  memoryMb: number[];
  /** What each cell varies besides memory; the cells are memory × every combination of these. */
  axes: Axis[];
}

/** 2: parameter axes (`params`, `plan.axes`) took the place of the one chunk size (`chunkMb`, `run.chunkKey`); version 1 results still load. */
export const SCHEMA_VERSION = 2;

export interface TuneResult {
  schemaVersion: typeof SCHEMA_VERSION;
  run: RunInfo;
  plan: Plan;
  functions: FunctionInfo[];
  samples: Sample[];
  analysis: Analysis;
}

/** `hasher/512MB/chunkSizeMb=20`, or `hasher/512MB` when the run varied nothing else. */
export function cellId(key: CellKey): string {
  const params = paramsId(key.params);
  return `${key.function}/${key.memoryMb}MB${params === '' ? '' : `/${params}`}`;
}
