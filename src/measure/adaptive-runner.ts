/**
 * Adaptive sampling in the engine. Instead of taking every cell to the plan, each free slot goes
 * to the cell where one more sample could most change the recommendation (src/plan/adaptive.ts),
 * until no cell could; with a memory range, `explore` adds the sizes the search asks for each time
 * every cell has had the least it may get. The invoking itself (pool, budget, cold starts set
 * apart, warm-ups, REPORTs) is the fixed runner's, and as there each version's first invocation
 * runs alone and a version serves its cells one after another in the plan's order, each until it
 * stops: they share its environments, so a cell that kills them (out of memory) never spoils
 * another's warm samples, and a cell never inherits a later one's memory (Max Memory Used).
 */
import { invocationCostUsd } from '../cost/prices.js';
import { type AdaptiveOptions, assess, type StopReason } from '../plan/adaptive.js';
import type { CellSamples } from '../plan/cell-estimate.js';
import { cellSamplesOf } from '../plan/cell-samples.js';
import { type CellKey, cellId, type FunctionInfo, type Sample, type SelectionOptions } from '../result/types.js';
import { type Cell, CellRunner, type CellState, type RunnerOutcome } from './cell-runner.js';
import { cellProgress } from './cells.js';
import { pause } from './pause.js';
import type { MeasureDeps, MeasureSpec } from './run.js';

export interface AdaptiveSampling {
  minInvocations: number;
  /** The median's 95% interval must be within ± this fraction of it: 0.05 for 5%. */
  precision: number;
  selection: SelectionOptions;
  /**
   * Asked each time every cell has had the least it may get (and first of all): the cells to add,
   * a memory search's next sizes; none once it has settled. Without it the plan's cells are all.
   */
  explore?: ((samples: readonly Sample[], functions: readonly FunctionInfo[]) => CellKey[]) | undefined;
}

/** What the runner asks of the run: versions for cells (published when their memory sizes lack one), and the cells to add. */
export interface RunnerHooks {
  makeVersions: (cells: readonly CellKey[]) => Promise<Cell[]>;
  explore?: ((samples: readonly Sample[]) => CellKey[]) | undefined;
}

interface Tracked {
  cell: Cell;
  state: CellState;
  /** What the adaptive rules read of its samples, kept up as they come. */
  read: { id: string; durationsMs: number[]; costsUsd: number[]; failures: number };
}

export class AdaptiveRunner extends CellRunner {
  private readonly tracked = new Map<string, Tracked>();
  /** Per version: its cells in the plan's order, the first of them the one it serves now. */
  private readonly queues = new Map<string, string[]>();
  /** Cells their version has moved past, with why they stopped then. */
  private readonly left = new Map<string, StopReason>();
  /** Per version: invocations in flight. */
  private readonly busy = new Map<string, number>();
  private readonly priming = new Set<string>();
  private inFlight = 0;
  private indexed = 0;
  private exploring: boolean;
  private wake: () => void = () => undefined;

  constructor(
    spec: MeasureSpec,
    deps: MeasureDeps,
    cells: Cell[],
    spentBeforeUsd: number,
    private readonly hooks: RunnerHooks,
  ) {
    super(spec, deps, cells, spentBeforeUsd);
    this.exploring = hooks.explore !== undefined;
    for (const cell of cells) this.track(cell);
  }

  override async run(): Promise<RunnerOutcome> {
    for (;;) {
      if (this.stopped()) break;
      const look = assess(this.cellSamples(), this.options);
      if (this.exploring && this.screened(look.verdicts)) {
        this.exploring = await this.explore();
        continue;
      }
      const launched = this.launch(look);
      if (launched === 0 && this.inFlight === 0) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    // The invocation's own error, whatever it threw, is the run's to report (as the fixed runner does).
    if (this.failure !== undefined) throw this.failure as Error;
    const stops = this.verdicts();
    for (const id of this.tracked.keys()) if (!this.left.has(id)) this.announce(id, stops[id]);
    return { samples: this.samples, stoppedBy: this.stoppedBy, spentUsd: this.spentUsd, stops };
  }

  private get sampling(): AdaptiveSampling {
    const sampling = this.spec.adaptive;
    if (sampling === undefined) throw new Error('The adaptive runner needs the sampling options');
    return sampling;
  }

  private get options(): AdaptiveOptions {
    const { minInvocations, precision, selection } = this.sampling;
    return { minInvocations: Math.min(minInvocations, this.spec.invocations), maxInvocations: this.spec.invocations, precision, selection };
  }

  /** Launches what the adaptive rules rank first into the free slots; returns how many it launched. */
  private launch(look: ReturnType<typeof assess>): number {
    const free = this.spec.concurrency - this.inFlight;
    if (free <= 0) return 0;
    this.advanceQueues(look.verdicts);
    let launched = 0;
    for (const id of look.next(free, (id) => this.mayUse(id))) {
      const tracked = this.tracked.get(id);
      if (tracked === undefined) continue;
      this.start(tracked);
      launched++;
    }
    return launched;
  }

  /** A version moves on from a cell that has stopped once nothing of it is in flight; the cell keeps why it stopped. */
  private advanceQueues(verdicts: ReadonlyMap<string, StopReason | undefined>): void {
    for (const [key, queue] of this.queues) {
      for (let head = queue[0]; head !== undefined && (this.busy.get(key) ?? 0) === 0; head = queue[0]) {
        const reason = verdicts.get(head);
        if (reason === undefined) break;
        this.left.set(head, reason);
        queue.shift();
        this.announce(head, reason);
      }
    }
  }

  /** Says a cell is done, and why it stopped. */
  private announce(id: string, reason: StopReason | undefined): void {
    const tracked = this.tracked.get(id);
    if (tracked !== undefined) this.deps.onEvent({ kind: 'cell-done', cellId: id, samples: tracked.state.measured, stoppedBecause: reason });
  }

  /** Whether a cell may be invoked now: it is the one its version serves, and the version's first invocation is not running. */
  private mayUse(id: string): boolean {
    const tracked = this.tracked.get(id);
    if (tracked === undefined) return false;
    const key = versionKey(tracked.cell);
    return !this.priming.has(key) && this.queues.get(key)?.[0] === id;
  }

  private start({ cell, state }: Tracked): void {
    const key = versionKey(cell);
    const first = !this.primed.has(key);
    const warmup = state.warmupsLeft > 0;
    if (warmup) state.warmupsLeft--;
    else state.inFlight++;
    if (first) this.priming.add(key);
    this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
    this.inFlight++;
    const done = this.invokeOnce(cell, warmup, state).then(
      () => this.pauseAfter(state),
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    if (first)
      this.primed.set(
        key,
        done.then(() => {
          this.priming.delete(key);
        }),
      );
    void done.then(() => {
      this.release(key);
    });
  }

  /** --sleep-ms: the slot waits before it is free again, unless the run is stopping. */
  private async pauseAfter(state: CellState): Promise<void> {
    const ms = this.spec.sleepMs ?? 0;
    if (ms > 0 && !this.stopped() && state.failuresInRow === 0) await pause(ms, this.deps.signal);
  }

  private release(key: string): void {
    this.busy.set(key, (this.busy.get(key) ?? 1) - 1);
    this.inFlight--;
    this.wake();
  }

  /** Every cell has had the least it may get, or stopped: time for a memory search's next step. */
  private screened(verdicts: ReadonlyMap<string, StopReason | undefined>): boolean {
    return [...this.tracked.values()].every(
      ({ cell, state }) => state.measured >= this.options.minInvocations || verdicts.get(cell.id) !== undefined || this.left.has(cell.id),
    );
  }

  /** Asks for more cells; gives them versions and starts tracking them. False once there are none to add. */
  private async explore(): Promise<boolean> {
    const explore = this.hooks.explore;
    if (explore === undefined) return false;
    const wanted = explore([...(this.spec.prior ?? []), ...this.samples]).filter((key) => !this.tracked.has(cellId(key)));
    if (wanted.length === 0) return false;
    for (const cell of await this.hooks.makeVersions(wanted)) this.track(cell);
    this.total += wanted.length * (this.spec.warmup + this.spec.invocations);
    return true;
  }

  private track(cell: Cell): void {
    // A resumed cell goes on from where the interrupted run left it; its new version is warmed up again.
    const prior = (this.spec.prior ?? []).filter((s) => cellId(s) === cell.id);
    const { measured, coldRetries, failuresInRow } = cellProgress(cell, prior, this.spec);
    const state: CellState = { warmupsLeft: this.spec.warmup, measured, inFlight: 0, coldRetries, failuresInRow, costs: [] };
    const read = cellSamplesOf(cell.id, prior, (s) => invocationCostUsd(s.billedDurationMs, s.memoryMb, cell.prices));
    this.tracked.set(cell.id, { cell, state, read: { ...read, durationsMs: [...read.durationsMs], costsUsd: [...read.costsUsd] } });
    const key = versionKey(cell);
    this.queues.set(key, [...(this.queues.get(key) ?? []), cell.id]);
  }

  /** What the adaptive rules read of every cell, with the samples taken since last asked. */
  private cellSamples(): CellSamples[] {
    for (; this.indexed < this.samples.length; this.indexed++) {
      const sample = this.samples[this.indexed];
      const tracked = sample === undefined ? undefined : this.tracked.get(cellId(sample));
      if (sample !== undefined && tracked !== undefined) this.note(tracked, sample);
    }
    return [...this.tracked.values()].map(({ state, read }) => ({
      ...read,
      failures: read.failures + this.missingReports(state, read),
      inFlight: state.inFlight,
    }));
  }

  /**
   * Measurements whose REPORT never came: counted as measured, and as failures (the fixed runner's
   * rule), without a sample. Cold starts beyond the plan's count as measured too.
   */
  private missingReports(state: CellState, read: Tracked['read']): number {
    const coldCounted = Math.max(0, state.coldRetries - this.spec.invocations);
    return Math.max(0, state.measured - read.durationsMs.length - read.failures - coldCounted);
  }

  /** A sample as the analysis counts it (cell-samples.ts): warm-ups and cold starts apart. */
  private note({ cell, read }: Tracked, sample: Sample): void {
    if (sample.warmup || sample.coldProbe === true) return;
    if (sample.status !== 'success') read.failures++;
    else if (!sample.cold) {
      read.durationsMs.push(sample.durationMs);
      read.costsUsd.push(invocationCostUsd(sample.billedDurationMs, sample.memoryMb, cell.prices));
    }
  }

  /** Why each cell got no more invocations; a run stopped early (budget, interrupt) leaves the open ones without. */
  private verdicts(): Record<string, StopReason> {
    const stops: Record<string, StopReason> = {};
    for (const [id, reason] of assess(this.cellSamples(), this.options).verdicts) {
      const final = this.left.get(id) ?? reason;
      if (final !== undefined) stops[id] = final;
    }
    return stops;
  }
}

function versionKey(cell: Cell): string {
  return `${cell.function}:${cell.version}`;
}
