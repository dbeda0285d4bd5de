/**
 * The gate under drift, on the local platform: the host is loaded (a CPU hog per core) during part
 * of the measuring, as a busier machine or a slower hour would load it.
 * - tune ab, A/A: one version against an alias of it; the hogs run during one half of each run.
 * - tune compare, A/A: two tune runs of the same code; the hogs run during one run of each pair.
 * - tune ab, detection: a version doing 15% more work against the original, hogs as above.
 * Targets: false alarms ≤ 5% for tune ab, detection ≥ 90%. Run with `npm run bench:drift`;
 * PAIRS=n sets the trials of each kind (default 20).
 */
import { CreateAliasCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { type Bench, cpuHog, publishWork, seeded, sleep, startBench, tune } from './harness.js';

const WORKLOAD = ['--payload', '{"rounds":8000}', '--invocations', '10'];

async function main(): Promise<void> {
  const pairs = Number(process.env['PAIRS'] ?? 20);
  const bench = await startBench(512);
  const random = seeded(7);
  try {
    const same = await publishWork(bench, 1);
    await bench.lambda.send(new CreateAliasCommand({ FunctionName: 'work', Name: 'live', FunctionVersion: same }));
    const slower = await publishWork(bench, 1.15);
    const calibration = await tune(bench, ['ab', '--function', 'work', '--a', same, '--b', 'live', ...WORKLOAD]).done;
    console.log(`Gate under drift: ${pairs} trials each, ${availableParallelism()} CPU hogs during part of each (an A/B run takes ${calibration.ms} ms)\n`);
    const abFalse = await trials(pairs, () => abUnderLoad(bench, same, 'live', calibration.ms, random));
    const compareFalse = await trials(pairs, () => compareUnderLoad(bench, random));
    const detected = await trials(pairs, () => abUnderLoad(bench, same, slower, calibration.ms, random));
    line('tune ab, A/A: false alarms', abFalse, pairs, abFalse / pairs <= 0.05);
    line('tune compare, A/A: false alarms', compareFalse, pairs, undefined);
    line('tune ab, 15% slower: detected', detected, pairs, detected / pairs >= 0.9);
  } finally {
    await bench.stop();
  }
}

/** How many of `count` trials failed the gate (exit 1). */
async function trials(count: number, trial: () => Promise<number | null>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < count; i++) if ((await trial()) === 1) failed++;
  return failed;
}

/** One A/B run with the host loaded during its first or its second half. */
async function abUnderLoad(bench: Bench, a: string, b: string, runMs: number, random: () => number): Promise<number | null> {
  const run = tune(bench, ['ab', '--function', 'work', '--a', a, '--b', b, ...WORKLOAD]);
  const firstHalf = random() < 0.5;
  if (!firstHalf) await sleep(runMs / 2);
  const hogs = loadHost();
  await Promise.race([run.done, sleep(runMs / 2)]);
  hogs.stop();
  const finished = await run.done;
  if (finished.status !== 0 && finished.status !== 1) throw new Error(`tune ab failed: ${finished.stderr}`);
  return finished.status;
}

/** Two tune runs of the same code, the host loaded during one of them, compared. */
async function compareUnderLoad(bench: Bench, random: () => number): Promise<number | null> {
  const loaded = random() < 0.5 ? 0 : 1;
  const outs: string[] = [];
  for (const which of [0, 1]) {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-drift-'));
    const hogs = which === loaded ? loadHost() : undefined;
    const finished = await tune(bench, ['--function', 'work', '--memory', '512', ...WORKLOAD, '--out', out]).done;
    hogs?.stop();
    if (finished.status !== 0) throw new Error(`tune failed: ${finished.stderr}`);
    outs.push(path.join(out, 'result.json'));
  }
  return (await tune(bench, ['compare', ...outs]).done).status;
}

function loadHost(): { stop: () => void } {
  const hogs = Array.from({ length: availableParallelism() }, cpuHog);
  return {
    stop: () => {
      for (const hog of hogs) hog.stop();
    },
  };
}

function line(what: string, count: number, of: number, met: boolean | undefined): void {
  const verdict = met === undefined ? '' : met ? '  target met' : '  TARGET MISSED';
  console.log(`  ${what.padEnd(36)} ${count}/${of} (${((count / of) * 100).toFixed(0)}%)${verdict}`);
  if (met === false) process.exitCode = 1;
}

await main();
