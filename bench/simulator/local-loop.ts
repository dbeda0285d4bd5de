/**
 * Phase-1 stand-in for the engine: draws a workload's samples straight from its streams (as the
 * simulated gateway would answer) and samples fixed or adaptively through src/plan/adaptive.ts, to
 * tune the algorithm fast. The bench's figures come from the real engine (engine-trial.ts).
 */
import { invocationCostUsd } from '../../src/cost/prices.js';
import { type AdaptiveOptions, type CellSamples, nextCells } from '../../src/plan/adaptive.js';
import { cellSamplesOf } from '../../src/plan/cell-samples.js';
import { cellId, type Prices, type Sample } from '../../src/result/types.js';
import { stream } from './random.js';
import type { Workload } from './workloads.js';

const INIT_MS = 180;

export interface LoopSpec {
  workload: Workload;
  trial: string;
  memoryMb: readonly number[];
  chunksMb: readonly number[];
  invocations: number;
  warmup: number;
  concurrency: number;
  prices: Prices;
}

/** Draws one cell's invocations from the same streams the simulated gateway uses. */
class CellDraws {
  private count = 0;
  readonly samples: Sample[] = [];
  failuresInRow = 0;

  constructor(
    private readonly spec: LoopSpec,
    readonly memoryMb: number,
    readonly chunkMb: number,
  ) {}

  get id(): string {
    return cellId({ function: 'sim', memoryMb: this.memoryMb, params: { chunkSizeMb: this.chunkMb } });
  }

  /** One invocation; returns its GB-seconds. */
  invoke(): number {
    const { workload, trial, warmup } = this.spec;
    const warm = this.count < warmup;
    const kind = warm ? `warmup/${this.count}` : `measured/${this.count - warmup}`;
    this.count++;
    const median = workload.medianMs(this.memoryMb, this.chunkMb);
    const durationMs = median === 'out-of-memory' ? 40 : median * workload.noise(stream(`${trial}/${this.memoryMb}/${this.chunkMb}/${kind}`));
    const failed = median === 'out-of-memory';
    this.failuresInRow = failed ? this.failuresInRow + 1 : 0;
    const billedDurationMs = Math.ceil(durationMs);
    this.samples.push({
      function: 'sim',
      memoryMb: this.memoryMb,
      params: { chunkSizeMb: this.chunkMb },
      durationMs,
      billedDurationMs,
      maxMemoryUsedMb: this.memoryMb,
      status: failed ? 'error' : 'success',
      ...(failed ? { errorType: 'Runtime.OutOfMemory' } : {}),
      cold: false,
      warmup: warm,
      timings: {},
    });
    return (billedDurationMs / 1000) * (this.memoryMb / 1024);
  }

  state(prices: Prices): CellSamples {
    return cellSamplesOf(this.id, this.samples, (s) => invocationCostUsd(s.billedDurationMs, s.memoryMb, prices));
  }

  get warmedUp(): boolean {
    return this.count >= this.spec.warmup;
  }
}

export interface LoopOutcome {
  samples: Sample[];
  gbSeconds: number;
  invocations: number;
}

/** Every cell to the plan: warm-ups, then `invocations` measurements, stopping after 3 failures in a row. */
export function fixedLoop(spec: LoopSpec): LoopOutcome {
  const cells = spec.memoryMb.flatMap((m) => spec.chunksMb.map((c) => new CellDraws(spec, m, c)));
  let gbSeconds = coldStarts(spec.memoryMb);
  let invocations = spec.memoryMb.length;
  for (const cell of cells) {
    for (let i = 0; i < spec.warmup + spec.invocations && cell.failuresInRow < 3; i++) {
      gbSeconds += cell.invoke();
      invocations++;
    }
  }
  return { samples: cells.flatMap((c) => c.samples), gbSeconds, invocations };
}

/** Cells measured adaptively, `concurrency` invocations a batch; more cells may join between rounds (a memory search). */
export class AdaptiveLoop {
  readonly cells: CellDraws[] = [];
  gbSeconds = 0;
  invocations = 0;

  constructor(
    private readonly spec: LoopSpec,
    private readonly options: AdaptiveOptions,
  ) {}

  add(cells: readonly CellDraws[]): void {
    const known = new Set(this.cells.map((c) => c.memoryMb));
    for (const m of new Set(cells.map((c) => c.memoryMb))) {
      if (known.has(m)) continue;
      this.gbSeconds += coldStarts([m]);
      this.invocations++;
    }
    this.cells.push(...cells);
  }

  /** Invokes until no cell could change the answer; with `screenOnly`, until every cell had the least it may get. */
  settle(screenOnly = false): void {
    for (;;) {
      const states = this.cells.map((c) => c.state(this.spec.prices));
      const short = new Set(states.filter((s) => s.durationsMs.length + s.failures < this.options.minInvocations && s.failures === 0).map((s) => s.id));
      const picks = nextCells(states, this.spec.concurrency, this.options).filter((id) => !screenOnly || short.has(id));
      if (picks.length === 0) return;
      for (const id of picks) this.invoke(this.cells.find((c) => c.id === id)!);
    }
  }

  private invoke(cell: CellDraws): void {
    while (!cell.warmedUp) this.once(cell);
    this.once(cell);
  }

  private once(cell: CellDraws): void {
    this.gbSeconds += cell.invoke();
    this.invocations++;
  }

  outcome(): LoopOutcome {
    return { samples: this.cells.flatMap((c) => c.samples), gbSeconds: this.gbSeconds, invocations: this.invocations };
  }
}

export function grid(spec: LoopSpec): CellDraws[] {
  return spec.memoryMb.flatMap((m) => spec.chunksMb.map((c) => new CellDraws(spec, m, c)));
}

export function cellDraws(spec: LoopSpec, memoryMb: number, chunkMb: number): CellDraws {
  return new CellDraws(spec, memoryMb, chunkMb);
}

export type { CellDraws };

/** Each version's first invocation starts an environment: INIT billed on top of a warm-up. */
function coldStarts(memoryMb: readonly number[]): number {
  return memoryMb.reduce((total, m) => total + (INIT_MS / 1000) * (m / 1024), 0);
}
