import { analyze } from '../analyze/analyze.js';
import type { TuneConfig } from '../config/tune-config.js';
import { pricesFor } from '../cost/prices.js';
import type { CellPair } from '../gate/compare.js';
import type { Gateway, VersionSnapshot } from '../lambda/gateway.js';
import { cellPayload, type ProgressEvent } from '../measure/run.js';
import { pause } from '../measure/pause.js';
import { measureInvocation } from '../measure/sample.js';
import { combinations, type Params, paramsText } from '../plan/axes.js';
import { type CellKey, cellId, type FunctionInfo, type Plan, SCHEMA_VERSION, type Sample, type TuneResult } from '../result/types.js';
import { runInfo, type TuneTarget } from './run-tune.js';

/** One side of an A/B run: a function and the version or alias of it that is measured. */
export interface AbSide {
  functionName: string;
  qualifier: string;
}

export interface AbConfig extends Pick<
  TuneConfig,
  'axes' | 'payload' | 'payloads' | 'invocations' | 'warmup' | 'timings' | 'timingSpecs' | 'prices' | 'selection' | 'allowedErrors' | 'sleepMs'
> {
  a: AbSide;
  b: AbSide;
}

export interface AbDeps {
  gateway: Pick<Gateway, 'describeVersion' | 'invoke' | 'findLogLines'>;
  target: TuneTarget;
  onEvent: (event: ProgressEvent) => void;
  /** Which of A and B goes first in each pair; a fair coin unless a test says otherwise. */
  coin?: () => boolean;
  signal?: AbortSignal | undefined;
  now?: () => Date;
}

export interface AbOutcome {
  a: TuneResult;
  b: TuneResult;
  /** Each of B's cells with the A cell it is judged against. */
  pairs: CellPair[];
  snapshots: { a: VersionSnapshot; b: VersionSnapshot };
}

interface Arm {
  side: AbSide;
  snapshot: VersionSnapshot;
  /** How the result names the side: its function and qualifier, `hasher:live`. */
  label: string;
  samples: Sample[];
}

/**
 * Measures two versions (or aliases, or functions) of a function in one run, invocation by
 * invocation in pairs whose order a coin decides (A B, B A, …), each at its own memory size. A
 * busy host or a slow hour then falls on both alike, so the gate compares the code, not the
 * moment. Nothing about either function is changed.
 */
export async function runAb(config: AbConfig, deps: AbDeps): Promise<AbOutcome> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const arms = await Promise.all([config.a, config.b].map((side) => armOf(side, deps.gateway)));
  const [a, b] = arms as [Arm, Arm];
  if (a.label === b.label) b.label = `${b.label} (B)`;
  const coin = deps.coin ?? (() => Math.random() < 0.5);
  let done = 0;
  const combos = combinations(config.axes);
  const total = combos.length * (config.warmup + config.invocations) * 2;
  for (const params of combos) {
    for (let round = 0; round < config.warmup + config.invocations; round++) {
      if (deps.signal?.aborted === true) break;
      const warmup = round < config.warmup;
      for (const arm of coin() ? [a, b] : [b, a]) {
        // --sleep-ms spaces every invocation, A's and B's alike.
        if (done > 0) await pause(config.sleepMs ?? 0, deps.signal ?? new AbortController().signal);
        const sample = await measureArm(arm, params, warmup, config, deps);
        done++;
        if (sample !== undefined) deps.onEvent({ kind: 'sample', cellId: cellId(sample), sample, done, total, spentUsd: 0 });
      }
    }
  }
  const times = { startedAt, finishedAt: now(), stopped: deps.signal?.aborted === true };
  return {
    a: resultOf(a, config, deps.target, times),
    b: resultOf(b, config, deps.target, times),
    pairs: combos.map((params) => ({
      id: paramsText(params, config.axes) || 'the payload',
      baseline: cellId(cellOf(a, params)),
      current: cellId(cellOf(b, params)),
    })),
    snapshots: { a: a.snapshot, b: b.snapshot },
  };
}

async function armOf(side: AbSide, gateway: AbDeps['gateway']): Promise<Arm> {
  const snapshot = await gateway.describeVersion(side.functionName, side.qualifier);
  return { side, snapshot, label: `${snapshot.name}:${side.qualifier}`, samples: [] };
}

function cellOf(arm: Arm, params: Params): CellKey {
  return { function: arm.label, memoryMb: arm.snapshot.memoryMb, params };
}

async function measureArm(arm: Arm, params: Params, warmup: boolean, config: AbConfig, deps: AbDeps): Promise<Sample | undefined> {
  const sample = await measureInvocation(deps.gateway, {
    cell: cellOf(arm, params),
    functionName: arm.side.functionName,
    qualifier: arm.side.qualifier,
    logGroup: arm.snapshot.logGroup,
    payload: cellPayload(config, params),
    timings: config.timings,
    warmup,
    allowedErrors: config.allowedErrors,
    timeoutS: arm.snapshot.timeoutS,
  });
  if (sample === undefined) deps.onEvent({ kind: 'warning', message: `${arm.label}: no REPORT found; the invocation is left out.` });
  else arm.samples.push(sample);
  return sample;
}

/** One side's samples as a result of their own, as a tune run would have written it. */
function resultOf(arm: Arm, config: AbConfig, target: TuneTarget, times: { startedAt: Date; finishedAt: Date; stopped: boolean }): TuneResult {
  const prices = pricesFor(target.region, arm.snapshot.architecture, config.prices);
  const functions: FunctionInfo[] = [{ name: arm.label, architecture: arm.snapshot.architecture, originalMemoryMb: arm.snapshot.memoryMb, prices }];
  const plan: Plan = { functions: [arm.label], memoryMb: [arm.snapshot.memoryMb], axes: config.axes };
  return {
    schemaVersion: SCHEMA_VERSION,
    run: runInfo({ ...config, concurrency: 1 }, target, { stoppedBy: times.stopped ? 'interrupt' : undefined }, times),
    plan,
    functions,
    samples: arm.samples,
    analysis: analyze(arm.samples, plan, functions, config.selection),
  };
}
