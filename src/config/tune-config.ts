import { badFlag, userError } from '../errors.js';
import { parseTimingPattern, type TimingPattern } from '../parse/timings.js';
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
}

const WHOLE = /^\d+$/;

/** Validates the flags into a config, or says exactly which flag is wrong and how to write it. */
export function tuneConfigFromFlags(flags: RunFlags, cwd: string): TuneConfig {
  const budgetUsd = positive('--budget', decimal('--budget', flags.budget));
  return {
    functions: functionsOf(flags.function),
    memoryMb: memoryOf(flags.memory),
    ...workloadFromFlags(flags, cwd),
    concurrency: wholeNumber('--concurrency', flags.concurrency, 1, 1000),
    selection: selectionFromFlags(flags),
    budgetUsd,
    prices: pricesFromFlags(flags),
  };
}

export type WorkloadFlags = Pick<RunFlags, 'chunks' | 'param' | 'payload' | 'chunkKey' | 'invocations' | 'warmup' | 'timing'>;
export type Workload = Pick<TuneConfig, 'axes' | 'payload' | 'payloads' | 'invocations' | 'warmup' | 'timings' | 'timingSpecs'>;

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
  };
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
  return list('--function', raw, (item) => {
    if (!/^[a-zA-Z0-9_:-]{1,140}$/.test(item)) {
      throw badFlag(
        '--function',
        `"${item}" is not a function name or ARN.`,
        'Use names like hasher or ARNs like arn:aws:lambda:us-east-1:123456789012:function:hasher.',
      );
    }
    if (isQualified(item)) {
      throw badFlag(
        '--function',
        `"${item}" names a version or alias; tune changes $LATEST and publishes versions of its own, so it takes the function itself.`,
        'Leave out the :QUALIFIER. To compare versions or aliases, use tune ab --function NAME --a QUALIFIER --b QUALIFIER.',
      );
    }
    return item;
  });
}

function memoryOf(raw: string | undefined): number[] {
  if (raw === undefined)
    throw userError('FLAG_MISSING', { flag: '--memory', what: 'Give the memory sizes to try', example: '--memory 128,256,512,1024 (MB, 128 to 10240)' });
  const sizes = list('--memory', raw, (item) => {
    const value = WHOLE.test(item) ? Number(item) : Number.NaN;
    if (!(value >= 128 && value <= 10_240)) {
      throw badFlag(
        '--memory',
        `${item} is not a memory size Lambda accepts.`,
        'Memory sizes are whole MB from 128 to 10240, written in decimal, for example --memory 128,256,512,1024.',
      );
    }
    return value;
  });
  // Ascending, as every table and chart shows them, and as tune analyze reads them back.
  return sizes.sort((a, b) => a - b);
}

/** Whether a function name carries a qualifier: `name:live`, `123456789012:function:name:7`, `arn:aws:lambda:…:function:name:$LATEST`. */
function isQualified(name: string): boolean {
  const parts = name.split(':');
  if (parts[0] === 'arn') return parts.length > 7;
  if (parts[1] === 'function') return parts.length > 3;
  return parts.length > 1;
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
