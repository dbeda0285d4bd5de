/**
 * Parameter axes: what a cell varies besides memory. A cell's parameters are set into its
 * payload by name (`--chunks 10` is `--param chunkSizeMb=10`); the payload axis picks the file the
 * payload comes from. Values keep their JSON type, so 20 and "20" are different values.
 */

export type ParamValue = number | boolean | string;
export type Params = Record<string, ParamValue>;

export interface Axis {
  name: string;
  values: ParamValue[];
}

/** The axis `--payload` makes when it names several files: its values are the files' names. */
export const PAYLOAD_AXIS = 'payload';

/** Names a payload field may have as an axis: an identifier, nothing that reaches an object's prototype. */
export const PARAM_NAME = /^[A-Za-z_$][\w$-]{0,63}$/;
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const PLAIN_WORD = /^[A-Za-z_][\w.-]*$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** How a value is written in cell ids, tables and CSV: bare where that reads back the same, JSON-quoted where it would not. */
export function valueText(value: ParamValue): string {
  if (typeof value !== 'string') return String(value);
  return PLAIN_WORD.test(value) && value !== 'true' && value !== 'false' ? value : JSON.stringify(value);
}

/** The value a bare word or a JSON-quoted string stands for: the inverse of valueText. Undefined when it reads as nothing. */
export function readValue(text: string): ParamValue | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
  if (text.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return text === '' ? undefined : text;
}

/** `chunkSizeMb=20, mode=threads`, in the order given; empty for none. */
export function paramsText(params: Params, axes?: readonly Axis[]): string {
  return orderedNames(params, axes)
    .map((name) => `${name}=${valueText(params[name] as ParamValue)}`)
    .join(', ');
}

/** The parameter names of `params` in the axes' order, then any others sorted. */
export function orderedNames(params: Params, axes?: readonly Axis[]): string[] {
  const known = (axes ?? []).map((axis) => axis.name).filter((name) => Object.hasOwn(params, name));
  const rest = Object.keys(params)
    .filter((name) => !known.includes(name))
    .sort();
  return [...known, ...rest];
}

/** The id part of a cell's parameters: sorted by name so it never depends on the order a file lists them in. */
export function paramsId(params: Params): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${name}=${valueText(params[name] as ParamValue)}`)
    .join(',');
}

/** Every combination of the axes' values, the first axis slowest; one empty combination when there are none. */
export function combinations(axes: readonly Axis[]): Params[] {
  let result: Params[] = [{}];
  for (const axis of axes) result = result.flatMap((params) => axis.values.map((value) => ({ ...params, [axis.name]: value })));
  return result;
}

export function sameParams(a: Params, b: Params): boolean {
  return paramsId(a) === paramsId(b);
}

/** Orders values within an axis: numbers, then booleans, then strings; each by its natural order. */
export function compareValues(a: ParamValue | undefined, b: ParamValue | undefined): number {
  const rank = (v: ParamValue | undefined) => (v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'boolean' ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Orders parameter sets by their values, name by name in sorted order. */
export function compareParams(a: Params, b: Params): number {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of names) {
    const order = compareValues(a[name], b[name]);
    if (order !== 0) return order;
  }
  return 0;
}
