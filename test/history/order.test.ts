import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { digestResult } from '../../src/history/digest.js';
import { loadFiles } from '../../src/history/load.js';
import { byStartTime } from '../../src/history/order.js';
import { resultFiles } from '../../src/history/sources.js';
import type { TuneResult } from '../../src/result/types.js';
import { series } from './series.js';

function startedAt(result: TuneResult, time: string): TuneResult {
  return { ...result, run: { ...result.run, startedAt: time } };
}

function thrown(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('the order of runs', () => {
  it('orders by run.startedAt, whatever order the files came in, by the instant (not the text) of the time', () => {
    const [a, b, c] = series(3);
    const digests = [
      digestResult(startedAt(c!, '2026-11-03T10:00:00.000Z'), { origin: 'c' }),
      digestResult(startedAt(a!, '2026-11-01T12:00:00+02:00'), { origin: 'a' }),
      digestResult(startedAt(b!, '2026-11-01T11:00:00.000Z'), { origin: 'b' }),
    ];
    expect(byStartTime(digests).map((d) => d.source.origin)).toEqual(['a', 'b', 'c']);
  });

  it('puts times that do not parse last, by their text, and breaks ties by the file', () => {
    const [a, b, c, d] = series(4);
    const digests = [
      digestResult(startedAt(a!, 'later'), { origin: 'a' }),
      digestResult(startedAt(b!, '2026-11-02T10:00:00Z'), { origin: 'z' }),
      digestResult(startedAt(c!, '2026-11-02T10:00:00Z'), { origin: 'y' }),
      digestResult(startedAt(d!, 'earlier'), { origin: 'd' }),
    ];
    expect(byStartTime(digests).map((x) => x.source.origin)).toEqual(['y', 'z', 'd', 'a']);
  });
});

describe('finding and reading results', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-history-'));
  const write = (relative: string, content: unknown) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const [first, second] = series(2);
  const one = write('perf/a/result.json', first);
  const two = write('perf/b/deeper/result.json', second);
  write('perf/node_modules/pkg/result.json', '{}');
  write('perf/.git/result.json', '{}');
  write('perf/a/other.json', '{}');

  it('searches folders for result.json at any depth, leaving node_modules and .git out, and takes named files as given', () => {
    expect(resultFiles([path.join(dir, 'perf')])).toEqual([one, two]);
    const named = write('loose/baseline.json', first);
    expect(resultFiles([named, path.join(dir, 'perf'), one])).toEqual([named, one, two]);
  });

  it('refuses a folder holding no results and a path that does not exist', () => {
    mkdirSync(path.join(dir, 'empty'), { recursive: true });
    expect(thrown(() => resultFiles([path.join(dir, 'empty')]))).toMatchObject({ code: 'NO_RESULTS', exitCode: 2 });
    expect(thrown(() => resultFiles([path.join(dir, 'missing.json')])).message).toMatch(/Cannot read the result .*missing\.json: it does not exist/);
  });

  it('stops at a file that is not a valid result, naming it; with skipInvalid lists it and goes on', () => {
    const bad = write('bad/result.json', { schemaVersion: 2, run: {} });
    const broken = write('broken/result.json', '{"schemaVersion": 2,');
    const files = [one, bad, broken, two].map((file) => ({ file, origin: path.relative(dir, file) }));
    expect(thrown(() => loadFiles(files, false))).toMatchObject({ code: 'RESULT_INVALID', exitCode: 2 });
    const loaded = loadFiles(files, true);
    expect(loaded.digests.map((d) => d.source.origin)).toEqual(['perf/a/result.json', 'perf/b/deeper/result.json']);
    expect(loaded.skipped.map((s) => s.origin)).toEqual(['bad/result.json', 'broken/result.json']);
    expect(loaded.skipped[0]!.reason).toMatch(/^run\.tool: expected "lambda-tune", but it is missing; run\.toolVersion: .*; … and 12 more$/);
    expect(loaded.skipped[1]!.reason).toMatch(/it is not valid JSON/);
  });

  it('keeps of each result only its warm successful durations per cell, sorted', () => {
    const digest = digestResult(first!, { origin: 'x' });
    expect([...digest.durationsMs.keys()]).toEqual(first!.analysis.cells.map((c) => c.id));
    for (const [id, values] of digest.durationsMs) {
      expect(values).toEqual(
        first!.samples
          .filter((s) => `${s.function}/${s.memoryMb}MB/chunkSizeMb=${String(s.params['chunkSizeMb'])}` === id)
          .map((s) => s.durationMs)
          .sort((x, y) => x - y),
      );
    }
  });
});
