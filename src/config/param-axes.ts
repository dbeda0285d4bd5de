import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { badFlag } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';
import { NOT_PARAMS } from '../result/sample-columns.js';
import { type Axis, PARAM_NAME, PAYLOAD_AXIS, type ParamValue, readValue, RESERVED_NAMES, valueText } from '../plan/axes.js';

/**
 * `--param NAME=V1,V2,…`, `--chunks` and `--payload` as axes. A value is a number, true or false,
 * a bare word (a string), or a JSON-quoted string, which may hold a comma: `--param 'label="a,b",c'`.
 */

const PARAM_EXAMPLE =
  'for example --param mode=serial,threads,async or --param workers=1,4,16 (a JSON-quoted value may hold a comma: --param \'label="a,b",c\')';

/** One `--param` as an axis. */
export function paramAxis(raw: string): Axis {
  const equals = raw.indexOf('=');
  const name = equals === -1 ? raw.trim() : raw.slice(0, equals).trim();
  if (equals === -1) throw badFlag('--param', `"${raw}" has no values.`, `Write NAME=V1,V2, ${PARAM_EXAMPLE}.`);
  assertParamName('--param', name);
  if (name === PAYLOAD_AXIS)
    throw badFlag(
      '--param',
      `"${PAYLOAD_AXIS}" names the payload axis, which --payload makes.`,
      'Give several --payload files (or --payload @dir) to vary the payload.',
    );
  return {
    name,
    values: distinct(
      '--param',
      splitValues(raw.slice(equals + 1)).map((item) => valueOf(name, item)),
    ),
  };
}

/** `--chunks 1,10` as the axis of the payload field --chunk-key names: positive numbers only. */
export function chunkAxis(raw: string, key: string): Axis {
  assertParamName('--chunk-key', key);
  const values = splitValues(raw).map((item) => {
    const value = readValue(item);
    if (typeof value !== 'number' || !(value > 0))
      throw badFlag('--chunks', `${item} is not a positive number.`, 'Chunk sizes are positive decimal numbers of MB, for example --chunks 1,10,20,50.');
    return value;
  });
  return { name: key, values: distinct('--chunks', values) };
}

/** The axes of a run, refusing one name given twice (--chunks and a --param of its field, or two --param). */
export function assertDistinctAxes(axes: readonly Axis[]): void {
  const names = axes.map((axis) => axis.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined)
    throw badFlag('--param', `names the axis ${twice} twice (--chunks sets the field --chunk-key names).`, 'Give each axis once, with all its values.');
}

function assertParamName(flag: string, name: string): void {
  if (!PARAM_NAME.test(name) || RESERVED_NAMES.has(name))
    throw badFlag(
      flag,
      `"${name}" is not a payload field name lambda-tune sets.`,
      'Use letters, digits, _, $ and -, starting with a letter, _ or $ (at most 64).',
    );
  if (NOT_PARAMS.has(name))
    throw badFlag(
      flag,
      `"${name}" is the name of a measurement column in samples.csv, so it cannot name a parameter.`,
      'Rename the payload field, or set it in --payload.',
    );
}

function valueOf(name: string, item: string): ParamValue {
  if (NUMBER_LIKE.test(item) && !Number.isFinite(Number(item)))
    throw badFlag('--param', `${name} has a number out of range: ${item}.`, 'Give a number a double holds, or quote it as a string ("1e400").');
  const value = readValue(item);
  if (value === undefined) throw badFlag('--param', `${name} has a value that is not valid: ${item}.`, `Quote strings as JSON, ${PARAM_EXAMPLE}.`);
  return value;
}

const NUMBER_LIKE = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Splits at commas outside JSON-quoted strings, trimming each item; refuses an empty one. */
export function splitValues(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted && char === '\\') {
      current += char + (text[i + 1] ?? '');
      i++;
      continue;
    }
    // A quote opens a JSON string only at the start of an item; inside a bare word it is just a character.
    if (char === '"' && (quoted || current.trim() === '')) quoted = !quoted;
    if (char === ',' && !quoted) {
      items.push(current.trim());
      current = '';
    } else current += char;
  }
  items.push(current.trim());
  if (items.some((item) => item === ''))
    throw badFlag('--param', `has an empty value: "${text}".`, `Separate values with commas and no gaps, ${PARAM_EXAMPLE}.`);
  return items;
}

function distinct<T extends ParamValue>(flag: string, values: T[]): T[] {
  const repeatedAt = values.findIndex((value, index) => values.indexOf(value) !== index);
  if (repeatedAt !== -1) throw badFlag(flag, `names ${valueText(values[repeatedAt] as T)} twice.`, 'Give each value once.');
  return values;
}

/** Lambda takes at most 6 MB (6291456 bytes) a synchronous invocation; leave room for the parameters set into it. */
const PAYLOAD_LIMIT_BYTES = 6_291_456 - 1024;

export interface Payloads {
  /** The payload every cell starts from: the only one, or the first file's. */
  payload: Record<string, unknown>;
  /** With several files: each by name, and the axis that picks one per cell. */
  payloads?: Record<string, Record<string, unknown>> | undefined;
  axis?: Axis | undefined;
}

/** `--payload` given once (JSON or @file), or several times and as @dir: then the payload is an axis of file names. */
export function readPayloads(raws: readonly string[], cwd: string): Payloads {
  if (raws.length === 0) return { payload: {} };
  if (raws.length === 1 && !isFolder(raws[0] as string, cwd)) return { payload: onePayload(raws[0] as string, cwd) };
  const files = raws.flatMap((raw) => {
    if (!raw.startsWith('@'))
      throw badFlag(
        '--payload',
        'takes files when it is given more than once: inline JSON has no name to show in the tables.',
        'Write each payload to a file and give --payload @file for each, or --payload @folder.',
      );
    const target = path.resolve(cwd, raw.slice(1));
    return isFolder(raw, cwd) ? folderFiles(target) : [target];
  });
  // No prototype: a file named __proto__.json is a payload like any other, not the object's prototype.
  const payloads = Object.create(null) as Record<string, Record<string, unknown>>;
  for (const file of files) {
    const name = path.basename(file).replace(/\.json$/i, '');
    if (Object.hasOwn(payloads, name))
      throw badFlag('--payload', `names two payloads ${name}.`, 'Each payload is named by its file name; give files with different names.');
    payloads[name] = checkedPayload(fileJson(file));
  }
  const names = Object.keys(payloads);
  return { payload: payloads[names[0] as string] ?? {}, payloads, axis: { name: PAYLOAD_AXIS, values: names } };
}

function isFolder(raw: string, cwd: string): boolean {
  if (!raw.startsWith('@')) return false;
  try {
    return statSync(path.resolve(cwd, raw.slice(1))).isDirectory();
  } catch {
    return false;
  }
}

function folderFiles(folder: string): string[] {
  const files = readdirSync(folder)
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort()
    .map((name) => path.join(folder, name));
  if (files.length === 0) throw badFlag('--payload', `@${folder} holds no .json files.`, 'Put one payload per .json file in the folder.');
  return files;
}

function onePayload(raw: string, cwd: string): Record<string, unknown> {
  return checkedPayload(raw.startsWith('@') ? fileJson(path.resolve(cwd, raw.slice(1))) : payloadText(raw));
}

function checkedPayload(parsed: unknown): Record<string, unknown> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badFlag('--payload', 'must be a JSON object.', 'The parameters are added to it as fields, so it has to be an object like {"key":"value"}.');
  }
  if (Buffer.byteLength(JSON.stringify(parsed)) > PAYLOAD_LIMIT_BYTES) {
    throw badFlag(
      '--payload',
      'is larger than the 6 MB Lambda accepts for an invocation.',
      'Pass a smaller payload, for example a pointer to the data (a bucket and key) rather than the data.',
    );
  }
  return parsed as Record<string, unknown>;
}

function fileJson(file: string): unknown {
  try {
    return readJson(file);
  } catch (error) {
    if (error instanceof FileReadError)
      throw badFlag('--payload', `cannot use ${file}: ${error.reason}.`, 'Give JSON inline, or @path to a file holding JSON.');
    throw error;
  }
}

function payloadText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badFlag('--payload', `is not valid JSON: ${(error as Error).message}.`, `For example --payload '{"bucket":"my-bucket","key":"big.bin"}'.`);
  }
}
