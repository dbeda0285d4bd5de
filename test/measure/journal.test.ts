import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCommand } from '../../src/cli/restore.js';
import { UserError } from '../../src/errors.js';
import { Journal } from '../../src/measure/journal.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-journal-read-'));

function written(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function refusal(file: string): UserError {
  try {
    Journal.read(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`${file} was accepted`);
}

/** A journal a run wrote, one function changed and a version published. */
function journalText(): string {
  const file = path.join(mkdtempSync(path.join(dir, 'run-')), 'journal.json');
  const journal = Journal.create(file, { runId: 'a1b2c3d4', target: 'aws', region: 'eu-west-1', startedAt: '2026-11-21T10:00:00.000Z' });
  journal.addFunction('hasher', 'arn:aws:lambda:eu-west-1:123456789012:function:hasher', 512);
  journal.memoryChanged('hasher');
  journal.publishing('hasher');
  journal.published('hasher', '7');
  return readFileSync(file, 'utf8');
}

describe('Journal.read', () => {
  it('reads back what a run wrote, also with a byte order mark in front', () => {
    for (const text of [journalText(), `\uFEFF${journalText()}`]) {
      const journal = Journal.read(written('journal.json', text));
      expect([journal.state, journal.target, journal.region, journal.needsRestore]).toEqual(['running', 'aws', 'eu-west-1', true]);
      expect(journal.functions).toEqual([
        {
          name: 'hasher',
          arn: 'arn:aws:lambda:eu-west-1:123456789012:function:hasher',
          originalMemoryMb: 512,
          createdVersions: ['7'],
          publishing: false,
          memoryRestored: false,
        },
      ]);
    }
  });

  it('names every element of functions that is not a function, and what it should be', () => {
    const journal = JSON.parse(journalText()) as Record<string, unknown>;
    const file = written('bad.json', JSON.stringify({ ...journal, functions: [{}, 'x', null] }));
    const error = refusal(file);
    expect(error).toMatchObject({ code: 'JOURNAL_INVALID', exitCode: 2 });
    expect(error.message).toBe(
      [
        `The journal ${file} is not a valid lambda-tune journal:`,
        '  functions[0].name: expected a function name, but it is missing',
        '  functions[0].arn: expected a function ARN, but it is missing',
        '  functions[0].originalMemoryMb: expected a whole number of MB from 128 to 10240, but it is missing',
        '  functions[0].createdVersions: expected a list of version numbers, but it is missing',
        '  functions[0].publishing: expected true or false, but it is missing',
        '  functions[0].memoryRestored: expected true or false, but it is missing',
        '  functions[1]: expected an object, got "x"',
        '  functions[2]: expected an object, got null',
      ].join('\n'),
    );
  });

  it.each([
    ['null', 'null', '(the whole document): expected an object, got null'],
    ['another tool', journalText().replace('"lambda-tune"', '"other"'), 'tool: expected "lambda-tune", got "other"'],
    ['an unknown state', journalText().replace('"running"', '"paused"'), 'state: expected "running" or "restored", got "paused"'],
  ])('refuses %s', (_, text, problem) => {
    expect(refusal(written('odd.json', text)).message).toContain(`\n  ${problem}`);
  });

  it('says why a journal cannot be read', () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder, { recursive: true });
    expect(refusal(folder)).toMatchObject({ code: 'JOURNAL_UNREADABLE', message: `Cannot read the journal ${folder}: it is a folder, not a file.` });
    expect(refusal(path.join(dir, 'nowhere.json')).message).toMatch(/: it does not exist\.$/);
    expect(refusal(written('cut.json', '{"journalVersion": 1,')).message).toMatch(/: it is not valid JSON \(.+\)\.$/);
  });

  it('reaches the user of tune restore as it is', async () => {
    const file = written('restore.json', JSON.stringify({ ...(JSON.parse(journalText()) as object), functions: ['x'] }));
    const io = { cwd: dir, stdout: { write: () => true }, stderr: { write: () => true } } as unknown as CliIo;
    const error = await runCommand({ journal: file } as Parameters<typeof runCommand>[0], io).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOURNAL_INVALID', message: expect.stringContaining('functions[0]: expected an object, got "x"') as unknown });
  });
});

describe('tune restore DIR', () => {
  const io = { cwd: dir, stdout: { write: () => true }, stderr: { write: () => true } } as unknown as CliIo;
  const restore = (options: Partial<Parameters<typeof runCommand>[0]>) => runCommand({ local: false, seedMb: 32, ...options }, io).catch((e: unknown) => e);

  it('says the journal does not exist when the folder holds neither journal', async () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    expect(await restore({ dir: empty })).toMatchObject({
      code: 'JOURNAL_UNREADABLE',
      message: `Cannot read the journal ${empty}/journal.json: it does not exist.`,
    });
  });

  it('refuses --undo-apply where no apply was journaled', async () => {
    const folder = path.dirname(written('run-only/journal.json', journalText()));
    expect(await restore({ dir: folder, undoApply: true })).toMatchObject({
      code: 'FLAG_INVALID',
      exitCode: 2,
      message: `--undo-apply finds no apply journal (apply.json) in ${folder}.`,
    });
  });
});

describe('the journal on disk', () => {
  it('leaves no temporary file behind, and names each by its process', () => {
    const folder = mkdtempSync(path.join(dir, 'writes-'));
    const journal = Journal.create(path.join(folder, 'journal.json'), { runId: 'feedc0de', target: 'aws', region: 'us-east-1', startedAt: 'now' });
    journal.addFunction('f', 'arn:aws:lambda:us-east-1:123456789012:function:f', 256);
    journal.memoryChanged('f');
    journal.publishing('f');
    expect(Journal.read(journal.file).needsRestore).toBe(true);
    expect(Journal.read(journal.file).functions[0]?.publishing).toBe(true);
    journal.published('f', undefined);
    journal.memoryRestored('f');
    expect(Journal.read(journal.file).needsRestore).toBe(false);
    expect(readdirSync(folder)).toEqual(['journal.json']);
  });

  it('reads a journal of lambda-tune 0.1 (no run id), so an upgrade never strands a restore', () => {
    const old = {
      journalVersion: 1,
      tool: 'lambda-tune',
      target: 'aws',
      region: 'eu-west-1',
      startedAt: '2026-11-01T00:00:00.000Z',
      state: 'running',
      functions: [{ name: 'f', arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f', originalMemoryMb: 256, createdVersions: ['4'], memoryRestored: false }],
    };
    const journal = Journal.read(written('old.json', JSON.stringify(old)));
    expect([journal.runId, journal.needsRestore, journal.functions[0]?.publishing, journal.functions[0]?.createdVersions]).toEqual(['', true, false, ['4']]);
  });
});
