/**
 * The records that pass from measuring to analysis and rendering. `TuneResult` is the contract:
 * every renderer and the gate read it, and it carries the raw samples so any later version can
 * re-analyse an old result. Its JSON Schema is schemas/tune-result.schema.json.
 */

export type Architecture = 'x86_64' | 'arm64';
export type SampleStatus = 'success' | 'error' | 'timeout' | 'failure';

/** One invocation, as measured. */
export interface Sample {
  function: string;
  memoryMb: number;
  /** The payload parameter (chunk size in MB); null when the run varied none. */
  chunkMb: number | null;
  durationMs: number;
  billedDurationMs: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start. */
  initDurationMs?: number;
  status: SampleStatus;
  errorType?: string;
  cold: boolean;
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
  chunkMb: number | null;
}

export interface CellSummary extends CellKey {
  id: string;
  architecture: Architecture;
  /** Warm measured invocations, failed ones included. */
  invocations: number;
  errors: number;
  errorTypes: Record<string, number>;
  /** Any failed invocation fails the cell: it is reported, never recommended. (A cell with no warm samples is not failed, just unmeasured.) */
  failed: boolean;
  /** Of successful warm invocations; null when there were none. */
  durationMs: Summary | null;
  billedDurationMs: Summary | null;
  maxMemoryUsedMb: number;
  headroomMb: number;
  costPerInvocationUsd: number | null;
  costPerMillionUsd: number | null;
  cold: { count: number; initDurationMs: Summary | null; durationMs: Summary | null; costPerInvocationUsd: number | null };
  timings: Record<string, Summary>;
  onFrontier: boolean;
}

export type Strategy = 'cost' | 'speed' | 'balanced';

export interface SelectionOptions {
  strategy: Strategy;
  /** Weight of cost against duration for `balanced`, 0..1. */
  weight: number;
  /** With a target: the cheapest cell whose duration at `percentile` meets it. */
  maxDurationMs?: number | undefined;
  percentile: 50 | 90 | 95 | 99;
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
  payload: Record<string, unknown>;
  chunkKey: string;
  timingPatterns: string[];
  /** Set when the run stopped before measuring every cell. */
  stoppedBy?: 'budget' | 'interrupt' | undefined;
}

/** What a tune run measures and how hard: shared by the validated flags and the measuring engine. */
export interface RunShape {
  functions: string[];
  memoryMb: number[];
  chunkMb: (number | null)[];
  payload: Record<string, unknown>;
  chunkKey: string;
  invocations: number;
  warmup: number;
  concurrency: number;
}

export interface Plan {
  functions: string[];
  memoryMb: number[];
  chunkMb: (number | null)[];
}

export const SCHEMA_VERSION = 1;

export interface TuneResult {
  schemaVersion: typeof SCHEMA_VERSION;
  run: RunInfo;
  plan: Plan;
  functions: FunctionInfo[];
  samples: Sample[];
  analysis: Analysis;
}

export function cellId(key: CellKey): string {
  return `${key.function}/${key.memoryMb}MB/${key.chunkMb === null ? '-' : `${key.chunkMb}MB`}`;
}
