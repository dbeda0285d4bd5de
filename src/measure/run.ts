import { invocationCostUsd } from '../cost/prices.js';
import type { Encounters, FunctionSnapshot, Gateway } from '../lambda/gateway.js';
import type { TimingPattern } from '../parse/timings.js';
import { planCells } from '../plan/plan.js';
import { type CellKey, cellId, type Prices, type RunShape, type Sample } from '../result/types.js';
import { cellPayload, cellProgress, versionDescription } from './cells.js';
import { measureColdStarts } from './cold.js';
import { describeFunctions, type TunedFunction } from './describe.js';
import type { Journal } from './journal.js';
import { pause } from './pause.js';
import { restoreFromJournal, restoreMemory } from './restore.js';
import { measureInvocation } from './sample.js';
import { WeightedPool } from './scheduler.js';

export { cellPayload, cellProgress, runOwnerMark, versionDescription } from './cells.js';

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
  | { kind: 'cell-done'; cellId: string; samples: number }
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
}

interface Cell extends CellKey {
  id: string;
  version: string;
  snapshot: TunedFunction;
  prices: Prices;
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
  if (warm.stoppedBy !== undefined || (spec.coldStarts ?? 0) === 0) return { snapshots, samples: warm.samples, stoppedBy: warm.stoppedBy };
  const cold = await measureColdStarts(spec, deps, cells, warm.samples, warm.spentUsd);
  return { snapshots, samples: [...warm.samples, ...cold.samples], stoppedBy: cold.stoppedBy };
}

/** Every cell the interrupted run (if any) left incomplete, measured warm on a version per memory size. */
async function measureWarm(spec: MeasureSpec, deps: MeasureDeps, cells: Omit<Cell, 'version'>[], snapshots: FunctionSnapshot[]) {
  const prior = spec.prior ?? [];
  const spentBeforeUsd = priorCostUsd(prior, spec, snapshots);
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

/** What an interrupted run's samples cost: a resumed run's budget counts them as spent. */
function priorCostUsd(prior: readonly Sample[], spec: MeasureSpec, snapshots: readonly FunctionSnapshot[]): number {
  const prices = new Map(snapshots.map((snapshot) => [snapshot.name, spec.pricesOf(snapshot)]));
  let totalUsd = 0;
  for (const s of prior) {
    const own = prices.get(s.function);
    if (own !== undefined) totalUsd += invocationCostUsd(s.billedDurationMs, s.memoryMb, own, s.initDurationMs, s.durationMs);
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

/** Where a cell's measuring stands while it runs. */
interface CellState {
  warmupsLeft: number;
  measured: number;
  inFlight: number;
  coldRetries: number;
  failuresInRow: number;
  costs: number[];
}

/** Invokes every cell through one pool; each version's first invocation is its cold start. */
class CellRunner {
  private readonly pool: WeightedPool;
  private readonly samples: Sample[] = [];
  private readonly primed = new Map<string, Promise<void>>();
  private readonly total: number;
  private spentUsd: number;
  private reservedUsd = 0;
  private failure: unknown;
  private stoppedBy: MeasureOutcome['stoppedBy'];

  constructor(
    private readonly spec: MeasureSpec,
    private readonly deps: MeasureDeps,
    private readonly cells: Cell[],
    /** What the run had spent before this runner started (a resumed run's earlier samples), counted against the budget. */
    spentBeforeUsd = 0,
  ) {
    this.pool = new WeightedPool(spec.concurrency, spec.cpuBudget?.capacity);
    this.spentUsd = spentBeforeUsd;
    this.total = cells.length * (spec.warmup + spec.invocations);
  }

  /**
   * Versions run side by side; the cells of one version run one after another. They share its
   * environments, so a cell that kills them (out of memory) must not spoil another's warm samples.
   */
  async run(): Promise<Pick<MeasureOutcome, 'samples' | 'stoppedBy'> & { spentUsd: number }> {
    const byVersion = new Map<string, Cell[]>();
    for (const cell of this.cells) {
      const key = `${cell.function}:${cell.version}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), cell]);
    }
    // On the first error everything stops launching, and the clean-up waits for what is in flight.
    const results = await Promise.allSettled(
      [...byVersion.values()].map(async (cells) => {
        for (const cell of cells) await this.runCell(cell);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return { samples: this.samples, stoppedBy: this.stoppedBy, spentUsd: this.spentUsd };
  }

  private async runCell(cell: Cell): Promise<void> {
    // A resumed cell goes on from where the interrupted run left it; its new version is warmed up again.
    const { measured, coldRetries, failuresInRow } = cellProgress(cell, this.spec.prior ?? [], this.spec);
    const state: CellState = { warmupsLeft: this.spec.warmup, measured, inFlight: 0, coldRetries, failuresInRow, costs: [] };
    const needMore = () =>
      !this.stopped() &&
      state.failuresInRow < this.spec.maxConsecutiveFailures &&
      (state.warmupsLeft > 0 || state.measured + state.inFlight < this.spec.invocations);
    await this.primeVersion(cell, state, needMore);
    const worker = async () => {
      while (needMore()) {
        const warmup = state.warmupsLeft > 0;
        if (warmup) state.warmupsLeft--;
        else state.inFlight++;
        try {
          await this.invokeOnce(cell, warmup, state);
        } catch (error) {
          this.failure ??= error;
          throw error;
        }
        await this.pauseIf(needMore);
      }
    };
    await Promise.all(Array.from({ length: this.spec.concurrency }, worker));
    this.deps.onEvent({ kind: 'cell-done', cellId: cell.id, samples: state.measured });
  }

  /** The first cell of a version takes its cold start alone; the cells after it only wait for that to be over. */
  private async primeVersion(cell: Cell, state: CellState, needMore: () => boolean): Promise<void> {
    const versionKey = `${cell.function}:${cell.version}`;
    const prime = this.primed.get(versionKey);
    if (prime !== undefined) return prime;
    const first = this.invokeOnce(cell, state.warmupsLeft > 0, state);
    if (state.warmupsLeft > 0) state.warmupsLeft--;
    else state.inFlight++;
    // Its failure is this cell's to report, not the others'.
    this.primed.set(
      versionKey,
      first.then(
        () => undefined,
        () => undefined,
      ),
    );
    await first;
    await this.pauseIf(needMore);
  }

  /** --sleep-ms: each worker pauses after its invocation (outside the pool, so other cells go on), unless the cell is done. */
  private async pauseIf(needMore: () => boolean): Promise<void> {
    const ms = this.spec.sleepMs ?? 0;
    if (ms > 0 && needMore()) await pause(ms, this.deps.signal);
  }

  private async invokeOnce(cell: Cell, warmup: boolean, state: CellState): Promise<void> {
    const weight = this.spec.cpuBudget?.weightOf(cell.memoryMb) ?? 1;
    let reservedUsd = 0;
    const attempt = await this.pool.run(weight, async () => {
      if (this.stopped()) return 'stopped' as const;
      reservedUsd = this.reserve(cell, state.costs);
      if (Number.isNaN(reservedUsd)) return 'stopped' as const;
      return this.measureOne(cell, warmup);
    });
    this.reservedUsd -= Number.isNaN(reservedUsd) ? 0 : reservedUsd;
    if (!warmup) state.inFlight--;
    if (attempt === 'stopped') return;
    if (attempt === undefined) {
      // No REPORT to be found: the attempt still counts, and as a failure, so a cell whose
      // reports never arrive stops instead of invoking for ever.
      this.spentUsd += reservedUsd;
      state.failuresInRow++;
      if (!warmup) state.measured++;
      return;
    }
    const sample = attempt;
    const cost = invocationCostUsd(sample.billedDurationMs, sample.memoryMb, cell.prices, sample.initDurationMs, sample.durationMs);
    this.spentUsd += cost;
    state.costs.push(cost);
    this.samples.push(sample);
    this.deps.onSample(sample);
    const failed = sample.status !== 'success';
    state.failuresInRow = failed ? state.failuresInRow + 1 : 0;
    // A cold warm-up or a cold measurement is kept apart; a measurement only counts warm, or failed.
    if (!warmup && (failed || !sample.cold)) state.measured++;
    else if (!warmup && state.coldRetries++ >= this.spec.invocations) state.measured++;
    this.deps.onEvent({ kind: 'sample', cellId: cell.id, sample, done: this.samples.length, total: this.total, spentUsd: this.spentUsd });
  }

  private async measureOne(cell: Cell, warmup: boolean): Promise<Sample | undefined> {
    const sample = await measureInvocation(this.deps.gateway, {
      cell,
      functionName: cell.function,
      qualifier: cell.version,
      logGroup: cell.snapshot.logGroup,
      payload: cellPayload(this.spec, cell.params),
      timings: this.spec.timings,
      warmup,
      allowedErrors: this.spec.allowedErrors,
      timeoutS: cell.snapshot.timeoutS,
    });
    if (sample === undefined) this.deps.onEvent({ kind: 'warning', message: `${cell.id}: no REPORT found; the invocation is left out.` });
    return sample;
  }

  private stopped(): boolean {
    if (this.deps.signal.aborted) this.stoppedBy ??= 'interrupt';
    return this.stoppedBy !== undefined || this.failure !== undefined;
  }

  /**
   * Sets aside what one more invocation of this cell may cost, or returns NaN (and stops the run)
   * when that would go over the budget. What invocations in flight set aside counts as spent, so
   * concurrency cannot overrun it. An invocation is judged by the dearest the cell had so far;
   * before its first, by the longest billed duration seen anywhere in the run at this cell's
   * memory; before anything ran, by the function's timeout.
   */
  private reserve(cell: Cell, costs: readonly number[]): number {
    if (this.spec.budgetUsd === undefined) return 0;
    const longestMs = this.samples.reduce((longest, s) => Math.max(longest, s.billedDurationMs), 0);
    const expected =
      costs.length > 0 ? Math.max(...costs) : invocationCostUsd(longestMs > 0 ? longestMs : cell.snapshot.timeoutS * 1000, cell.memoryMb, cell.prices);
    if (this.spentUsd + this.reservedUsd + expected > this.spec.budgetUsd) {
      this.stoppedBy ??= 'budget';
      return Number.NaN;
    }
    this.reservedUsd += expected;
    return expected;
  }
}
