/**
 * Adaptive sampling against the fixed plan, on synthetic workloads whose truth is known
 * (bench/simulator/workloads.ts), over seeded trials: for each workload, matrix and strategy,
 * - exploration cost: the GB-seconds adaptive sampling spent measuring over what the fixed plan
 *   (--invocations 10, --warmup 1) spent; target ≤ 1/4 on the README's 16 cells, ≤ 1/8 on the
 *   46 sizes of 128..3008 in 64 MB steps, searched;
 * - agreement: how often adaptive recommends the fixed plan's cell, or one whose true cost and
 *   duration are within 2% of it; target ≥ 95%. "fixed/fixed" is the same for two fixed runs of
 *   different seeds: how often measuring twice agrees at all.
 * Run with `npm run bench:adaptive`; TRIALS=n sets the trials (default 200).
 */
import { analyze } from '../src/analyze/analyze.js';
import { pricesFor } from '../src/cost/prices.js';
import type { AdaptiveOptions } from '../src/plan/adaptive.js';
import { rangeSizes } from '../src/plan/memory-search.js';
import type { FunctionInfo, Sample, SelectionOptions } from '../src/result/types.js';
import { AdaptiveLoop, fixedLoop, grid, type LoopOutcome, type LoopSpec } from './simulator/local-loop.js';
import { searchLoop } from './simulator/search-loop.js';
import { agrees, regret, targetFor, type TrueCell, trueCell } from './simulator/truth.js';
import { type Workload, WORKLOADS } from './simulator/workloads.js';

const prices = pricesFor('us-east-1', 'x86_64');
const INVOCATIONS = 10;

interface Matrix {
  name: string;
  memoryMb: number[];
  chunksMb: number[];
  search: boolean;
  /** The most adaptive sampling may spend against the fixed plan. */
  costTarget: number;
}

const MATRICES: Matrix[] = [
  { name: 'README 4×4', memoryMb: [128, 256, 512, 1024], chunksMb: [1, 10, 20, 50], search: false, costTarget: 1 / 4 },
  { name: '128..3008:64', memoryMb: rangeSizes({ fromMb: 128, toMb: 3008, stepMb: 64 }), chunksMb: [20], search: true, costTarget: 1 / 8 },
];

interface Tally {
  trials: number;
  agreed: number;
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

function pickOf(samples: readonly Sample[], spec: LoopSpec, memoryMb: readonly number[], selection: SelectionOptions, truth: TrueCell[]): TrueCell | undefined {
  const functions: FunctionInfo[] = [{ name: 'sim', architecture: 'x86_64', prices }];
  const plan = { functions: ['sim'], memoryMb: [...memoryMb], axes: [{ name: 'chunkSizeMb', values: [...spec.chunksMb] }] };
  const analysis = analyze(samples, plan, functions, selection);
  const pick = analysis.cells.find((c) => c.id === analysis.sweetSpot?.cellId);
  return pick === undefined ? undefined : truth.find((t) => t.memoryMb === pick.memoryMb && t.chunkMb === pick.params['chunkSizeMb']);
}

function adaptiveRun(spec: LoopSpec, matrix: Matrix, options: AdaptiveOptions): LoopOutcome {
  if (matrix.search) return searchLoop(spec, matrix.memoryMb, options);
  const loop = new AdaptiveLoop(spec, options);
  loop.add(grid(spec));
  loop.settle();
  return loop.outcome();
}

function runMatrix(workload: Workload, matrix: Matrix, trials: number): Map<string, Tally> {
  const truth = matrix.memoryMb.flatMap((m) => matrix.chunksMb.map((c) => trueCell(workload, m, c, prices)));
  const tallies = new Map<string, Tally>();
  const specOf = (trial: string): LoopSpec => ({
    workload,
    trial,
    memoryMb: matrix.memoryMb,
    chunksMb: matrix.chunksMb,
    invocations: INVOCATIONS,
    warmup: 1,
    concurrency: 4,
    prices,
  });
  for (let t = 0; t < trials; t++) {
    const spec = specOf(`${workload.name}/${matrix.name}/${t}`);
    const fixed = fixedLoop(spec);
    const other = fixedLoop(specOf(`${workload.name}/${matrix.name}/${t}/again`));
    for (const [name, selection] of strategies(targetFor(truth))) {
      const options: AdaptiveOptions = { minInvocations: 3, maxInvocations: INVOCATIONS, precision: 0.05, selection };
      const adaptive = adaptiveRun(spec, matrix, options);
      const fixedPick = pickOf(fixed.samples, spec, matrix.memoryMb, selection, truth);
      const adaptivePick = pickOf(adaptive.samples, spec, matrix.memoryMb, selection, truth);
      const tally = tallies.get(name) ?? {
        trials: 0,
        agreed: 0,
        fixedAgreed: 0,
        adaptiveGbs: 0,
        fixedGbs: 0,
        adaptiveInvocations: 0,
        fixedInvocations: 0,
        adaptiveRegret: 0,
        fixedRegret: 0,
      };
      tally.trials++;
      if (agrees(adaptivePick, fixedPick)) tally.agreed++;
      tally.adaptiveRegret += regret(adaptivePick, truth, selection);
      tally.fixedRegret += regret(fixedPick, truth, selection);
      if (agrees(pickOf(other.samples, spec, matrix.memoryMb, selection, truth), fixedPick)) tally.fixedAgreed++;
      tally.adaptiveGbs += adaptive.gbSeconds;
      tally.fixedGbs += fixed.gbSeconds;
      tally.adaptiveInvocations += adaptive.invocations;
      tally.fixedInvocations += fixed.invocations;
      tallies.set(name, tally);
    }
  }
  return tallies;
}

function row(cells: string[]): string {
  const widths = [14, 13, 16, 12, 11, 12, 16, 10];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' ');
}

function main(): void {
  const trials = Number(process.env['TRIALS'] ?? 200);
  const only = process.env['WORKLOAD'];
  console.log(`Adaptive vs fixed sampling (--invocations ${INVOCATIONS}, --warmup 1, --min-invocations 3, --precision 5%), ${trials} seeded trials each\n`);
  console.log(row(['workload', 'matrix', 'strategy', 'GB-s ratio', 'agreement', 'fixed/fixed', 'regret a / f', 'invocations a / f']));
  let met = true;
  for (const workload of WORKLOADS.filter((w) => only === undefined || w.name === only)) {
    for (const matrix of MATRICES) {
      for (const [name, tally] of runMatrix(workload, matrix, trials)) {
        const ratio = tally.adaptiveGbs / tally.fixedGbs;
        const agreement = tally.agreed / tally.trials;
        const ok = ratio <= matrix.costTarget && agreement >= 0.95;
        met &&= ok;
        console.log(
          row([
            workload.name,
            matrix.name,
            name,
            `${ratio.toFixed(3)} ${ratio <= matrix.costTarget ? '✓' : '✗'}`,
            `${(agreement * 100).toFixed(1)}% ${agreement >= 0.95 ? '✓' : '✗'}`,
            `${((tally.fixedAgreed / tally.trials) * 100).toFixed(1)}%`,
            `${((tally.adaptiveRegret / tally.trials) * 100).toFixed(1)}% / ${((tally.fixedRegret / tally.trials) * 100).toFixed(1)}%`,
            `${(tally.adaptiveInvocations / tally.trials).toFixed(0)} / ${(tally.fixedInvocations / tally.trials).toFixed(0)}`,
          ]),
        );
      }
    }
  }
  console.log(`\n${met ? 'All targets met.' : 'Some targets missed (✗).'}`);
}

main();
