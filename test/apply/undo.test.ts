import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_FILE, ApplyJournal } from '../../src/apply/journal.js';
import { applyVersionDescription } from '../../src/apply/steps.js';
import { assertUnchangedSinceApply, undoApply, type UndoGateway } from '../../src/apply/undo.js';
import type { AliasState, VersionInfo, VersionSnapshot } from '../../src/lambda/gateway.js';

/** A function with an alias, as undo finds it; it notes each change asked of it. */
class FakeFunction implements UndoGateway {
  memoryMb = 512;
  aliases = new Map<string, string>([['live', '9']]);
  versions_: VersionInfo[] = [
    { version: '7', description: "the user's release" },
    { version: '9', description: applyVersionDescription('a1b2c3d4', 512) },
  ];
  asked: string[] = [];

  async describeVersion(name: string, version: string): Promise<VersionSnapshot> {
    return { name, version, memoryMb: this.memoryMb, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}` };
  }
  async setMemory(_name: string, memoryMb: number): Promise<void> {
    this.asked.push(`memory ${memoryMb}`);
    this.memoryMb = memoryMb;
  }
  async deleteVersion(_name: string, version: string): Promise<void> {
    this.asked.push(`delete ${version}`);
    this.versions_ = this.versions_.filter((v) => v.version !== version);
  }
  async versions(): Promise<VersionInfo[]> {
    return this.versions_;
  }
  async getAlias(_name: string, alias: string): Promise<AliasState | undefined> {
    const version = this.aliases.get(alias);
    return version === undefined ? undefined : { version, revisionId: 'r' };
  }
  async updateAlias(_name: string, alias: string, version: string): Promise<void> {
    this.asked.push(`alias ${alias} → ${version}`);
    this.aliases.set(alias, version);
  }
  async deleteAlias(_name: string, alias: string): Promise<void> {
    this.asked.push(`delete alias ${alias}`);
    this.aliases.delete(alias);
  }
}

function journalOf(alias: { publishing: boolean; version?: string; createdVersion: boolean; changed: boolean }, latestChanged: boolean): ApplyJournal {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-undo-'));
  const journal = ApplyJournal.create(path.join(dir, APPLY_FILE), {
    applyId: 'a1b2c3d4',
    target: 'aws',
    region: 'us-east-1',
    startedAt: 'now',
    function: 'hasher',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:hasher',
    codeSha256: 'CODE=',
    originalMemoryMb: 1024,
    appliedMemoryMb: 512,
    alias: { name: 'live', originalVersion: '7', ...alias },
  });
  if (latestChanged) journal.latestChanging();
  return journal;
}

describe('undoApply', () => {
  it("after a crash while publishing: puts $LATEST back and deletes the apply's version found by its description, and only that", async () => {
    const fn = new FakeFunction();
    fn.aliases.set('live', '7');
    const journal = journalOf({ publishing: true, createdVersion: false, changed: false }, true);
    expect(await undoApply(journal, fn)).toEqual(['hasher $LATEST back to 1024 MB', 'deleted version 9']);
    expect(fn.asked).toEqual(['memory 1024', 'delete 9']);
    expect(fn.aliases.get('live')).toBe('7');
    expect(ApplyJournal.read(journal.file).record).toMatchObject({ state: 'undone', latestChanged: false, alias: { publishing: false, changed: false } });
  });

  it('after a finished apply: the alias first (a version an alias serves cannot be deleted), then its version', async () => {
    const fn = new FakeFunction();
    const journal = journalOf({ publishing: false, version: '9', createdVersion: true, changed: true }, false);
    journal.applied();
    await assertUnchangedSinceApply(journal, fn);
    expect(await undoApply(journal, fn)).toEqual(['hasher:live back to version 7', 'deleted version 9']);
    expect(fn.asked).toEqual(['alias live → 7', 'delete 9']);
  });

  it('keeps a version Lambda handed back (not made by the apply)', async () => {
    const fn = new FakeFunction();
    const journal = journalOf({ publishing: false, version: '9', createdVersion: false, changed: true }, false);
    await undoApply(journal, fn);
    expect(fn.asked).toEqual(['alias live → 7']);
  });

  it('refuses to undo a finished apply someone has changed since, and changes nothing', async () => {
    const fn = new FakeFunction();
    fn.aliases.set('live', '10');
    const journal = journalOf({ publishing: false, version: '9', createdVersion: true, changed: true }, false);
    journal.applied();
    await expect(assertUnchangedSinceApply(journal, fn)).rejects.toMatchObject({
      code: 'APPLY_UNDO_CHANGED',
      exitCode: 2,
      message: expect.stringContaining(
        'the alias live of hasher points to version 10, not to version 9 the apply set; it was changed since the apply',
      ) as unknown,
    });
    expect(fn.asked).toEqual([]);
  });
});
