import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../analyze/analyze.js';
import type { TuneConfig } from '../config/tune-config.js';
import { pricesFor } from '../cost/prices.js';
import type { Gateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { type AdaptiveSampling, type CpuBudget, measure, type MeasureOutcome, type ProgressEvent } from '../measure/run.js';
import { packageVersion } from '../package-root.js';
import { JOURNAL_FILE, samplesWriter } from '../result/files.js';
import { combinations } from '../plan/axes.js';
import { type FunctionInfo, type Plan, type RunInfo, type SamplingInfo, SCHEMA_VERSION, type Sample, type TuneResult } from '../result/types.js';
import { MemoryExplorer } from './memory-search.js';
import { writeRunRecord } from './run-record.js';

/** Where the run happens, as far as the result records it. */
export interface TuneTarget {
  kind: 'aws' | 'local';
  region: string;
  profile: string | undefined;
  cpuBudget?: CpuBudget | undefined;
}

export interface TuneDeps {
  gateway: Gateway;
  target: TuneTarget;
  /** The run's folder: the journal and samples.jsonl are written there as the run goes. */
  out: string;
  onEvent: (event: ProgressEvent) => void;
  /** Calls back once when the user asks the run to stop; returns a function that stops listening. */
  onInterrupt: (callback: () => void) => () => void;
  now?: () => Date;
}

/** An interrupted run to finish: what it measured and when it began. */
export interface Resumed {
  prior: readonly Sample[];
  startedAt: Date;
}

/**
 * The engine: write down what the run sets out to do, measure every cell (restoring the functions
 * whatever happens), then analyse what was measured into a result. A resumed run keeps what the
 * interrupted one measured and measures only what is missing.
 */
export async function runTune(config: TuneConfig, deps: TuneDeps, resumed?: Resumed): Promise<TuneResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = resumed?.startedAt ?? now();
  mkdirSync(deps.out, { recursive: true });
  if (resumed === undefined) writeRunRecord(deps.out, config, deps.target, startedAt);
  const runId = randomBytes(4).toString('hex');
  const journal = Journal.create(path.join(deps.out, JOURNAL_FILE), {
    runId,
    target: deps.target.kind,
    region: deps.target.region,
    profile: deps.target.profile,
    startedAt: startedAt.toISOString(),
  });
  const explorer = explorerOf(config);
  const outcome = await measureUntilStopped(config, deps, journal, runId, resumed?.prior, explorer);
  if (outcome.stoppedBy !== undefined) deps.onEvent({ kind: 'stopped', reason: outcome.stoppedBy, budgetUsd: config.budgetUsd });
  const met = deps.gateway.encounters();
  if (met.retried + met.throttled + met.logLookups > 0) deps.onEvent({ kind: 'met', ...met });
  return assemble(config, deps.target, outcome, { startedAt, finishedAt: now() }, explorer);
}

/** With adaptive sampling and --memory as a range, the search that picks the sizes to measure. */
function explorerOf(config: TuneConfig): MemoryExplorer | undefined {
  if (config.sampling !== 'adaptive' || config.memoryRange === undefined) return undefined;
  return new MemoryExplorer(config.memoryRange, config.memoryMb, config.axes, config.selection);
}

/** What adaptive sampling needs of the config; undefined for the fixed plan. */
function adaptiveOf(config: TuneConfig, explorer: MemoryExplorer | undefined): AdaptiveSampling | undefined {
  if (config.sampling !== 'adaptive') return undefined;
  return {
    minInvocations: config.minInvocations ?? 3,
    precision: config.precision ?? 0.05,
    selection: config.selection,
    explore: explorer === undefined ? undefined : (samples, functions) => explorer.explore(samples, functions),
  };
}

/** Measures; the first interrupt lets invocations in flight finish and the functions be restored. */
async function measureUntilStopped(
  config: TuneConfig,
  deps: TuneDeps,
  journal: Journal,
  runId: string,
  prior: readonly Sample[] | undefined,
  explorer: MemoryExplorer | undefined,
): Promise<MeasureOutcome> {
  const abort = new AbortController();
  const stopListening = deps.onInterrupt(() => {
    deps.onEvent({ kind: 'stopping', journalFile: journal.file });
    abort.abort();
  });
  try {
    return await measure(
      {
        ...config,
        maxConsecutiveFailures: 3,
        cpuBudget: deps.target.cpuBudget,
        pricesOf: (snapshot) => pricesFor(deps.target.region, snapshot.architecture, config.prices),
        runId,
        prior,
        adaptive: adaptiveOf(config, explorer),
      },
      { gateway: deps.gateway, journal, onSample: samplesWriter(deps.out, prior !== undefined), onEvent: deps.onEvent, signal: abort.signal },
    );
  } finally {
    stopListening();
  }
}

/** The result record: how the run was made, the raw samples, and their analysis. */
function assemble(
  config: TuneConfig,
  target: TuneTarget,
  outcome: MeasureOutcome,
  times: { startedAt: Date; finishedAt: Date },
  explorer: MemoryExplorer | undefined,
): TuneResult {
  const functions: FunctionInfo[] = outcome.snapshots.map((s) => ({
    name: s.name,
    architecture: s.architecture,
    originalMemoryMb: s.memoryMb,
    prices: pricesFor(target.region, s.architecture, config.prices),
    ...(s.codeSha256 === undefined ? {} : { codeSha256: s.codeSha256 }),
    ...(s.runtime === undefined ? {} : { runtime: s.runtime }),
    ...(s.qualifier === undefined ? {} : { qualifier: s.qualifier }),
  }));
  // A searched range is reported by the sizes it measured, not every size it could have.
  const memoryMb = explorer === undefined ? config.memoryMb : measuredSizes(outcome.samples, config.memoryMb);
  const plan: Plan = { functions: outcome.snapshots.map((s) => s.name), memoryMb, axes: config.axes };
  const sampling = samplingInfo(config, outcome, explorer);
  return {
    schemaVersion: SCHEMA_VERSION,
    run: { ...runInfo(config, target, outcome, times), ...(sampling === undefined ? {} : { sampling }) },
    plan,
    functions,
    samples: outcome.samples,
    analysis: analyze(outcome.samples, plan, functions, config.selection),
  };
}

/** The sizes of a range that were measured, ascending; the smallest of the range when none was (so the plan is never empty). */
function measuredSizes(samples: readonly Sample[], sizes: readonly number[]): number[] {
  const measured = [...new Set(samples.map((s) => s.memoryMb))].sort((a, b) => a - b);
  return measured.length > 0 ? measured : sizes.slice(0, 1);
}

/** What adaptive sampling did: why each cell stopped, the invocations against the fixed plan's, and a search's sizes. */
function samplingInfo(config: TuneConfig, outcome: MeasureOutcome, explorer: MemoryExplorer | undefined): SamplingInfo | undefined {
  if (config.sampling !== 'adaptive') return undefined;
  const cells = outcome.snapshots.length * config.memoryMb.length * combinations(config.axes).length;
  // Counted as the plan counts: a cold measurement set apart and replaced is not one of them.
  const invocations = outcome.samples.filter((s) => s.coldProbe !== true && (s.warmup || !s.cold || s.status !== 'success')).length;
  return {
    mode: 'adaptive',
    minInvocations: Math.min(config.minInvocations ?? 3, config.invocations),
    precision: config.precision ?? 0.05,
    stoppedBecause: outcome.stops ?? {},
    fixedPlanInvocations: cells * (config.warmup + config.invocations),
    invocations,
    ...(explorer === undefined ? {} : { memorySearch: explorer.record() }),
  };
}

/** How a run was made, as its result records it: shared by tune and tune ab. */
export function runInfo(
  config: Pick<TuneConfig, 'invocations' | 'warmup' | 'concurrency' | 'payload' | 'payloads' | 'timingSpecs' | 'coldStarts' | 'sleepMs' | 'allowedErrors'>,
  target: TuneTarget,
  outcome: Pick<MeasureOutcome, 'stoppedBy'>,
  times: { startedAt: Date; finishedAt: Date },
): RunInfo {
  return {
    tool: 'lambda-tune',
    toolVersion: packageVersion(),
    target: target.kind,
    region: target.region,
    profile: target.profile,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    invocationsPerCell: config.invocations,
    warmupPerCell: config.warmup,
    concurrency: config.concurrency,
    payload: config.payload,
    ...(config.payloads === undefined ? {} : { payloads: config.payloads }),
    timingPatterns: config.timingSpecs,
    ...measuringOptions(config),
    ...(outcome.stoppedBy === undefined ? {} : { stoppedBy: outcome.stoppedBy }),
  };
}

/** The measuring flags a result records only when given: re-analysis and resume then see what the run did. */
function measuringOptions(
  config: Pick<TuneConfig, 'coldStarts' | 'sleepMs' | 'allowedErrors'>,
): Pick<RunInfo, 'coldStartsPerCell' | 'sleepMs' | 'allowedErrors'> {
  return {
    ...((config.coldStarts ?? 0) > 0 ? { coldStartsPerCell: config.coldStarts } : {}),
    ...((config.sleepMs ?? 0) > 0 ? { sleepMs: config.sleepMs } : {}),
    ...((config.allowedErrors ?? []).length > 0 ? { allowedErrors: config.allowedErrors } : {}),
  };
}
