/**
 * The simulation part of bench/adaptive.ts: every workload × matrix × strategy over seeded trials
 * through the real engine, and the table of exploration cost, agreement and regret.
 */
import { pricesFor } from '../../src/cost/prices.js';
import { MemoryExplorer } from '../../src/engine/memory-search.js';
import type { AdaptiveSampling } from '../../src/measure/run.js';
import { rangeSizes } from '../../src/plan/memory-range.js';
import type { Analysis, SelectionOptions } from '../../src/result/types.js';
import { chooseSweetSpot } from '../../src/analyze/sweet-spot.js';
import { engineTrial } from './engine-trial.js';
import { agrees, regret, targetFor, type TrueCell, trueCell } from './truth.js';
import { type Workload, WORKLOADS } from './workloads.js';

const prices = pricesFor('us-east-1', 'x86_64');
const INVOCATIONS = 10;
/** Trials that also run the fixed plan a second time, for the fixed/fixed column. */
const FIXED_TWICE = 50;

interface Matrix {
  name: string;
  memoryMb: number[];
  chunksMb: number[];
  search: boolean;
  /** The most adaptive sampling may spend against the fixed plan. */
  costTarget: number;
}

const RANGE = { fromMb: 128, toMb: 3008, stepMb: 64 };
const MATRICES: Matrix[] = [
  { name: 'README 4×4', memoryMb: [128, 256, 512, 1024], chunksMb: [1, 10, 20, 50], search: false, costTarget: 1 / 4 },
  { name: '128..3008:64', memoryMb: rangeSizes(RANGE), chunksMb: [20], search: true, costTarget: 1 / 8 },
];

interface Tally {
  trials: number;
  agreed: number;
  fixedTwice: number;
  fixedAgreed: number;
  adaptiveGbs: number;
  fixedGbs: number;
  adaptiveInvocations: number;
  fixedInvocations: number;
  adaptiveRegret: number;
  fixedRegret: number;
}

function strategies(target: number): [string, SelectionOptions][] {
  const base = { weight: 0.5, percentile: 95 } as const;
  return [
    ['cost', { ...base, strategy: 'cost' }],
    ['speed', { ...base, strategy: 'speed' }],
    ['balanced', { ...base, strategy: 'balanced' }],
    [`p95 ≤ ${target} ms`, { ...base, strategy: 'balanced', maxDurationMs: target }],
  ];
}

/** The cell a run recommends under a strategy, as the truth knows it. */
function pickOf(analysis: Analysis, selection: SelectionOptions, truth: readonly TrueCell[]): TrueCell | undefined {
  const id = chooseSweetSpot(analysis.cells, selection).sweetSpot?.cellId;
  const pick = analysis.cells.find((c) => c.id === id);
  return pick === undefined ? undefined : truth.find((t) => t.memoryMb === pick.memoryMb && t.chunkMb === pick.params['chunkSizeMb']);
}

async function run(workload: Workload, matrix: Matrix, trial: string, adaptive?: AdaptiveSampling) {
  const axes = [{ name: 'chunkSizeMb', values: matrix.chunksMb }];
  return engineTrial({ workload, trial, prices, spec: { memoryMb: matrix.memoryMb, axes, invocations: INVOCATIONS, warmup: 1, concurrency: 4, adaptive } });
}

function adaptiveOf(matrix: Matrix, selection: SelectionOptions): AdaptiveSampling {
  const sampling: AdaptiveSampling = { minInvocations: 3, precision: 0.05, selection };
  if (!matrix.search) return sampling;
  const explorer = new MemoryExplorer(RANGE, matrix.memoryMb, [{ name: 'chunkSizeMb', values: matrix.chunksMb }], selection);
  return { ...sampling, explore: (samples, functions) => explorer.explore(samples, functions) };
}

async function runMatrix(workload: Workload, matrix: Matrix, trials: number): Promise<Map<string, Tally>> {
  const truth = matrix.memoryMb.flatMap((m) => matrix.chunksMb.map((c) => trueCell(workload, m, c, prices)));
  const tallies = new Map<string, Tally>();
  for (let t = 0; t < trials; t++) {
    const trial = `${workload.name}/${matrix.name}/${t}`;
    const fixed = await run(workload, matrix, trial);
    const again = t < FIXED_TWICE ? await run(workload, matrix, `${trial}/again`) : undefined;
    for (const [name, selection] of strategies(targetFor(truth))) {
      const adaptive = await run(workload, matrix, trial, adaptiveOf(matrix, selection));
      const fixedPick = pickOf(fixed.analysis, selection, truth);
      const adaptivePick = pickOf(adaptive.analysis, selection, truth);
      const tally = tallies.get(name) ?? emptyTally();
      tally.trials++;
      if (agrees(adaptivePick, fixedPick)) tally.agreed++;
      if (again !== undefined) {
        tally.fixedTwice++;
        if (agrees(pickOf(again.analysis, selection, truth), fixedPick)) tally.fixedAgreed++;
      }
      tally.adaptiveRegret += regret(adaptivePick, truth, selection);
      tally.fixedRegret += regret(fixedPick, truth, selection);
      tally.adaptiveGbs += adaptive.gbSeconds;
      tally.fixedGbs += fixed.gbSeconds;
      tally.adaptiveInvocations += adaptive.invocations;
      tally.fixedInvocations += fixed.invocations;
      tallies.set(name, tally);
    }
  }
  return tallies;
}

function emptyTally(): Tally {
  return {
    trials: 0,
    agreed: 0,
    fixedTwice: 0,
    fixedAgreed: 0,
    adaptiveGbs: 0,
    fixedGbs: 0,
    adaptiveInvocations: 0,
    fixedInvocations: 0,
    adaptiveRegret: 0,
    fixedRegret: 0,
  };
}

const WIDTHS = [14, 13, 16, 11, 10, 12, 15, 10];
const row = (cells: string[]) => cells.map((c, i) => c.padEnd(WIDTHS[i] ?? 10)).join(' ');
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One line of the table; returns whether both targets were met. */
function report(workload: Workload, matrix: Matrix, name: string, tally: Tally): boolean {
  const ratio = tally.adaptiveGbs / tally.fixedGbs;
  const agreement = tally.agreed / tally.trials;
  console.log(
    row([
      workload.name,
      matrix.name,
      name,
      `${ratio.toFixed(3)} ${ratio <= matrix.costTarget ? '✓' : '✗'}`,
      `${percent(agreement)} ${agreement >= 0.95 ? '✓' : '✗'}`,
      percent(tally.fixedAgreed / Math.max(1, tally.fixedTwice)),
      `${percent(tally.adaptiveRegret / tally.trials)} / ${percent(tally.fixedRegret / tally.trials)}`,
      `${(tally.adaptiveInvocations / tally.trials).toFixed(0)} / ${(tally.fixedInvocations / tally.trials).toFixed(0)}`,
    ]),
  );
  return ratio <= matrix.costTarget && agreement >= 0.95;
}

export async function simulationBench(trials: number): Promise<boolean> {
  const started = Date.now();
  console.log(
    `Adaptive vs fixed sampling through the engine (--invocations ${INVOCATIONS}, --warmup 1, --min-invocations 3, --precision 5%, concurrency 4), ${trials} seeded trials each`,
  );
  console.log('Truth: ' + WORKLOADS.map((w) => `${w.name}: ${w.truth}`).join('\n       ') + '\n');
  console.log(row(['workload', 'matrix', 'strategy', 'GB-s a/f', 'agreement', 'fixed/fixed', 'regret a / f', 'invocations a / f']));
  let met = true;
  for (const workload of WORKLOADS.filter((w) => process.env['WORKLOAD'] === undefined || w.name === process.env['WORKLOAD'])) {
    for (const matrix of MATRICES) {
      for (const [name, tally] of await runMatrix(workload, matrix, trials)) met = report(workload, matrix, name, tally) && met;
    }
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return met;
}
