/**
 * Large inputs: `tune analyze` of a CSV of 1,000,000 rows (16 cells, the columns samples.csv
 * writes; the table, for which the samples are put into columns as they are read, never kept) and
 * `tune compare` of two results of 150,000 samples each, run as child processes and timed (the
 * median of three runs), with their peak resident memory; and the validation of a result of
 * 100,000 samples in this process: as readResult checks it (the samples by hand, the rest by zod),
 * and by zod alone, as the CLI runs it (jitless) and compiled. Targets: analyze under 3 s and
 * 300 MB; compare under 2 s. Run with `npm run bench:large`;
 * ROWS=n sets the CSV's rows, CELL_SAMPLES=n the compared results' samples; KEEP=1 keeps the
 * generated files (to profile the commands on them) and says where; TUNE_BIN=FILE measures another
 * build's bin/tune.js (a checkout from before a change) on the same inputs.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { z } from 'zod';
import path from 'node:path';
import { BIN as THIS_BIN } from '../test/helpers/cli.js';
import { readJson } from '../src/files/read.js';
import { parseResult } from '../src/result/files.js';
import { tuneResultSchema } from '../src/result/schema.js';
// As the CLI validates: validate.ts configures zod (jitless) when it is loaded.
import '../src/validate.js';
import { seeded } from './harness.js';

const ROWS = Number(process.env['ROWS'] ?? 1_000_000);
const CELL_SAMPLES = Number(process.env['CELL_SAMPLES'] ?? 150_000);
const SCHEMA_SAMPLES = 100_000;
const ROUNDS = 3;
const BIN = process.env['TUNE_BIN'] ?? THIS_BIN;
const MEMORY_MB = [128, 256, 512, 1024];
const CHUNK_SIZES_MB = [1, 5, 10, 50];
const TARGETS = { analyzeMs: 3000, analyzeRssMb: 300, compareMs: 2000 };
const HEADER = 'function,memoryMb,chunkSizeMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType,cold,warmup,requestId,timing.readMs';

interface Cell {
  memoryMb: number;
  chunkSizeMb: number;
}

/** How a generated cell behaves: how much slower than the model, and how often it fails. */
interface Behaviour {
  slowdown: number;
  errorRate: number;
}

const AS_MODELLED: Behaviour = { slowdown: 1, errorRate: 0 };

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-large-'));
  try {
    const load = loadavg().map((n) => n.toFixed(1));
    console.log(`Large inputs: ${BIN}  (node ${process.version}; load average ${load.join(', ')}: a busy host is slower, compare runs of one time)\n`);
    const analyzeMet = analyzeBench(dir);
    const compareMet = compareBench(dir);
    schemaBench(path.join(dir, 'baseline', 'result.json'));
    if (!analyzeMet || !compareMet) process.exitCode = 1;
  } finally {
    if (process.env['KEEP'] === '1') console.log(`The generated files are in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** tune analyze of the big CSV: wall time and peak RSS against their targets. */
function analyzeBench(dir: string): boolean {
  const cells = MEMORY_MB.flatMap((memoryMb) => CHUNK_SIZES_MB.map((chunkSizeMb) => ({ memoryMb, chunkSizeMb })));
  const csv = path.join(dir, 'large.csv');
  writeCsv(csv, cells, Math.ceil(ROWS / cells.length), seeded(11), AS_MODELLED);
  const run = measured(dir, ['analyze', csv]);
  if (run.status !== 0) throw new Error(`tune analyze failed: ${run.stderr}`);
  console.log(`tune analyze, ${ROWS.toLocaleString('en')} rows in ${cells.length} cells, the table (median of ${ROUNDS})`);
  const timeMet = report('wall time', run.ms, 'ms', TARGETS.analyzeMs);
  console.log(`  ${'CPU time'.padEnd(34)} ${run.cpuMs.toFixed(0).padStart(7)} ms`);
  const rssMet = report('peak RSS', run.peakRssMb, 'MB', TARGETS.analyzeRssMb);
  console.log('');
  return timeMet && rssMet;
}

/**
 * tune compare of two results of one cell each, written by tune analyze --out: an A/A pair that
 * must pass, and a current run 15% slower with more errors that must fail on duration.
 */
function compareBench(dir: string): boolean {
  const cell = [{ memoryMb: 1024, chunkSizeMb: 10 }];
  const result = (name: string, seed: number, behaviour: Behaviour) => {
    const csv = path.join(dir, `${name}.csv`);
    writeCsv(csv, cell, CELL_SAMPLES, seeded(seed), behaviour);
    const out = path.join(dir, name);
    const made = spawnSync(process.execPath, [BIN, 'analyze', csv, '--out', out], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`tune analyze --out ${out} failed: ${made.stderr}`);
    return path.join(out, 'result.json');
  };
  const baseline = result('baseline', 21, AS_MODELLED);
  const same = result('same', 22, AS_MODELLED);
  const slower = result('slower', 23, { slowdown: 1.15, errorRate: 0.01 });
  console.log(`tune compare, ${CELL_SAMPLES.toLocaleString('en')} samples a result (median of ${ROUNDS})`);
  const aa = gateRun(dir, baseline, same, 0, 'A/A');
  const ab = gateRun(dir, baseline, slower, 1, '15% slower');
  console.log('');
  return aa && ab;
}

/** One tune compare, timed; its verdict must be the expected exit code, a slower run failing on duration. */
function gateRun(dir: string, baseline: string, current: string, expectedStatus: number, what: string): boolean {
  const run = measured(dir, ['compare', baseline, current, '--json']);
  if (run.status !== expectedStatus) throw new Error(`tune compare (${what}) exited ${String(run.status)}, expected ${expectedStatus}: ${run.stderr}`);
  const gate = JSON.parse(run.stdout) as { status: string; verdicts: { metric: string; outcome: string }[] };
  const failedOn = [...new Set(gate.verdicts.filter((v) => v.outcome === 'error').map((v) => v.metric))].sort();
  if (expectedStatus === 1 && !failedOn.includes('duration')) throw new Error(`tune compare (${what}) failed on ${failedOn.join(', ')}, not on duration`);
  console.log(`  ${what}: ${gate.status}${failedOn.length > 0 ? ` on ${failedOn.join(', ')}` : ''}`);
  const met = report('wall time', run.ms, 'ms', TARGETS.compareMs);
  console.log(`  ${'CPU time'.padEnd(34)} ${run.cpuMs.toFixed(0).padStart(7)} ms`);
  console.log(`  ${'peak RSS'.padEnd(34)} ${run.peakRssMb.toFixed(0).padStart(7)} MB`);
  return met;
}

/** The validation of a result of 100,000 samples (the whole result schema, cross-checks included), in this process. */
function schemaBench(resultFile: string): void {
  const raw = readJson(resultFile) as { samples: unknown[] };
  const samples = Array.from({ length: SCHEMA_SAMPLES }, (_, i) => raw.samples[i % raw.samples.length]);
  const result = { ...raw, samples };
  const read = () => parseResult(result, (problems) => new Error(`the generated result does not validate: ${problems.join('; ')}`));
  const validate = () => {
    if (!tuneResultSchema.safeParse(result).success) throw new Error('the generated result does not validate');
  };
  console.log(`Schema validation of ${SCHEMA_SAMPLES.toLocaleString('en')} samples (median of ${ROUNDS})`);
  console.log(`  ${'as readResult (samples by hand)'.padEnd(34)} ${median(timed(read)).toFixed(0).padStart(7)} ms`);
  console.log(`  ${'zod alone, jitless (as the CLI)'.padEnd(34)} ${median(timed(validate)).toFixed(0).padStart(7)} ms`);
  z.config({ jitless: false });
  validate();
  console.log(`  ${'zod alone, compiled (zod JIT)'.padEnd(34)} ${median(timed(validate)).toFixed(0).padStart(7)} ms\n`);
}

/** The wall time of each of ROUNDS calls, in ms. */
function timed(call: () => void): number[] {
  return Array.from({ length: ROUNDS }, () => {
    const started = process.hrtime.bigint();
    call();
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function report(what: string, value: number, unit: string, target: number): boolean {
  const met = value < target;
  console.log(`  ${what.padEnd(34)} ${value.toFixed(0).padStart(7)} ${unit}  target < ${target} ${unit}: ${met ? 'met' : 'MISSED'}`);
  return met;
}

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** User and system CPU time: less moved than the wall time by other work on a shared host. */
  cpuMs: number;
  peakRssMb: number;
}

/** The CLI run ROUNDS times: the median wall time and peak RSS, and the last run's exit and output. */
function measured(dir: string, args: string[]): Measured {
  const runs = Array.from({ length: ROUNDS }, () => measuredOnce(dir, args));
  const last = runs[runs.length - 1];
  if (last === undefined) throw new Error('no run');
  const middle = (of: (run: Measured) => number) => median(runs.map(of));
  return { ...last, ms: middle((run) => run.ms), cpuMs: middle((run) => run.cpuMs), peakRssMb: middle((run) => run.peakRssMb) };
}

/**
 * The CLI as a child process, timed from spawn to exit; its peak RSS and CPU time are what the
 * child itself reports at exit (process.resourceUsage, from a module preloaded with --import), so
 * no tool of the host (GNU time) is needed.
 */
function measuredOnce(dir: string, args: string[]): Measured {
  const usageFile = path.join(dir, 'resource-usage.json');
  const preload = path.join(dir, 'resource-usage.mjs');
  writeFileSync(
    preload,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.RESOURCE_USAGE_FILE, JSON.stringify(process.resourceUsage())));\n",
  );
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', preload, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, RESOURCE_USAGE_FILE: usageFile },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  // maxRSS is in kilobytes, CPU times in microseconds.
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, ms, cpuMs, peakRssMb: usage.maxRSS / 1024 };
}

/**
 * A CSV as samples.csv writes it, cell after cell: two warm-ups and a cold start first in each
 * cell, durations that fall with memory and grow with the chunk, a few errors. Written in blocks,
 * so the bench never holds the whole file.
 */
function writeCsv(file: string, cells: readonly Cell[], rowsPerCell: number, random: () => number, behaviour: Behaviour): void {
  const fd = openSync(file, 'w');
  let block = `${HEADER}\n`;
  let serial = 0;
  for (const cell of cells) {
    for (let i = 0; i < rowsPerCell; i++) {
      block += `${csvRow(cell, i, serial++, random, behaviour)}\n`;
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

function csvRow(cell: Cell, index: number, serial: number, random: () => number, behaviour: Behaviour): string {
  const warmup = index < 2;
  const cold = index === 2;
  // The CPU share grows with memory up to 1769 MB; the work grows with the chunk.
  const modelMs = (40 + 30 * cell.chunkSizeMb) * (1769 / Math.min(cell.memoryMb, 1769)) * behaviour.slowdown;
  const durationMs = Math.round(modelMs * (0.9 + 0.2 * random() + (random() < 0.02 ? random() : 0)) * 100) / 100;
  const neededMb = Math.round(70 + 2.2 * cell.chunkSizeMb + 10 * random());
  // Out of memory where the chunk does not fit; otherwise now and then an error of the function's own.
  const errorType = neededMb > cell.memoryMb ? 'Runtime.OutOfMemory' : !warmup && random() < behaviour.errorRate ? 'Runtime.ExitError' : '';
  const requestId = `${serial.toString(16).padStart(8, '0')}-6c1e-4b7a-${hex(random, 4)}-${hex(random, 12)}`;
  return [
    'hasher',
    cell.memoryMb,
    cell.chunkSizeMb,
    durationMs,
    Math.ceil(durationMs),
    Math.min(neededMb, cell.memoryMb),
    cold ? (250 + 100 * random()).toFixed(2) : '',
    errorType === '' ? 'success' : 'error',
    errorType,
    cold,
    warmup,
    requestId,
    (durationMs * 0.4).toFixed(2),
  ].join(',');
}

/** `digits` random hexadecimal digits. */
function hex(random: () => number, digits: number): string {
  let text = '';
  while (text.length < digits) text += Math.floor(random() * 16).toString(16);
  return text;
}

await main();
