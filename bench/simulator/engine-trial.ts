/**
 * One trial through the real engine: `measure` (src/measure/run.ts) publishing versions, invoking
 * and reading REPORT lines through the simulated gateway, then `analyze`. What the bench's figures
 * come from.
 */
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyze } from '../../src/analyze/analyze.js';
import { Journal } from '../../src/measure/journal.js';
import { measure, type MeasureSpec } from '../../src/measure/run.js';
import type { Analysis, FunctionInfo, Prices, Sample } from '../../src/result/types.js';
import { SimulatedGateway } from './gateway.js';
import type { Workload } from './workloads.js';

export interface EngineTrial {
  workload: Workload;
  trial: string;
  spec: Omit<MeasureSpec, 'pricesOf' | 'runId' | 'timings' | 'maxConsecutiveFailures' | 'functions' | 'payload'>;
  prices: Prices;
}

export interface TrialResult {
  samples: Sample[];
  analysis: Analysis;
  gbSeconds: number;
  invocations: number;
}

/** A folder for the trials' journals, removed at exit. */
const journals = mkdtempSync(path.join(tmpdir(), 'lambda-tune-sim-'));
process.on('exit', () => {
  rmSync(journals, { recursive: true, force: true });
});

// The trials' journals are thrown away, so they are not written at all: writing and syncing them
// would time the disk, not the engine (it took two thirds of a trial). Only files in the trials'
// folder are passed over; this process only.
const NO_FILE = -1;
const inJournals = (file: fs.PathLike) => String(file).startsWith(journals);
const { openSync, writeSync, closeSync, fsyncSync, renameSync } = fs;
fs.openSync = (file: fs.PathLike, ...rest: Parameters<typeof openSync> extends [unknown, ...infer R] ? R : never) =>
  inJournals(file) ? NO_FILE : openSync(file, ...rest);
fs.writeSync = (fd: number, ...rest: unknown[]) => (fd === NO_FILE ? 0 : (writeSync as (...a: unknown[]) => number)(fd, ...rest));
fs.closeSync = (fd: number) => {
  if (fd !== NO_FILE) closeSync(fd);
};
fs.fsyncSync = (fd: number) => {
  if (fd !== NO_FILE) fsyncSync(fd);
};
fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
  if (!inJournals(to)) renameSync(from, to);
};
syncBuiltinESMExports();

let journalCount = 0;

export async function engineTrial({ workload, trial, spec, prices }: EngineTrial): Promise<TrialResult> {
  const gateway = new SimulatedGateway(workload, trial, spec.warmup);
  const journal = Journal.create(path.join(journals, `journal-${journalCount++}.json`), {
    runId: 'sim',
    target: 'aws',
    region: prices.region,
    startedAt: 'now',
  });
  const outcome = await measure(
    { ...spec, functions: ['sim'], payload: {}, timings: [], maxConsecutiveFailures: 3, pricesOf: () => prices, runId: 'sim' },
    { gateway, journal, onSample: () => undefined, onEvent: () => undefined, signal: new AbortController().signal },
  );
  const functions: FunctionInfo[] = [{ name: 'sim', architecture: 'x86_64', prices }];
  const measuredMb = [...new Set(outcome.samples.map((s) => s.memoryMb))].sort((a, b) => a - b);
  const analysis = analyze(outcome.samples, { functions: ['sim'], memoryMb: measuredMb, axes: spec.axes }, functions, {
    strategy: 'balanced',
    weight: 0.5,
    percentile: 95,
  });
  return { samples: outcome.samples, analysis, gbSeconds: gateway.gbSeconds, invocations: gateway.invocations };
}
