import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import { parseTimingPattern, type TimingPattern } from '../parse/timings.js';
import type { RunShape, SelectionOptions, Strategy } from '../result/types.js';

/** The tune command's flags as yargs hands them over, before validation. */
export interface TuneFlags {
  function?: string | undefined;
  memory?: string | undefined;
  chunks?: string | undefined;
  payload?: string | undefined;
  chunkKey: string;
  invocations: number;
  warmup: number;
  concurrency: number;
  timing: string[];
  strategy: string;
  weight: number;
  maxDurationMs?: number | undefined;
  percentile: number;
  budget?: number | undefined;
  pricePerGbSecond?: number | undefined;
  pricePerRequest?: number | undefined;
  billInit: boolean;
}

export interface TuneConfig extends RunShape {
  timings: TimingPattern[];
  timingSpecs: string[];
  selection: SelectionOptions;
  budgetUsd?: number | undefined;
  prices: { pricePerGbSecondUsd?: number | undefined; pricePerRequestUsd?: number | undefined; billInit: boolean };
}

const usage = (message: string, hint: string) => userError('BAD_USAGE', { detail: `${message} ${hint}` });

/** Validates the flags into a config, or says exactly which flag is wrong and how to write it. */
export function tuneConfigFromFlags(flags: TuneFlags, cwd: string): TuneConfig {
  if (flags.function === undefined || flags.function.trim() === '') {
    throw usage('Name the function to tune with --function.', 'For example: tune --function hasher --memory 128,256,512,1024 --chunks 1,10,20,50');
  }
  if (flags.memory === undefined) throw usage('Give the memory sizes to try with --memory.', 'For example --memory 128,256,512,1024 (MB, 128 to 10240).');
  const functions = list('--function', flags.function, (item) => {
    if (!/^[a-zA-Z0-9_:-]{1,140}$/.test(item))
      throw usage(
        `--function: "${item}" is not a function name or ARN.`,
        'Use names like hasher or ARNs like arn:aws:lambda:us-east-1:123456789012:function:hasher.',
      );
    return item;
  });
  const memoryMb = list('--memory', flags.memory, (item) => {
    const value = Number(item);
    if (!Number.isInteger(value) || value < 128 || value > 10_240) {
      throw usage(
        `--memory: ${item} is not a memory size Lambda accepts.`,
        'Memory sizes are whole MB from 128 to 10240, for example --memory 128,256,512,1024.',
      );
    }
    return value;
  });
  const chunkMb =
    flags.chunks === undefined
      ? [null]
      : list('--chunks', flags.chunks, (item) => {
          const value = Number(item);
          if (!Number.isFinite(value) || value <= 0)
            throw usage(`--chunks: ${item} is not a positive number.`, 'Chunk sizes are positive numbers of MB, for example --chunks 1,10,20,50.');
          return value;
        });
  wholeNumber('--invocations', flags.invocations, 1, 10_000);
  wholeNumber('--warmup', flags.warmup, 0, 1000);
  wholeNumber('--concurrency', flags.concurrency, 1, 1000);
  if (!['cost', 'speed', 'balanced'].includes(flags.strategy))
    throw usage(`--strategy must be cost, speed or balanced (got ${flags.strategy}).`, 'balanced is the default.');
  if (!(flags.weight >= 0 && flags.weight <= 1))
    throw usage(`--weight must be between 0 and 1 (got ${flags.weight}).`, 'It is the weight of cost against speed for --strategy balanced; 0.5 by default.');
  if (![50, 90, 95, 99].includes(flags.percentile))
    throw usage(`--percentile must be 50, 90, 95 or 99 (got ${flags.percentile}).`, 'It is the percentile --max-duration-ms applies to.');
  positive('--max-duration-ms', flags.maxDurationMs);
  positive('--budget', flags.budget);
  positive('--price-per-gb-second', flags.pricePerGbSecond);
  positive('--price-per-request', flags.pricePerRequest);
  return {
    functions,
    memoryMb,
    chunkMb,
    payload: readPayload(flags.payload, cwd),
    chunkKey: chunkKey(flags.chunkKey),
    invocations: flags.invocations,
    warmup: flags.warmup,
    concurrency: flags.concurrency,
    timings: flags.timing.map((spec) => {
      try {
        return parseTimingPattern(spec);
      } catch (error) {
        throw usage(
          `--timing: ${(error as Error).message}.`,
          `Write it as name=REGEX with a named group, for example --timing 'read=read (?<value>[\\d.]+) ms'.`,
        );
      }
    }),
    timingSpecs: flags.timing,
    selection: {
      strategy: flags.strategy as Strategy,
      weight: flags.weight,
      maxDurationMs: flags.maxDurationMs,
      percentile: flags.percentile as SelectionOptions['percentile'],
    },
    budgetUsd: flags.budget,
    prices: { pricePerGbSecondUsd: flags.pricePerGbSecond, pricePerRequestUsd: flags.pricePerRequest, billInit: flags.billInit },
  };
}

function list<T>(flag: string, raw: string, parse: (item: string) => T): T[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw usage(`${flag} has an empty item: "${raw}".`, `Separate values with commas and no gaps, for example ${flag} 128,256.`);
  const values = items.map(parse);
  const repeatedAt = values.findIndex((value, index) => values.indexOf(value) !== index);
  if (repeatedAt !== -1) throw usage(`${flag} names ${items[repeatedAt]} twice.`, 'Give each value once.');
  return values;
}

function wholeNumber(flag: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw usage(`${flag} must be a whole number from ${min} to ${max} (got ${value}).`, `See tune --help.`);
}

function positive(flag: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw usage(`${flag} must be a positive number (got ${value}).`, 'See tune --help.');
}

function chunkKey(key: string): string {
  if (key.trim() === '') throw usage('--chunk-key must not be empty.', 'It names the payload field that carries the chunk size; chunkSizeMb by default.');
  return key;
}

/** --payload as JSON, or @file holding JSON; it must be an object, since the chunk size is merged into it. */
function readPayload(raw: string | undefined, cwd: string): Record<string, unknown> {
  if (raw === undefined) return {};
  let text = raw;
  if (raw.startsWith('@')) {
    const file = path.resolve(cwd, raw.slice(1));
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw usage(`--payload: cannot read ${file}.`, 'Give JSON inline, or @path to a file holding JSON.');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usage(`--payload is not valid JSON: ${(error as Error).message}.`, `For example --payload '{"bucket":"my-bucket","key":"big.bin"}'.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw usage('--payload must be a JSON object.', 'The chunk size is added to it as a field, so it has to be an object like {"key":"value"}.');
  }
  return parsed as Record<string, unknown>;
}
