import type { Encounters, FunctionSnapshot, Gateway } from '../lambda/gateway.js';
import type { TimingPattern } from '../parse/timings.js';
import { planCells } from '../plan/plan.js';
import { type CellKey, cellId, type Prices, type RunShape, type Sample } from '../result/types.js';
import { cellProgress, versionDescription } from './cells.js';
import { measureColdStarts } from './cold.js';
import { describeFunctions, type TunedFunction } from './describe.js';
import type { Journal } from './journal.js';
import { restoreFromJournal, restoreMemory } from './restore.js';
import { sampleCostUsd } from './sample.js';
import type { StopReason } from '../plan/adaptive.js';
import { type AdaptiveSampling, AdaptiveRunner } from './adaptive-runner.js';
import { type Cell, CellRunner, type RunnerOutcome } from './cell-runner.js';

export { cellPayload, cellProgress, runOwnerMark, versionDescription } from './cells.js';
export type { AdaptiveSampling } from './adaptive-runner.js';

export interface MeasureSpec extends RunShape {
  timings: TimingPattern[];
  budgetUsd?: number | undefined;
  /** A cell stops after this many failures in a row: it has failed, more invocations would only cost. */
  maxConsecutiveFailures: number;
  /** On the local platform: how much CPU invocations may take at once. */
  cpuBudget?: CpuBudget | undefined;
  pricesOf: (snapshot: FunctionSnapshot) => Prices;
  /** Marks the versions this run publishes, so it never mistakes another run's (or the user's) for its own. */
  runId: string;
  /** Samples an interrupted run already took (tune --resume): complete cells are kept, the rest measured up to the plan. */
  prior?: readonly Sample[] | undefined;
  /** Adaptive sampling: `invocations` is the most a cell gets. Absent: the fixed plan, every cell to `invocations`. */
  adaptive?: AdaptiveSampling | undefined;
}

/** Weight of one invocation at a memory size, and the total weight allowed in flight. */
export interface CpuBudget {
  weightOf: (memoryMb: number) => number;
  capacity: number;
}

export type ProgressEvent =
  | { kind: 'described'; snapshot: TunedFunction }
  | { kind: 'version'; function: string; memoryMb: number; version: string; created: boolean }
  | { kind: 'sample'; cellId: string; sample: Sample; done: number; total: number; spentUsd: number }
  | { kind: 'cold-sample'; cellId: string; sample: Sample; done: number; total: number; spentUsd: number }
  | { kind: 'cell-done'; cellId: string; samples: number; stoppedBecause?: StopReason | undefined }
  | { kind: 'warning'; message: string }
  | { kind: 'cleanup'; restored: string[]; deleted: string[] }
  | { kind: 'stopping'; journalFile: string }
  | { kind: 'stopped'; reason: 'budget' | 'interrupt'; budgetUsd?: number | undefined }
  | ({ kind: 'met' } & Encounters);

export interface MeasureDeps {
  gateway: Gateway;
  journal: Journal;
  onSample: (sample: Sample) => void;
  onEvent: (event: ProgressEvent) => void;
  signal: AbortSignal;
}

export interface MeasureOutcome {
  snapshots: TunedFunction[];
  samples: Sample[];
  stoppedBy?: 'budget' | 'interrupt' | undefined;
  /** With adaptive sampling: why each cell got no more invocations, by cell id. */
  stops?: Record<string, StopReason> | undefined;
}

/**
 * The measuring run: publish a version per memory size and invoke every cell warm; then, with
 * --cold, take each cell's cold samples on versions of their own; and leave every function as it
 * was found.
 */
export async function measure(spec: MeasureSpec, deps: MeasureDeps): Promise<MeasureOutcome> {
  const cold = spec.coldStarts ?? 0;
  // Every function is read (and refused, if it must be) before the first change.
  const snapshots = await describeFunctions(deps.gateway, spec.functions, { coldStarts: cold });
  for (const snapshot of snapshots) {
    deps.journal.addFunction(snapshot.name, snapshot.arn, snapshot.memoryMb, cold > 0 ? (snapshot.environment ?? {}) : undefined);
    deps.onEvent({ kind: 'described', snapshot: withoutVariables(snapshot) });
  }
  let outcome: MeasureOutcome;
  try {
    outcome = await measurePhases(spec, deps, snapshots);
  } catch (error) {
    // The run's own error is the one to report; a clean-up failure on top is left to the journal.
    await cleanUp(deps).catch(() => undefined);
    throw error;
  }
  await cleanUp(deps);
  return outcome;
}

/** A snapshot fit to show: its variables (which may be secrets) are the journal's business only. */
function withoutVariables(snapshot: TunedFunction): TunedFunction {
  const shown = { ...snapshot };
  delete shown.environment;
  return shown;
}

/** The warm phase, then (unless it stopped) the cold one. */
async function measurePhases(spec: MeasureSpec, deps: MeasureDeps, snapshots: TunedFunction[]): Promise<MeasureOutcome> {
  const cells = versionCells(spec, snapshots);
  const warm = await measureWarm(spec, deps, cells, snapshots);
  const stops = warm.stops === undefined ? {} : { stops: warm.stops };
  if (warm.stoppedBy !== undefined || (spec.coldStarts ?? 0) === 0) return { snapshots, samples: warm.samples, stoppedBy: warm.stoppedBy, ...stops };
  const cold = await measureColdStarts(spec, deps, cells, warm.samples, warm.spentUsd);
  return { snapshots, samples: [...warm.samples, ...cold.samples], stoppedBy: cold.stoppedBy, ...stops };
}

/** Every cell the interrupted run (if any) left incomplete, measured warm on a version per memory size. */
async function measureWarm(spec: MeasureSpec, deps: MeasureDeps, cells: Omit<Cell, 'version'>[], snapshots: FunctionSnapshot[]): Promise<RunnerOutcome> {
  const prior = spec.prior ?? [];
  const spentBeforeUsd = priorCostUsd(prior, spec, snapshots);
  if (spec.adaptive !== undefined) return measureAdaptively(spec, deps, cells, snapshots, spentBeforeUsd);
  const open = cells.filter((cell) => !cellProgress(cell, prior, spec).complete);
  const versions = await prepareVersions(spec, deps, snapshots, new Set(open.map((cell) => `${cell.function}/${cell.memoryMb}`)));
  await restoreLatest(deps);
  if (deps.signal.aborted) return { samples: [...prior], stoppedBy: 'interrupt' as const, spentUsd: spentBeforeUsd };
  const measured = await new CellRunner(
    spec,
    deps,
    open.map((cell) => ({ ...cell, version: versionOf(versions, cell) })),
    spentBeforeUsd,
  ).run();
  return { ...measured, samples: [...prior, ...measured.samples] };
}

/**
 * Adaptive sampling: versions for the cells an interrupted run left incomplete are published up
 * front, as for the fixed plan; with a memory search, none: each size's version is published when
 * the search asks for the size.
 */
async function measureAdaptively(
  spec: MeasureSpec,
  deps: MeasureDeps,
  cells: Omit<Cell, 'version'>[],
  snapshots: FunctionSnapshot[],
  spentBeforeUsd: number,
): Promise<RunnerOutcome> {
  const prior = spec.prior ?? [];
  const upFront = spec.adaptive?.explore === undefined ? cells.filter((cell) => !cellProgress(cell, prior, spec).complete) : [];
  const versions = await prepareVersions(spec, deps, snapshots, versionKeys(upFront));
  await restoreLatest(deps);
  if (deps.signal.aborted) return { samples: [...prior], stoppedBy: 'interrupt', spentUsd: spentBeforeUsd };
  const byId = new Map(cells.map((cell) => [cell.id, cell]));
  const makeVersions = async (keys: readonly CellKey[]): Promise<Cell[]> => {
    const wanted = keys.flatMap((key) => byId.get(cellId(key)) ?? []);
    const missing = wanted.filter((cell) => !versions.has(`${cell.function}/${cell.memoryMb}`));
    for (const [key, version] of await prepareVersions(spec, deps, snapshots, versionKeys(missing))) versions.set(key, version);
    await restoreLatest(deps);
    // An interrupt while publishing leaves some without a version: they are not measured.
    return wanted.flatMap((cell) => {
      const version = versions.get(`${cell.function}/${cell.memoryMb}`);
      return version === undefined ? [] : [{ ...cell, version }];
    });
  };
  const explore = spec.adaptive?.explore;
  const functions = snapshots.map((s) => ({ name: s.name, architecture: s.architecture, prices: spec.pricesOf(s) }));
  const runner = new AdaptiveRunner(
    spec,
    deps,
    upFront.map((cell) => ({ ...cell, version: versionOf(versions, cell) })),
    spentBeforeUsd,
    { makeVersions, explore: explore === undefined ? undefined : (samples) => explore(samples, functions) },
  );
  const measured = await runner.run();
  return { ...measured, samples: [...prior, ...measured.samples] };
}

/** The "function/memory" keys of the versions some cells need. */
function versionKeys(cells: readonly CellKey[]): Set<string> {
  return new Set(cells.map((cell) => `${cell.function}/${cell.memoryMb}`));
}

/** What an interrupted run's samples cost: a resumed run's budget counts them as spent. */
function priorCostUsd(prior: readonly Sample[], spec: MeasureSpec, snapshots: readonly FunctionSnapshot[]): number {
  const prices = new Map(snapshots.map((snapshot) => [snapshot.name, spec.pricesOf(snapshot)]));
  let totalUsd = 0;
  for (const s of prior) {
    const own = prices.get(s.function);
    if (own !== undefined) totalUsd += sampleCostUsd(s, own);
  }
  return totalUsd;
}

/** Publishes a version per memory size that has a cell left to measure (`needed` holds "function/memory"). */
async function prepareVersions(spec: MeasureSpec, deps: MeasureDeps, snapshots: FunctionSnapshot[], needed: ReadonlySet<string>): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const snapshot of snapshots) {
    const existing = new Set(snapshot.existingVersions);
    for (const memoryMb of spec.memoryMb) {
      if (!needed.has(`${snapshot.name}/${memoryMb}`)) continue;
      if (deps.signal.aborted) return versions;
      deps.journal.memoryChanged(snapshot.name);
      await deps.gateway.setMemory(snapshot.name, memoryMb);
      deps.journal.publishing(snapshot.name);
      const { version, created } = await deps.gateway.publish(snapshot.name, versionDescription(spec.runId, memoryMb), existing);
      deps.journal.published(snapshot.name, created ? version : undefined);
      if (!created)
        deps.onEvent({
          kind: 'warning',
          message: `${snapshot.name}: version ${version} already had ${memoryMb} MB; it is used but was not made by this run and will be kept.`,
        });
      versions.set(`${snapshot.name}/${memoryMb}`, version);
      deps.onEvent({ kind: 'version', function: snapshot.name, memoryMb, version, created });
    }
  }
  await Promise.all([...versions].map(([key, version]) => deps.gateway.waitActive(key.slice(0, key.indexOf('/')), version)));
  return versions;
}

/** Puts $LATEST back as soon as the versions exist: they are snapshots, so the rest of the run leaves the function alone. */
async function restoreLatest(deps: MeasureDeps): Promise<void> {
  const { failures } = await restoreMemory(deps.journal, deps.gateway);
  if (failures.length > 0) throw failures[0];
}

/** Puts everything back; `tune restore` can finish from the journal when a step fails. */
async function cleanUp(deps: MeasureDeps): Promise<void> {
  const report = await restoreFromJournal(deps.journal, deps.gateway);
  deps.onEvent({ kind: 'cleanup', restored: report.memoryRestored, deleted: report.versionsDeleted });
  if (report.failures.length > 0) throw report.failures[0];
}

/** The plan's cells, each with its function's snapshot and prices. */
function versionCells(spec: MeasureSpec, snapshots: TunedFunction[]): Omit<Cell, 'version'>[] {
  const byName = new Map(snapshots.map((snapshot) => [snapshot.name, { snapshot, prices: spec.pricesOf(snapshot) }]));
  return planCells({ functions: snapshots.map((s) => s.name), memoryMb: spec.memoryMb, axes: spec.axes }).map((key) => {
    const described = byName.get(key.function);
    // It exists: the cells are planned from these snapshots.
    if (described === undefined) throw new Error(`No snapshot of ${key.function}`);
    return { ...key, id: cellId(key), snapshot: described.snapshot, prices: described.prices };
  });
}

/** The version that holds a cell's memory size: prepared for every cell still to measure. */
function versionOf(versions: ReadonlyMap<string, string>, cell: CellKey): string {
  const version = versions.get(`${cell.function}/${cell.memoryMb}`);
  if (version === undefined) throw new Error(`No version of ${cell.function} with ${cell.memoryMb} MB was prepared`);
  return version;
}
