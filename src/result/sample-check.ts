import { PARAM_NAME, RESERVED_NAMES } from '../plan/axes.js';
import { MEMORY_MAX_MB, MEMORY_MIN_MB } from './fields.js';
import { NOT_PARAMS } from './sample-columns.js';
import { sampleSchema, SAMPLE_STATUSES } from './schema.js';
import type { Sample } from './types.js';

/**
 * A result's samples checked by hand, for speed: zod takes about 4 µs a sample, so two results of
 * 150,000 samples took over a second to check. Every sample is held to what sampleSchema asks,
 * and its function to the result's functions, as the schema's cross-check does; the samples come
 * back as zod would give them (each sample's fields in the schema's order, fields it does not know
 * left out). Anything zod would refuse, and anything unusual (a sample or a `params` or `timings`
 * that is not a plain object, an own `__proto__` in them), gives undefined: the caller then has
 * zod check the whole result, which says what is wrong in the words it always has.
 */
export function soundSamples(samples: unknown, functionNames: ReadonlySet<string>): Sample[] | undefined {
  if (!Array.isArray(samples)) return undefined;
  const sound: Sample[] = new Array<Sample>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const sample: unknown = samples[i];
    if (!isPlainObject(sample) || !isSound(sample, functionNames)) return undefined;
    sound[i] = inSchemaOrder(sample);
  }
  return sound;
}

/** The sample's fields, in the schema's order: read from the schema, so that the two cannot drift apart. */
const SAMPLE_FIELDS: readonly string[] = Object.keys(sampleSchema.shape);
const STATUS = new Set<unknown>(SAMPLE_STATUSES);

function isSound(s: Record<string, unknown>, functionNames: ReadonlySet<string>): boolean {
  const fn = s['function'];
  return (
    typeof fn === 'string' &&
    fn !== '' &&
    functionNames.has(fn) &&
    isMemoryMb(s['memoryMb']) &&
    isParams(s['params']) &&
    isNonNegative(s['durationMs']) &&
    isNonNegative(s['billedDurationMs']) &&
    isNonNegative(s['maxMemoryUsedMb']) &&
    optional(s, 'initDurationMs', isNonNegative) &&
    STATUS.has(s['status']) &&
    optional(s, 'errorType', isString) &&
    typeof s['cold'] === 'boolean' &&
    optional(s, 'coldProbe', isBoolean) &&
    typeof s['warmup'] === 'boolean' &&
    isTimings(s['timings']) &&
    optional(s, 'requestId', isString)
  );
}

/** Absent, or present and sound (a field present but undefined is left to zod). */
function optional(s: Record<string, unknown>, field: string, sound: (value: unknown) => boolean): boolean {
  return !Object.hasOwn(s, field) || sound(s[field]);
}

const isString = (value: unknown): boolean => typeof value === 'string';
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const isFinite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isNonNegative = (value: unknown): boolean => isFinite(value) && (value as number) >= 0;

function isMemoryMb(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= MEMORY_MIN_MB && value <= MEMORY_MAX_MB;
}

/** As paramsSchema: names as --param takes them, none a measurement column; values numbers, booleans or strings. */
function isParams(value: unknown): boolean {
  if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) return false;
  for (const name in value) {
    if (!PARAM_NAME.test(name) || RESERVED_NAMES.has(name) || NOT_PARAMS.has(name)) return false;
    const v = value[name];
    if (!isFinite(v) && typeof v !== 'boolean' && typeof v !== 'string') return false;
  }
  return true;
}

function isTimings(value: unknown): boolean {
  if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) return false;
  for (const name in value) if (!isFinite(value[name])) return false;
  return true;
}

/** An object as JSON.parse makes one. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The sample itself when its fields are in the schema's order and it has no others (a result
 * tune wrote, read back), else a copy that has them so. Its `params` and `timings` are its own:
 * zod would copy them key for key, in their order.
 */
function inSchemaOrder(s: Record<string, unknown>): Sample {
  let at = 0;
  let ordered = true;
  for (const field in s) {
    while (at < SAMPLE_FIELDS.length && SAMPLE_FIELDS[at] !== field) at++;
    if (at === SAMPLE_FIELDS.length) {
      ordered = false;
      break;
    }
    at++;
  }
  if (ordered) return s as unknown as Sample;
  const copy: Record<string, unknown> = {};
  for (const field of SAMPLE_FIELDS) if (Object.hasOwn(s, field)) copy[field] = s[field];
  return copy as unknown as Sample;
}
