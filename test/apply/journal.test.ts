import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_FILE, ApplyJournal } from '../../src/apply/journal.js';
import { UserError } from '../../src/errors.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:hasher';

function started(dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-apply-journal-'))): ApplyJournal {
  return ApplyJournal.create(path.join(dir, APPLY_FILE), {
    applyId: 'a1b2c3d4',
    target: 'aws',
    region: 'eu-west-1',
    startedAt: '2026-11-22T10:00:00.000Z',
    function: 'hasher',
    arn: ARN,
    codeSha256: 'CODE=',
    originalMemoryMb: 1024,
    appliedMemoryMb: 512,
    alias: { name: 'live', originalVersion: '7', publishing: false, createdVersion: false, changed: false },
  });
}

describe('the apply journal', () => {
  it('records each step before it is taken, on disk, and reads back what it wrote', () => {
    const journal = started();
    expect(ApplyJournal.read(journal.file).pending).toBe(true);
    journal.latestChanging();
    journal.publishing();
    expect(ApplyJournal.read(journal.file).record).toMatchObject({ latestChanged: true, alias: { publishing: true } });
    journal.published('8', true);
    journal.latestRestored();
    journal.aliasChanging();
    journal.applied();
    const read = ApplyJournal.read(journal.file);
    expect(read.pending).toBe(false);
    expect(read.record).toMatchObject({
      state: 'applied',
      latestChanged: false,
      alias: { name: 'live', originalVersion: '7', publishing: false, version: '8', createdVersion: true, changed: true },
    });
    expect(readdirSync(path.dirname(journal.file))).toEqual([APPLY_FILE]);
    expect(ApplyJournal.inFolder(path.dirname(journal.file))?.record.state).toBe('applied');
    expect(ApplyJournal.inFolder(tmpdir() + '/no-such-folder')).toBeUndefined();
  });

  it('names what is wrong in a journal that is not one', () => {
    const journal = started();
    const text = JSON.parse(readFileSync(journal.file, 'utf8')) as Record<string, unknown>;
    writeFileSync(journal.file, JSON.stringify({ ...text, state: 'halfway', originalMemoryMb: 64, alias: { name: 'live' } }));
    let error: unknown;
    try {
      ApplyJournal.read(journal.file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'APPLY_JOURNAL_INVALID', exitCode: 2 });
    const message = (error as UserError).message;
    expect(message).toContain(`The apply journal ${journal.file} is not a valid lambda-tune apply journal:`);
    expect(message).toContain('state: expected "applying", "applied" or "undone", got "halfway"');
    expect(message).toContain('originalMemoryMb: expected a whole number of MB from 128 to 10240, got 64');
    expect(message).toContain('alias.publishing: expected true or false, but it is missing');
  });
});
