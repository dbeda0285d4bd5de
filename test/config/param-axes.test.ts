import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkAxis, paramAxis, readPayloads, splitValues } from '../../src/config/param-axes.js';
import { workloadFromFlags } from '../../src/config/tune-config.js';
import { UserError } from '../../src/errors.js';
import { cellPayload } from '../../src/measure/run.js';
import { combinations, paramsId, readValue, valueText } from '../../src/plan/axes.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('it was accepted');
}

const workload = (extra: Partial<Parameters<typeof workloadFromFlags>[0]>) =>
  workloadFromFlags({ param: [], payload: [], chunkKey: 'chunkSizeMb', invocations: '1', warmup: '0', timing: [], ...extra }, tmpdir());

describe('--param', () => {
  it('reads numbers, booleans, bare words and JSON-quoted strings, keeping their order', () => {
    expect(paramAxis('mode=serial,threads,async')).toEqual({ name: 'mode', values: ['serial', 'threads', 'async'] });
    expect(paramAxis('workers=1, 4,16')).toEqual({ name: 'workers', values: [1, 4, 16] });
    expect(paramAxis('gzip=true,false')).toEqual({ name: 'gzip', values: [true, false] });
    expect(paramAxis('label="a,b",c,"20","true"')).toEqual({ name: 'label', values: ['a,b', 'c', '20', 'true'] });
    expect(paramAxis('offset=-1.5,0,1e3')).toEqual({ name: 'offset', values: [-1.5, 0, 1000] });
    expect(splitValues('"a\\",b",c')).toEqual(['"a\\",b"', 'c']);
  });

  it('refuses what it cannot read, naming the flag', () => {
    expect(refusal(() => paramAxis('mode'))).toMatch(/--param "mode" has no values/);
    expect(refusal(() => paramAxis('mode=a,,b'))).toMatch(/empty value/);
    expect(refusal(() => paramAxis('mode=a,a'))).toMatch(/names a twice/);
    expect(refusal(() => paramAxis('2x=1'))).toMatch(/not a payload field name/);
    expect(refusal(() => paramAxis('__proto__=1'))).toMatch(/not a payload field name/);
    expect(refusal(() => paramAxis('durationMs=1,2'))).toMatch(/measurement column/);
    expect(refusal(() => paramAxis('payload=a'))).toMatch(/payload axis/);
    expect(refusal(() => paramAxis('label="a,b'))).toMatch(/not valid/);
    expect(refusal(() => chunkAxis('1,0', 'chunkSizeMb'))).toMatch(/--chunks 0 is not a positive number/);
    expect(refusal(() => workload({ chunks: '1', param: ['chunkSizeMb=2'] }))).toMatch(/axis chunkSizeMb twice/);
  });

  it('keeps 20 and "20" apart in cell ids, and writes values back as they read', () => {
    expect(paramsId({ n: 20 })).not.toBe(paramsId({ n: '20' }));
    for (const value of [20, -1.5, true, 'serial', '20', 'true', 'a,b', 'x y', '"q"', '']) {
      expect(value === '' ? undefined : readValue(valueText(value))).toBe(value === '' ? undefined : value);
    }
    expect(paramsId({ b: 1, a: 'x' })).toBe('a=x,b=1');
  });

  it('makes memory × every combination, the first axis slowest', () => {
    expect(combinations([])).toEqual([{}]);
    expect(
      combinations([
        { name: 'a', values: [1, 2] },
        { name: 'b', values: ['x', 'y'] },
      ]),
    ).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });
});

describe('--payload', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-payloads-'));
  writeFileSync(path.join(dir, 'small.json'), '{"size":1}');
  writeFileSync(path.join(dir, 'big.json'), '{"size":2,"mode":"x"}');
  writeFileSync(path.join(dir, 'notes.txt'), 'not a payload');

  it('is one payload given once, and an axis of file names given several times or as a folder', () => {
    expect(readPayloads(['{"a":1}'], dir)).toEqual({ payload: { a: 1 } });
    expect(readPayloads([`@${dir}`], dir)).toEqual({
      payload: { size: 2, mode: 'x' },
      payloads: { big: { size: 2, mode: 'x' }, small: { size: 1 } },
      axis: { name: 'payload', values: ['big', 'small'] },
    });
    expect(readPayloads(['@small.json', '@big.json'], dir).axis).toEqual({ name: 'payload', values: ['small', 'big'] });
  });

  it("sets a cell's parameters into the payload its file holds", () => {
    const { payload, payloads } = readPayloads([`@${dir}`], dir);
    expect(cellPayload({ payload, payloads }, { payload: 'small', mode: 'y' })).toEqual({ size: 1, mode: 'y' });
    expect(cellPayload({ payload, payloads }, { payload: 'big' })).toEqual({ size: 2, mode: 'x' });
    expect(cellPayload({ payload: { a: 1 } }, { chunkSizeMb: 10 })).toEqual({ a: 1, chunkSizeMb: 10 });
  });

  it('refuses inline JSON among several, two files of one name, and a folder with no JSON', () => {
    expect(refusal(() => readPayloads(['{"a":1}', '@small.json'], dir))).toMatch(/takes files when it is given more than once/);
    expect(refusal(() => readPayloads(['@small.json', `@${dir}`], dir))).toMatch(/names two payloads small/);
    const empty = mkdtempSync(path.join(tmpdir(), 'lambda-tune-empty-'));
    expect(refusal(() => readPayloads([`@${empty}`], dir))).toMatch(/holds no \.json files/);
  });
});

describe('--param and --payload at the edges', () => {
  it('refuses a number no double holds, and takes a quote inside a bare word as a character', () => {
    expect(refusal(() => paramAxis('x=1e400'))).toMatch(/number out of range: 1e400/);
    expect(paramAxis('x="1e400"')).toEqual({ name: 'x', values: ['1e400'] });
    expect(paramAxis('x=a"b,c')).toEqual({ name: 'x', values: ['a"b', 'c'] });
  });

  it('keeps a payload file named __proto__.json as a payload', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-proto-'));
    writeFileSync(path.join(dir, 'a.json'), '{"n":1}');
    writeFileSync(path.join(dir, '__proto__.json'), '{"n":2}');
    const read = readPayloads([`@${dir}`], dir);
    expect(read.axis).toEqual({ name: 'payload', values: ['__proto__', 'a'] });
    expect(Object.getPrototypeOf(read.payloads)).toBeNull();
    expect(cellPayload(read, { payload: '__proto__' })).toEqual({ n: 2 });
  });
});
