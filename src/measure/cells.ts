import { PAYLOAD_AXIS, type Params } from '../plan/axes.js';
import { type CellKey, cellId, type RunShape, type Sample } from '../result/types.js';

/** The rules a cell's progress is judged by. */
export interface ProgressRules {
  invocations: number;
  /** A cell stops after this many failures in a row. */
  maxConsecutiveFailures: number;
}

/**
 * The payload of a cell: the payload file its payload axis names (or the run's one payload), with
 * every other parameter set into it by name.
 */
export function cellPayload(shape: Pick<RunShape, 'payload' | 'payloads'>, params: Params): Record<string, unknown> {
  const { [PAYLOAD_AXIS]: file, ...fields } = params;
  const base = typeof file === 'string' && shape.payloads !== undefined ? (shape.payloads[file] ?? shape.payload) : shape.payload;
  return { ...base, ...fields };
}

/** The description of a version this run publishes: the run id in it is how restore knows the version is the run's. */
export function versionDescription(runId: string, memoryMb: number): string {
  return `${runOwnerMark(runId)} ${memoryMb} MB`;
}

/** What every description of this run's versions starts with. */
export function runOwnerMark(runId: string): string {
  return `lambda-tune ${runId}:`;
}

/**
 * How far a cell's warm measuring got: its measured invocations by the run's rules, and whether
 * it needs no more. The --cold samples are counted apart (coldProgress).
 */
export function cellProgress(cell: CellKey, samples: readonly Sample[], spec: ProgressRules) {
  const id = cellId(cell);
  let measured = 0;
  let coldRetries = 0;
  let failuresInRow = 0;
  for (const sample of samples) {
    if (sample.coldProbe === true || cellId(sample) !== id) continue;
    const failed = sample.status !== 'success';
    failuresInRow = failed ? failuresInRow + 1 : 0;
    if (sample.warmup) continue;
    if (failed || !sample.cold) measured++;
    else if (coldRetries++ >= spec.invocations) measured++;
  }
  return { measured, coldRetries, failuresInRow, complete: measured >= spec.invocations || failuresInRow >= spec.maxConsecutiveFailures };
}

/** How many of a cell's --cold samples were taken (failed ones too), and how many of the last failed in a row. */
export function coldProgress(cell: CellKey, samples: readonly Sample[]): { taken: number; failuresInRow: number } {
  const id = cellId(cell);
  let taken = 0;
  let failuresInRow = 0;
  for (const sample of samples) {
    if (sample.coldProbe !== true || cellId(sample) !== id) continue;
    taken++;
    failuresInRow = sample.status === 'success' ? 0 : failuresInRow + 1;
  }
  return { taken, failuresInRow };
}
