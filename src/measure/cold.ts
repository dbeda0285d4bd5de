import { invocationCostUsd } from '../cost/prices.js';
import { userError } from '../errors.js';
import type { UpdateGuard } from '../lambda/gateway.js';
import { INIT_LIMIT_MS } from '../plan/plan.js';
import { type CellKey, cellId, type Prices, type Sample } from '../result/types.js';
import { coldProgress, runOwnerMark } from './cells.js';
import { COLD_VARIABLE, coldValue, variablesNotLeftByRun } from './cold-variable.js';
import type { TunedFunction } from './describe.js';
import { pause } from './pause.js';
import type { MeasureDeps, MeasureOutcome, MeasureSpec } from './run.js';
import { cellInvocation, measureInvocation, sampleCostUsd } from './sample.js';

export { COLD_VARIABLE } from './cold-variable.js';

export interface ColdCell extends CellKey {
  id: string;
  snapshot: TunedFunction;
  prices: Prices;
}

export interface ColdOutcome extends Pick<MeasureOutcome, 'stoppedBy'> {
  samples: Sample[];
}

/** The description of a version published for one cold sample: the run's mark, so restore finds it if the run dies. */
export function coldVersionDescription(runId: string, memoryMb: number, n: number): string {
  return `${runOwnerMark(runId)} ${memoryMb} MB cold ${n}`;
}

/**
 * The cold-start phase (--cold N): N samples a cell, each the one invocation of a version published
 * for it alone (with the cell's memory and a variable of its own), deleted right after. Cells take
 * turns, a sample each, so an interruption or the budget leaves them evenly measured. `before`
 * holds what was measured so far (an interrupted run's samples, the warm phase's).
 */
export async function measureColdStarts(
  spec: MeasureSpec,
  deps: MeasureDeps,
  cells: readonly ColdCell[],
  before: readonly Sample[],
  spentUsd: number,
): Promise<ColdOutcome> {
  return new ColdRunner(spec, deps, before, spentUsd).run(cells);
}

class ColdRunner {
  private readonly samples: Sample[] = [];
  private readonly left = new Map<string, { wanted: number; failuresInRow: number }>();
  private published = 0;
  private stoppedBy: MeasureOutcome['stoppedBy'];

  constructor(
    private readonly spec: MeasureSpec,
    private readonly deps: MeasureDeps,
    private readonly before: readonly Sample[],
    private spentUsd: number,
  ) {}

  async run(cells: readonly ColdCell[]): Promise<ColdOutcome> {
    for (const cell of cells) this.left.set(cell.id, this.plannedFor(cell));
    const total = [...this.left.values()].reduce((sum, l) => sum + l.wanted, 0);
    let taken = 0;
    while (!this.stopped()) {
      const turn = cells.filter((cell) => this.wanted(cell));
      if (turn.length === 0) break;
      for (const cell of turn) {
        // --sleep-ms spaces the cold samples too: a pause between two, none after the last.
        if (taken++ > 0) await pause(this.spec.sleepMs ?? 0, this.deps.signal);
        if (this.stopped()) break;
        await this.sampleOnce(cell, total);
      }
    }
    return { samples: this.samples, stoppedBy: this.stoppedBy };
  }

  /** What a cell still needs: none when it has all, or when a warm invocation failed (the cell is never recommended). */
  private plannedFor(cell: ColdCell): { wanted: number; failuresInRow: number } {
    const cold = coldProgress(cell, this.before);
    const failedWarm = this.before.some((s) => s.coldProbe !== true && !s.warmup && s.status !== 'success' && cellId(s) === cell.id);
    return { wanted: failedWarm ? 0 : Math.max(0, (this.spec.coldStarts ?? 0) - cold.taken), failuresInRow: cold.failuresInRow };
  }

  private wanted(cell: ColdCell): boolean {
    const left = this.left.get(cell.id);
    return left !== undefined && left.wanted > 0 && left.failuresInRow < this.spec.maxConsecutiveFailures;
  }

  private async sampleOnce(cell: ColdCell, total: number): Promise<void> {
    if (!this.withinBudget(cell)) return;
    const version = await this.publishFresh(cell);
    const fn = cell.snapshot.name;
    await this.deps.gateway.waitActive(fn, version);
    const sample = await this.invoke(cell, version);
    await this.deps.gateway.deleteVersion(fn, version);
    this.deps.journal.versionDeleted(fn, version);
    this.record(cell, sample, total);
  }

  /** Sets $LATEST to the cell's memory and a variable no version has yet, then publishes: a version with no environment yet. */
  private async publishFresh(cell: ColdCell): Promise<string> {
    const { name, environment, existingVersions } = cell.snapshot;
    const n = ++this.published;
    this.deps.journal.environmentChanged(name);
    await this.deps.gateway.setMemory(name, cell.memoryMb, { ...environment, [COLD_VARIABLE]: coldValue(this.spec.runId, n) }, this.asLeft(cell.snapshot));
    this.deps.journal.publishing(name);
    const { version, created } = await this.deps.gateway.publish(name, coldVersionDescription(this.spec.runId, cell.memoryMb, n), new Set(existingVersions));
    this.deps.journal.published(name, created ? version : undefined);
    // A variable of its own makes the version new; one Lambda handed back would not be a fresh environment, nor the run's to delete.
    if (!created) throw new Error(`Lambda handed back version ${version} of ${name} for a cold sample instead of publishing a new one`);
    return version;
  }

  /**
   * Before each cold update: $LATEST's variables must be those the run found, with at most its own
   * cold variable (the gateway checks the memory it last set); anything else is someone's change.
   */
  private asLeft(snapshot: TunedFunction): UpdateGuard {
    return (latest) => {
      const what = variablesNotLeftByRun(snapshot.environment ?? {}, latest.variables, this.spec.runId);
      if (what.length > 0) throw userError('CHANGED_DURING_RUN', { functionName: snapshot.name, what: what.join('; ') });
    };
  }

  private async invoke(cell: ColdCell, version: string): Promise<Sample | undefined> {
    const sample = await measureInvocation(this.deps.gateway, cellInvocation(this.spec, cell, version, false));
    if (sample === undefined) this.deps.onEvent({ kind: 'warning', message: `${cell.id}: no REPORT found for a cold start; it is left out.` });
    return sample === undefined ? undefined : { ...sample, coldProbe: true };
  }

  /** A cold sample without a REPORT still counts as taken, and as a failure, so a cell whose reports never come stops. */
  private record(cell: ColdCell, sample: Sample | undefined, total: number): void {
    const left = this.left.get(cell.id);
    if (left === undefined) return;
    left.wanted--;
    left.failuresInRow = sample?.status === 'success' ? 0 : left.failuresInRow + 1;
    if (sample === undefined) return;
    this.spentUsd += sampleCostUsd(sample, cell.prices);
    this.samples.push(sample);
    this.deps.onSample(sample);
    this.deps.onEvent({ kind: 'cold-sample', cellId: cell.id, sample, done: this.samples.length, total, spentUsd: this.spentUsd });
  }

  /**
   * Whether one more cold sample fits the budget, judged by the dearest cold start so far (the run
   * stops otherwise); before any, by the longest duration and init seen in the run, or the timeout.
   */
  private withinBudget(cell: ColdCell): boolean {
    if (this.spec.budgetUsd === undefined) return true;
    const seen = [...this.before, ...this.samples].filter((s) => s.function === cell.function);
    const cold = seen.filter((s) => s.coldProbe === true);
    const expected =
      cold.length > 0
        ? cold.reduce((dearest, s) => Math.max(dearest, sampleCostUsd(s, cell.prices) * (cell.memoryMb / s.memoryMb)), 0)
        : invocationCostUsd(
            seen.reduce((longest, s) => Math.max(longest, s.billedDurationMs), 0) || cell.snapshot.timeoutS * 1000,
            cell.memoryMb,
            cell.prices,
            seen.reduce((longest, s) => Math.max(longest, s.initDurationMs ?? 0), 0) || INIT_LIMIT_MS,
          );
    if (this.spentUsd + expected <= this.spec.budgetUsd) return true;
    this.stoppedBy = 'budget';
    return false;
  }

  private stopped(): boolean {
    if (this.deps.signal.aborted) this.stoppedBy ??= 'interrupt';
    return this.stoppedBy !== undefined;
  }
}
