/**
 * Crash safety: tune runs killed with SIGKILL at random points, then put back by `tune restore`
 * (even trials) or finished by `tune --resume` (odd trials). After each, the function must be as
 * it was found (memory, no version left), and a resumed run's result complete with every request
 * id once. Run with `npm run bench:kill`; TRIALS=n sets the number of trials (default 50).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TuneResult } from '../src/result/types.js';
import { type Bench, seeded, startBench, stateOf, tune } from './harness.js';

const ORIGINAL_MB = 192;
const RUN = ['--function', 'work', '--memory', '256,512', '--chunks', '1,2', '--payload', '{"rounds":30}', '--invocations', '3', '--concurrency', '2'];

interface Trial {
  killedAtMs: number;
  outcome: 'killed' | 'finished first';
  recovery: 'restore' | 'resume';
  ok: boolean;
  problem?: string;
}

async function main(): Promise<void> {
  const trials = Number(process.env['TRIALS'] ?? 50);
  const bench = await startBench(ORIGINAL_MB);
  const random = seeded(20261122);
  try {
    const calibration = await tune(bench, [...RUN, '--out', mkdtempSync(path.join(tmpdir(), 'lambda-tune-kill-'))]).done;
    if (calibration.status !== 0) throw new Error(`the uninterrupted run failed: ${calibration.stderr}`);
    console.log(`Crash trials: ${trials} runs killed with SIGKILL at a random point of ${calibration.ms} ms (an uninterrupted run)\n`);
    const results: Trial[] = [];
    for (let i = 0; i < trials; i++) results.push(await trial(bench, Math.round(random() * calibration.ms * 1.1), i % 2 === 0 ? 'restore' : 'resume'));
    report(results);
  } finally {
    await bench.stop();
  }
}

async function trial(bench: Bench, killAtMs: number, recovery: Trial['recovery']): Promise<Trial> {
  const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-kill-'));
  const run = tune(bench, [...RUN, '--out', out]);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), killAtMs);
  const first = await run.done;
  clearTimeout(timer);
  const outcome = first.signal === 'SIGKILL' ? 'killed' : 'finished first';
  const problem = (await recover(bench, out, recovery)) ?? (await leftAsFound(bench));
  return { killedAtMs: killAtMs, outcome, recovery, ok: problem === undefined, ...(problem === undefined ? {} : { problem }) };
}

/** Puts the function back or finishes the run; says what went wrong, if anything. */
async function recover(bench: Bench, out: string, recovery: Trial['recovery']): Promise<string | undefined> {
  if (recovery === 'restore') {
    if (!existsSync(path.join(out, 'journal.json'))) return undefined;
    const restored = await tune(bench, ['restore', '--journal', path.join(out, 'journal.json')]).done;
    return restored.status === 0 ? undefined : `tune restore exited ${restored.status}: ${restored.stderr.trim()}`;
  }
  if (!existsSync(path.join(out, 'run.json'))) return undefined;
  const resumed = await tune(bench, ['--resume', out]).done;
  if (resumed.status !== 0) return `tune --resume exited ${resumed.status}: ${resumed.stderr.trim()}`;
  return completeness(JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult);
}

function completeness(result: TuneResult): string | undefined {
  const ids = result.samples.flatMap((s) => (s.requestId === undefined ? [] : [s.requestId]));
  if (new Set(ids).size !== ids.length) return 'a request id appears twice in the resumed result';
  const short = result.analysis.cells.filter((c) => c.invocations < 3);
  if (result.analysis.cells.length !== 4 || short.length > 0) return `cells incomplete after resume: ${short.map((c) => c.id).join(', ')}`;
  return undefined;
}

async function leftAsFound(bench: Bench): Promise<string | undefined> {
  const state = await stateOf(bench);
  if (state.memoryMb !== ORIGINAL_MB) return `memory is ${state.memoryMb} MB, not ${ORIGINAL_MB}`;
  if (state.versions.length !== 1) return `versions left: ${state.versions.join(', ')}`;
  return undefined;
}

function report(results: Trial[]): void {
  const count = (f: (t: Trial) => boolean) => results.filter(f).length;
  for (const recovery of ['restore', 'resume'] as const) {
    const mine = results.filter((t) => t.recovery === recovery);
    console.log(
      `  ${recovery.padEnd(8)} ${mine.length} trials (${mine.filter((t) => t.outcome === 'killed').length} killed mid-run): ${mine.filter((t) => t.ok).length} left the function as it was found`,
    );
  }
  for (const t of results.filter((x) => !x.ok)) console.log(`  FAILED (${t.recovery}, killed at ${t.killedAtMs} ms): ${t.problem ?? ''}`);
  console.log(`\n  ${count((t) => t.ok)}/${results.length} trials clean`);
  process.exitCode = count((t) => !t.ok) === 0 ? 0 : 1;
}

await main();
