/**
 * Adaptive sampling against the fixed plan.
 *
 * 1. On synthetic workloads whose truth is known (bench/simulator/workloads.ts), over seeded
 *    trials through the real engine (measure and analyze, behind a simulated Lambda), for each
 *    workload, matrix and strategy:
 *    - exploration cost: the GB-seconds adaptive sampling spent measuring over what the fixed plan
 *      (--invocations 10, --warmup 1) spent; target ≤ 1/4 on the README's 16 cells, ≤ 1/8 on the
 *      46 sizes of 128..3008 in 64 MB steps, searched;
 *    - agreement: how often adaptive recommends the fixed plan's cell, or one whose true cost and
 *      duration are both within 2% of it; target ≥ 95%. "fixed/fixed" is the same for two fixed
 *      runs of different seeds (the first 50 trials): how often measuring twice agrees at all;
 *    - regret: how much worse, by the strategy's own measure, the recommended cell truly is than
 *      the best cell, adaptive and fixed.
 * 2. The README job on the local platform, fixed and adaptive: invocations, wall time, and the
 *    wall time against a lower bound of its schedule (see schedule.ts).
 * Run with `npm run bench:adaptive`; TRIALS=n sets the trials (default 200), PART=sim or
 * PART=schedule runs one part.
 */
import { scheduleBench } from './simulator/schedule.js';
import { simulationBench } from './simulator/table.js';

async function main(): Promise<void> {
  const part = process.env['PART'];
  const trials = Number(process.env['TRIALS'] ?? 200);
  let met = true;
  if (part !== 'schedule') met = (await simulationBench(trials)) && met;
  if (part !== 'sim') met = (await scheduleBench()) && met;
  console.log(`\n${met ? 'All targets met.' : 'Some targets missed (✗).'}`);
}

await main();
