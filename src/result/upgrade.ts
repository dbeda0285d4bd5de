import { PARAM_NAME, PAYLOAD_AXIS, RESERVED_NAMES } from '../plan/axes.js';
import { NOT_PARAMS } from './sample-columns.js';
import { cellId } from './types.js';
import { describeValue } from './wording.js';

/**
 * Results of schema version 1 varied one payload parameter, the chunk size: `chunkMb` in samples,
 * cells and the plan, its payload field in `run.chunkKey`. They are read as version 2 by turning
 * that one parameter into an axis of its own name, so old baselines stay comparable with new runs.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function without(holder: Json, key: string): Json {
  return Object.fromEntries(Object.entries(holder).filter(([name]) => name !== key));
}

export interface Upgraded {
  value: unknown;
  problems: string[];
}

/** The same result in schema version 2, or the problems with its version 1 fields; anything else is left to the schema. */
export function upgradeResult(raw: unknown): Upgraded {
  if (!isObject(raw) || raw['schemaVersion'] !== 1) return { value: raw, problems: [] };
  const problems: string[] = [];
  const run = isObject(raw['run']) ? raw['run'] : {};
  const key = axisName(run['chunkKey']);
  const paramsOf = (holder: Json, where: string) => {
    const chunk = holder['chunkMb'];
    const rest = without(holder, 'chunkMb');
    if (chunk === null || chunk === undefined) return { ...rest, params: {} };
    if (typeof chunk !== 'number' || !(chunk > 0) || !Number.isFinite(chunk))
      problems.push(`${where}.chunkMb: expected a finite number > 0 or null, got ${describeValue(chunk)}`);
    return { ...rest, params: { [key]: chunk } };
  };
  const samples: unknown = Array.isArray(raw['samples'])
    ? raw['samples'].map((s: unknown, i) => (isObject(s) ? paramsOf(s, `samples[${i}]`) : s))
    : raw['samples'];
  return {
    value: {
      ...raw,
      schemaVersion: 2,
      run: isObject(raw['run']) ? without(run, 'chunkKey') : raw['run'],
      plan: planOf(raw['plan'], key),
      samples,
      analysis: analysisOf(raw['analysis'], paramsOf),
    },
    problems,
  };
}

/**
 * The axis a version 1 chunk key becomes. Version 1 took any payload field name; one a parameter
 * may not have (`chunk.size`, `durationMs`, `payload`, `__proto__`) becomes `chunkMb`, the
 * column version 1 wrote, so the result still loads and its cells stay apart.
 */
function axisName(chunkKey: unknown): string {
  if (typeof chunkKey !== 'string' || chunkKey === '') return 'chunkSizeMb';
  const usable = PARAM_NAME.test(chunkKey) && !RESERVED_NAMES.has(chunkKey) && !NOT_PARAMS.has(chunkKey) && chunkKey !== PAYLOAD_AXIS;
  return usable ? chunkKey : 'chunkMb';
}

function planOf(plan: unknown, key: string): unknown {
  if (!isObject(plan)) return plan;
  const { chunkMb, ...rest } = plan;
  const chunks = Array.isArray(chunkMb) ? chunkMb.filter((c) => c !== null) : [];
  return { ...rest, axes: chunks.length === 0 ? [] : [{ name: key, values: chunks }] };
}

/** Cells get their parameters and new ids; the sweet spot follows its cell's new id. */
function analysisOf(analysis: unknown, paramsOf: (holder: Json, where: string) => Json): unknown {
  if (!isObject(analysis) || !Array.isArray(analysis['cells'])) return analysis;
  const renamed = new Map<unknown, string>();
  const cells = analysis['cells'].map((cell: unknown, i) => {
    if (!isObject(cell)) return cell;
    const upgraded = paramsOf(cell, `analysis.cells[${i}]`);
    const id = cellId(upgraded as unknown as Parameters<typeof cellId>[0]);
    renamed.set(cell['id'], id);
    return { ...upgraded, id };
  });
  const spot = analysis['sweetSpot'];
  const sweetSpot = isObject(spot) && renamed.has(spot['cellId']) ? { ...spot, cellId: renamed.get(spot['cellId']) } : spot;
  return { ...analysis, cells, sweetSpot };
}
