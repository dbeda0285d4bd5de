import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult } from '../../src/result/files.js';
import type { ParamValue, TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

type Json = Record<string, unknown>;

/** A result as lambda-tune wrote it before parameter axes: the chunk size as `chunkMb`, ids like hasher/512MB/20MB. */
function asVersion1(result: TuneResult): Json {
  const oldId = (fn: string, memoryMb: number, chunk: ParamValue | undefined) => `${fn}/${memoryMb}MB/${chunk === undefined ? '-' : `${String(chunk)}MB`}`;
  const cells = result.analysis.cells.map(({ params, ...cell }) => ({
    ...cell,
    chunkMb: params['chunkSizeMb'] ?? null,
    id: oldId(cell.function, cell.memoryMb, params['chunkSizeMb']),
  }));
  const spot = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  return {
    ...result,
    schemaVersion: 1,
    run: { ...result.run, chunkKey: 'chunkSizeMb' },
    plan: { functions: result.plan.functions, memoryMb: result.plan.memoryMb, chunkMb: result.plan.axes[0]?.values ?? [null] },
    samples: result.samples.map(({ params, ...sample }) => ({ ...sample, chunkMb: params['chunkSizeMb'] ?? null })),
    analysis: {
      ...result.analysis,
      cells,
      sweetSpot:
        result.analysis.sweetSpot === null || spot === undefined
          ? null
          : { ...result.analysis.sweetSpot, cellId: oldId(spot.function, spot.memoryMb, spot.params['chunkSizeMb']) },
    },
  };
}

function written(value: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-upgrade-')), 'result.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('results of schema version 1', () => {
  it('read as version 2: the chunk size becomes an axis of its payload field, ids and the sweet spot follow', () => {
    const current = twoFunctionResult();
    const old = asVersion1(current);
    expect(JSON.stringify(old)).toContain('"hasher-arm/512MB/20MB"');
    expect(readResult(written(old), 'baseline')).toEqual(current);
  });

  it('keep a custom chunk key as the axis name, and a run without chunks as no axis', () => {
    const old = asVersion1(twoFunctionResult());
    const custom = readResult(written({ ...old, run: { ...(old['run'] as Json), chunkKey: 'blockMb' } }));
    expect(custom.plan.axes).toEqual([{ name: 'blockMb', values: [1, 20] }]);
    expect(custom.analysis.sweetSpot?.cellId).toBe('hasher-arm/512MB/blockMb=20');
    const samples = (old['samples'] as Json[]).map((s) => ({ ...s, chunkMb: null }));
    const cells = ((old['analysis'] as Json)['cells'] as Json[]).slice(0, 1).map((c) => ({ ...c, chunkMb: null, id: 'hasher/128MB/-' }));
    const none = readResult(
      written({ ...old, plan: { ...(old['plan'] as Json), chunkMb: [null] }, samples, analysis: { ...(old['analysis'] as Json), cells, sweetSpot: null } }),
    );
    expect(none.plan.axes).toEqual([]);
    expect(none.samples[0]?.params).toEqual({});
    expect(none.analysis.cells[0]?.id).toBe('hasher/128MB');
  });

  it('name the place of a chunk size that is not one', () => {
    const old = asVersion1(twoFunctionResult());
    (old['samples'] as Json[])[3] = { ...(old['samples'] as Json[])[3], chunkMb: 'ten' };
    expect(() => readResult(written(old))).toThrow(/samples\[3\]\.chunkMb: expected a finite number > 0 or null, got "ten"/);
  });
});

describe('version 1 chunk keys a parameter may not have', () => {
  it.each(['chunk.size', 'chunk size', 'durationMs', 'payload', '__proto__'])('read %s as the axis chunkMb, every cell kept apart', (chunkKey) => {
    const old = asVersion1(twoFunctionResult());
    const upgraded = readResult(written({ ...old, run: { ...(old['run'] as Json), chunkKey } }));
    expect(upgraded.plan.axes).toEqual([{ name: 'chunkMb', values: [1, 20] }]);
    expect(upgraded.samples.every((s) => s.params['chunkMb'] === 1 || s.params['chunkMb'] === 20)).toBe(true);
    expect(new Set(upgraded.analysis.cells.map((c) => c.id)).size).toBe(8);
  });
});
