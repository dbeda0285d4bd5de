import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readResult, readSamplesFile, samplesWriter, SAMPLES_FILE } from '../../src/result/files.js';
import { twoFunctionResult } from '../helpers/results.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-read-result-'));

function written(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The result as JSON text, after `edit` has changed it. */
function resultText(edit: (result: Record<string, unknown> & { samples: Record<string, unknown>[] }) => void): string {
  const result = JSON.parse(JSON.stringify(twoFunctionResult())) as Parameters<typeof edit>[0];
  edit(result);
  return JSON.stringify(result);
}

function refusal(file: string, role: 'result' | 'baseline' = 'result'): UserError {
  try {
    readResult(file, role);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`${file} was accepted`);
}

describe('readResult', () => {
  it('reads a result tune wrote, and one with a byte order mark in front', () => {
    const text = JSON.stringify(twoFunctionResult(), null, 2);
    expect(readResult(written('plain.json', text))).toEqual(twoFunctionResult());
    expect(readResult(written('bom.json', `\uFEFF${text}`))).toEqual(twoFunctionResult());
  });

  it.each([
    ['null', 'null', /\(the whole document\): expected an object, got null/],
    ['an empty list', '[]', /\(the whole document\): expected an object, got an empty list/],
    ['no analysis', resultText((r) => delete r['analysis']), /\n {2}analysis: expected an object, but it is missing$/],
    [
      'a string duration',
      resultText((r) => (r.samples[12]!['durationMs'] = '812 ms')),
      /samples\[12\]\.durationMs: expected a finite number ≥ 0, got "812 ms"/,
    ],
    ['a negative duration', resultText((r) => (r.samples[3]!['durationMs'] = -1)), /samples\[3\]\.durationMs: expected a finite number ≥ 0, got -1/],
    [
      'an infinite duration',
      resultText((r) => (r.samples[0]!['durationMs'] = 1234.5)).replace('1234.5', '1e999'),
      /samples\[0\]\.durationMs: expected a finite number ≥ 0, got Infinity/,
    ],
  ])('refuses %s, naming the file and the place in it', (_, text, message) => {
    const file = written('bad.json', text);
    const error = refusal(file);
    expect(error.code).toBe('RESULT_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`The result ${file} is not a valid lambda-tune result:`);
    expect(error.message).toMatch(message);
  });

  it('says which schema version a result has and which this version reads, and nothing else', () => {
    const file = written(
      'newer.json',
      resultText((r) => ((r['schemaVersion'] = 3), delete r['analysis'])),
    );
    const error = refusal(file, 'baseline');
    expect(error.message).toBe(
      `The baseline ${file} is not a valid lambda-tune result:\n  schemaVersion: not a lambda-tune result of a schema version this lambda-tune reads (1 or 2; it says 3)`,
    );
  });

  it('says why a file cannot be read: a folder, a missing file, text that is not JSON', () => {
    const folder = path.join(dir, 'folder.json');
    mkdirSync(folder, { recursive: true });
    expect(refusal(folder).message).toBe(`Cannot read the result ${folder}: it is a folder, not a file.`);
    expect(refusal(path.join(dir, 'nowhere.json'), 'baseline')).toMatchObject({
      code: 'RESULT_UNREADABLE',
      exitCode: 2,
      message: `Cannot read the baseline ${path.join(dir, 'nowhere.json')}: it does not exist.`,
    });
    expect(refusal(written('cut.json', '{"schemaVersion": 1, "samples": [')).message).toMatch(/: it is not valid JSON \(.+\)\.$/);
  });
});

describe('samples.jsonl of a run that was killed', () => {
  it('drops the half line the kill left, so what a resumed run appends reads back whole', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-samples-'));
    const [first, second] = twoFunctionResult().samples;
    writeFileSync(path.join(dir, SAMPLES_FILE), `${JSON.stringify(first)}\n${JSON.stringify(second).slice(0, 40)}`);
    const invalid = (problems: string[]) => new Error(problems.join('; '));
    expect(readSamplesFile(path.join(dir, SAMPLES_FILE), invalid)).toEqual([first]);
    const write = samplesWriter(dir, true);
    if (second !== undefined) write(second);
    expect(readSamplesFile(path.join(dir, SAMPLES_FILE), invalid)).toEqual([first, second]);
  });
});
