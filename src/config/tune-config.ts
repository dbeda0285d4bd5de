import { badFlag, userError } from '../errors.js';
import { splitQualifier } from '../lambda/gateway.js';
import { parseTimingPattern, type TimingPattern } from '../parse/timings.js';
import { type MemoryRange, parseMemoryRange, rangeProblem, rangeSizes } from '../plan/memory-range.js';
import type { RunShape, SelectionOptions } from '../result/types.js';
import { decimal, type NumberFlag } from './numbers.js';
import { assertDistinctAxes, chunkAxis, paramAxis, readPayloads } from './param-axes.js';
import { positive, selectionFromFlags, type SelectionFlags } from './selection.js';

/** The measuring flags of the tune command as yargs hands them over, before validation. */
export interface RunFlags extends SelectionFlags {
  function?: string | undefined;
  memory?: string | undefined;
  chunks?: string | undefined;
  param: string[];
  payload: string[];
  chunkKey: string;
  invocations: NumberFlag;
  warmup: NumberFlag;
  concurrency: NumberFlag;
  timing: string[];
  /** The flags below are optional for callers that predate them; each defaults to none. */
  cold?: NumberFlag | undefined;
  allowError?: string[] | undefined;
  sleepMs?: NumberFlag | undefined;
  sampling?: string | undefined;
  precision?: NumberFlag | undefined;
  minInvocations?: NumberFlag | undefined;
  budget?: NumberFlag | undefined;
  pricePerGbSecond?: NumberFlag | undefined;
  pricePerRequest?: NumberFlag | undefined;
  billInit: boolean;
}

export interface TuneConfig extends RunShape {
  timings: TimingPattern[];
  timingSpecs: string[];
  selection: SelectionOptions;
  budgetUsd?: number | undefined;
  prices: { pricePerGbSecondUsd?: number | undefined; pricePerRequestUsd?: number | undefined; billInit: boolean };
  /** How invocations are spent: adaptively (tune's default), or the fixed plan. A run recorded before there was a choice ran the fixed plan. */
  sampling?: 'adaptive' | 'fixed' | undefined;
  /** Adaptive: how close the median's 95% interval must be, as a fraction of it (0.05 for ±5%). */
  precision?: number | undefined;
  /** Adaptive: the least a cell gets (--invocations is the most). */
  minInvocations?: number | undefined;
  /** --memory as a range: `memoryMb` then holds every size in it, and adaptive sampling searches them. */
  memoryRange?: MemoryRange | undefined;
}

const WHOLE = /^\d+$/;
/** A name or ARN, optionally with `:ALIAS`, `:VERSION` or `:$LATEST`. */
const FUNCTION_REF = /^[a-zA-Z0-9_:-]{1,140}(:\$LATEST)?$/;

/** Validates the flags into a config, or says exactly which flag is wrong and how to write it. */
export function tuneConfigFromFlags(flags: RunFlags, cwd: string): TuneConfig {
  const budgetUsd = positive('--budget', decimal('--budget', flags.budget));
  const coldStarts = wholeNumber('--cold', flags.cold ?? 0, 0, 1000);
  const selection = selectionFromFlags(flags);
  if (selection.optimize === 'cold' && coldStarts === 0) {
    throw badFlag(
      '--optimize',
      'cold judges each cell by its cold starts, and the run measures none.',
      'Add --cold N (cold starts per cell, for example --cold 5), or leave out --optimize cold.',
    );
  }
  const workload = workloadFromFlags(flags, cwd);
  return {
    functions: functionsOf(flags.function),
    ...memoryOf(flags.memory),
    ...workload,
    ...samplingOf(flags, workload.invocations),
    concurrency: wholeNumber('--concurrency', flags.concurrency, 1, 1000),
    coldStarts,
    selection,
    budgetUsd,
    prices: pricesFromFlags(flags),
  };
}

export type WorkloadFlags = Pick<RunFlags, 'chunks' | 'param' | 'payload' | 'chunkKey' | 'invocations' | 'warmup' | 'timing' | 'allowError' | 'sleepMs'>;
export type Workload = Pick<TuneConfig, 'axes' | 'payload' | 'payloads' | 'invocations' | 'warmup' | 'timings' | 'timingSpecs' | 'allowedErrors' | 'sleepMs'>;

/** What each cell is invoked with and how often: shared by `tune` and `tune ab`. */
export function workloadFromFlags(flags: WorkloadFlags, cwd: string): Workload {
  if (flags.chunkKey.trim() === '')
    throw badFlag('--chunk-key', 'must not be empty.', 'It names the payload field that carries the chunk size; chunkSizeMb by default.');
  const { payload, payloads, axis } = readPayloads(flags.payload, cwd);
  const axes = [
    ...(flags.chunks === undefined ? [] : [chunkAxis(flags.chunks, flags.chunkKey)]),
    ...flags.param.map(paramAxis),
    ...(axis === undefined ? [] : [axis]),
  ];
  assertDistinctAxes(axes);
  return {
    axes,
    payload,
    ...(payloads === undefined ? {} : { payloads }),
    invocations: wholeNumber('--invocations', flags.invocations, 1, 10_000),
    warmup: wholeNumber('--warmup', flags.warmup, 0, 1000),
    timings: flags.timing.map(timingOf),
    timingSpecs: flags.timing,
    allowedErrors: allowedErrorsOf(flags.allowError ?? []),
    sleepMs: wholeNumber('--sleep-ms', flags.sleepMs ?? 0, 0, 600_000),
  };
}

/** Error types the function raises on purpose (a conditional write that lost): each named once, none of the platform's own. */
function allowedErrorsOf(types: readonly string[]): string[] {
  for (const type of types) {
    if (!/^[\w.$:-]{1,128}$/.test(type))
      throw badFlag(
        '--allow-error',
        `"${type}" is not an error type.`,
        'Give the errorType the function raises, for example --allow-error ConditionalCheckFailedException.',
      );
    if (/^(Runtime|Sandbox)\./.test(type)) {
      throw badFlag(
        '--allow-error',
        `cannot allow ${type}: it is Lambda's own failure (out of memory, a timeout, a failed start), which leaves no duration worth counting.`,
        'Allow only errors your handler raises.',
      );
    }
  }
  const repeated = types.find((type, i) => types.indexOf(type) !== i);
  if (repeated !== undefined) throw badFlag('--allow-error', `names ${repeated} twice.`, 'Give each type once.');
  return [...types];
}

export function pricesFromFlags(flags: Pick<RunFlags, 'pricePerGbSecond' | 'pricePerRequest' | 'billInit'>): TuneConfig['prices'] {
  return {
    pricePerGbSecondUsd: positive('--price-per-gb-second', decimal('--price-per-gb-second', flags.pricePerGbSecond)),
    pricePerRequestUsd: positive('--price-per-request', decimal('--price-per-request', flags.pricePerRequest)),
    billInit: flags.billInit,
  };
}

function functionsOf(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') {
    throw userError('FLAG_MISSING', {
      flag: '--function',
      what: 'Name the function to tune',
      example: 'tune --function hasher --memory 128,256,512,1024 --chunks 1,10,20,50',
    });
  }
  const names = list('--function', raw, (item) => {
    if (!FUNCTION_REF.test(item)) {
      throw badFlag(
        '--function',
        `"${item}" is not a function name or ARN.`,
        'Use names like hasher, hasher:live (the code an alias serves) or ARNs like arn:aws:lambda:us-east-1:123456789012:function:hasher.',
      );
    }
    return item;
  });
  assertDistinctFunctions(names);
  return names;
}

/** `hasher` and `hasher:live` are one function: tuning it twice in a run would mix their cells. */
function assertDistinctFunctions(refs: readonly string[]): void {
  const bare = refs.map((ref) => splitQualifier(ref).functionName.replace(/^.*:function:/, ''));
  const twice = bare.findIndex((name, i) => bare.indexOf(name) !== i);
  if (twice !== -1) throw badFlag('--function', `names ${bare[twice] ?? ''} twice (${refs.join(', ')}).`, 'Name each function once, with or without an alias.');
}

/**
 * How invocations are spent: `--sampling adaptive` (the default) stops a cell once one more sample
 * could not change the answer, `fixed` gives every cell --invocations.
 */
function samplingOf(
  flags: Pick<RunFlags, 'sampling' | 'precision' | 'minInvocations'>,
  invocations: number,
): Pick<TuneConfig, 'sampling' | 'precision' | 'minInvocations'> {
  const sampling = flags.sampling ?? 'adaptive';
  if (sampling !== 'adaptive' && sampling !== 'fixed')
    throw badFlag(
      '--sampling',
      `"${sampling}" is not a way to sample.`,
      'Use --sampling adaptive (stop each cell once it cannot change the answer) or --sampling fixed (every cell --invocations times).',
    );
  const given = flags.minInvocations !== undefined;
  const minInvocations = wholeNumber('--min-invocations', flags.minInvocations ?? 3, 1, 10_000);
  if (given && minInvocations > invocations)
    throw badFlag(
      '--min-invocations',
      `is ${minInvocations}, more than --invocations ${invocations}, the most a cell may get.`,
      'Give --min-invocations at most --invocations.',
    );
  return { sampling, precision: precisionOf(flags.precision ?? '5%'), minInvocations: Math.min(minInvocations, invocations) };
}

/** `5%` or `5`: the percent of the median the 95% interval must be within, as a fraction. */
function precisionOf(raw: NumberFlag): number {
  const text = String(raw).trim();
  const percent = decimal('--precision', text.endsWith('%') ? text.slice(0, -1) : text);
  if (!(percent >= 0.1 && percent <= 50))
    throw badFlag('--precision', `must be a percentage from 0.1% to 50% (got ${text}).`, 'For example --precision 5% (the median known within ±5%).');
  return percent / 100;
}

/** A list of sizes, or a range `A..B[:STEP]` (every size from A to B, STEP MB apart, 64 by default). */
function memoryOf(raw: string | undefined): Pick<TuneConfig, 'memoryMb' | 'memoryRange'> {
  if (raw === undefined)
    throw userError('FLAG_MISSING', { flag: '--memory', what: 'Give the memory sizes to try', example: '--memory 128,256,512,1024 (MB, 128 to 10240)' });
  const range = parseMemoryRange(raw);
  if (range !== undefined) {
    const problem = rangeProblem(range);
    if (problem !== undefined)
      throw badFlag('--memory', problem, 'Write a range as FROM..TO or FROM..TO:STEP in MB, for example --memory 128..3008 or 128..3008:64.');
    return { memoryMb: rangeSizes(range), memoryRange: range };
  }
  return { memoryMb: memorySizes(raw) };
}

function memorySizes(raw: string): number[] {
  const sizes = list('--memory', raw, (item) => {
    const value = WHOLE.test(item) ? Number(item) : Number.NaN;
    if (!(value >= 128 && value <= 10_240)) {
      throw badFlag(
        '--memory',
        `${item} is not a memory size Lambda accepts.`,
        'Memory sizes are whole MB from 128 to 10240, written in decimal, for example --memory 128,256,512,1024, or a range: --memory 128..3008.',
      );
    }
    return value;
  });
  // Ascending, as every table and chart shows them, and as tune analyze reads them back.
  return sizes.sort((a, b) => a - b);
}

function timingOf(spec: string): TimingPattern {
  try {
    return parseTimingPattern(spec);
  } catch (error) {
    throw badFlag(
      '--timing',
      `${(error as Error).message}.`,
      `Write it as name=REGEX with a named group, for example --timing 'read=read (?<value>[\\d.]+) ms'.`,
    );
  }
}

function list<T>(flag: string, raw: string, parse: (item: string) => T): T[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw badFlag(flag, `has an empty item: "${raw}".`, `Separate values with commas and no gaps, for example ${flag} 128,256.`);
  const values = items.map(parse);
  const repeatedAt = values.findIndex((value, index) => values.indexOf(value) !== index);
  if (repeatedAt !== -1) throw badFlag(flag, `names ${items[repeatedAt] ?? ''} twice.`, 'Give each value once.');
  return values;
}

function wholeNumber(flag: string, raw: NumberFlag, min: number, max: number): number {
  const value = decimal(flag, raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw badFlag(flag, `must be a whole number from ${min} to ${max} (got ${value}).`, 'See tune --help.');
  return value;
}
