/**
 * The schedule part of bench/adaptive.ts: the README job on the local platform, fixed and
 * adaptive, its invocations and wall time, and how close its measuring came to a lower bound.
 *
 * The lower bound, from the job's own samples (each invocation's REPORT duration, and INIT for a
 * cold start), is the largest of:
 * - CPU: the vCPU-seconds the invocations took (duration × the CPU share of their memory, 1,769 MB
 *   a vCPU) over the vCPUs the platform gives at once (the host's cores: the run keeps the shares
 *   of what it has in flight within them);
 * - slots: the invocations' total duration over --concurrency (8 with --local);
 * - chain: per version, its first invocation (which runs alone) and then its longest other one.
 * It leaves out what no schedule can change: each invocation's round trip through the platform,
 * and publishing the versions. Measuring time is from the last version published to the restore.
 * Shown beside it, not part of it: the chain the tool's own rule makes (a version serves its cells
 * one after another, so per version its first invocation and then, cell by cell, the longest).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { cpuShare } from '../../src/local/limits/cpu.js';
import { packageRoot } from '../../src/package-root.js';
import type { Sample, TuneResult } from '../../src/result/types.js';

const JOB = ['--local', '--function', 'hasher', '--memory', '128,256,512,1024', '--chunks', '1,10,20,50', '--invocations', '5'];
const CONCURRENCY = 8;
const TARGET = 1.2;

interface Timed {
  wallMs: number;
  measuringMs: number;
  result: TuneResult;
}

/** Runs the job as a user would, noting when each line of its progress arrived. */
async function runJob(extra: string[]): Promise<Timed> {
  const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-schedule-'));
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'tune.js'), ...JOB, ...extra, '--out', out], { cwd: packageRoot() });
  let lastVersionMs = started;
  let restoredMs = started;
  let pending = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (/: version \d+ at \d+ MB/.test(line)) lastVersionMs = Date.now();
      if (line.startsWith('Restored:')) restoredMs = Date.now();
    }
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`the README job exited ${String(status)}`);
  const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
  return { wallMs: Date.now() - started, measuringMs: restoredMs - lastVersionMs, result };
}

const secondsOf = (s: Sample) => (s.durationMs + (s.initDurationMs ?? 0)) / 1000;

/** The lower bound's three terms, in seconds. */
export function lowerBound(samples: readonly Sample[], cores: number, concurrency: number): { cpu: number; slots: number; chain: number } {
  const cpu = samples.reduce((total, s) => total + secondsOf(s) * cpuShare(s.memoryMb, cores), 0) / cores;
  const slots = samples.reduce((total, s) => total + secondsOf(s), 0) / concurrency;
  let chain = 0;
  for (const memoryMb of new Set(samples.map((s) => s.memoryMb))) {
    const [first, ...rest] = samples.filter((s) => s.memoryMb === memoryMb);
    if (first === undefined) continue;
    chain = Math.max(chain, secondsOf(first) + Math.max(0, ...rest.map(secondsOf)));
  }
  return { cpu, slots, chain };
}

/** The longest chain when a version serves its cells one at a time: its first invocation, then each cell's longest. */
export function cellByCellChain(samples: readonly Sample[]): number {
  let longest = 0;
  for (const memoryMb of new Set(samples.map((s) => s.memoryMb))) {
    const [first, ...rest] = samples.filter((s) => s.memoryMb === memoryMb);
    if (first === undefined) continue;
    const byCell = new Map<string, number>();
    for (const s of rest) byCell.set(JSON.stringify(s.params), Math.max(byCell.get(JSON.stringify(s.params)) ?? 0, secondsOf(s)));
    longest = Math.max(longest, secondsOf(first) + [...byCell.values()].reduce((total, x) => total + x, 0));
  }
  return longest;
}

export async function scheduleBench(): Promise<boolean> {
  console.log(`\nThe README job on the local platform (${availableParallelism()} cores): tune ${JOB.join(' ')}\n`);
  let met = true;
  for (const [name, extra] of [
    ['fixed', ['--sampling', 'fixed']],
    ['adaptive', []],
  ] as const) {
    const job = await runJob([...extra]);
    const bound = lowerBound(job.result.samples, availableParallelism(), CONCURRENCY);
    const boundS = Math.max(bound.cpu, bound.slots, bound.chain);
    const ratio = job.measuringMs / 1000 / boundS;
    met &&= ratio <= TARGET;
    const pick = job.result.analysis.sweetSpot?.cellId ?? 'none';
    console.log(
      `${name.padEnd(9)} ${String(job.result.samples.length).padStart(3)} invocations, wall ${(job.wallMs / 1000).toFixed(1)} s, measuring ${(job.measuringMs / 1000).toFixed(1)} s; ` +
        `bound ${boundS.toFixed(1)} s (CPU ${bound.cpu.toFixed(1)}, slots ${bound.slots.toFixed(1)}, chain ${bound.chain.toFixed(1)}): ` +
        `${ratio.toFixed(2)}× ${ratio <= TARGET ? '✓' : '✗'} (target ≤ ${TARGET}×); cells one at a time per version: ${cellByCellChain(job.result.samples).toFixed(1)} s; recommends ${pick}`,
    );
  }
  return met;
}
