/**
 * The fixed plan's runner: every cell to the plan, through one pool. The adaptive runner
 * (adaptive-runner.ts) shares its invoking: the pool, the budget, cold starts set apart, warm-ups.
 */
import { invocationCostUsd } from '../cost/prices.js';
import type { StopReason } from '../plan/adaptive.js';
import type { CellKey, Prices, Sample } from '../result/types.js';
import { cellPayload, cellProgress } from './cells.js';
import type { TunedFunction } from './describe.js';
import { pause } from './pause.js';
import type { MeasureDeps, MeasureOutcome, MeasureSpec } from './run.js';
import { measureInvocation } from './sample.js';
import { WeightedPool } from './scheduler.js';

export interface Cell extends CellKey {
  id: string;
  version: string;
  snapshot: TunedFunction;
  prices: Prices;
}

/** What a runner hands back: its samples, why it stopped early (if it did), what it spent, and with adaptive sampling why each cell stopped. */
export type RunnerOutcome = Pick<MeasureOutcome, 'samples' | 'stoppedBy'> & { spentUsd: number; stops?: Record<string, StopReason> | undefined };

/** Where a cell's measuring stands while it runs. */
export interface CellState {
  warmupsLeft: number;
  measured: number;
  inFlight: number;
  coldRetries: number;
  failuresInRow: number;
  costs: number[];
}

/** Invokes every cell through one pool; each version's first invocation is its cold start. */
export class CellRunner {
  private readonly pool: WeightedPool;
  protected readonly samples: Sample[] = [];
  protected readonly primed = new Map<string, Promise<void>>();
  protected total: number;
  protected spentUsd: number;
  private reservedUsd = 0;
  protected failure: unknown;
  protected stoppedBy: MeasureOutcome['stoppedBy'];

  constructor(
    protected readonly spec: MeasureSpec,
    protected readonly deps: MeasureDeps,
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
  async run(): Promise<RunnerOutcome> {
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

  protected async invokeOnce(cell: Cell, warmup: boolean, state: CellState): Promise<void> {
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

  protected stopped(): boolean {
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
