import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { journalJson, writeDurably } from '../measure/journal.js';
import { choice, flag, memoryMb, name, object, text } from '../result/fields.js';
import { expected } from '../result/wording.js';
import { parseWith } from '../validate.js';

/** The apply journal's name in a run's folder. */
export const APPLY_FILE = 'apply.json';

/** What an apply to an alias did on the way: each field is set before the step it records. */
export interface ApplyAliasRecord {
  name: string;
  /** The version the alias pointed to before; null when the apply creates the alias. */
  originalVersion: string | null;
  /** Set just before PublishVersion is sent and cleared when its answer is recorded (undo then looks for the version by description). */
  publishing: boolean;
  /** The version the alias is pointed to. */
  version?: string | undefined;
  /** Whether the apply made that version (Lambda hands back an existing one when nothing changed): only then does undo delete it. */
  createdVersion: boolean;
  /** True from just before the alias is created or updated until it is put back. */
  changed: boolean;
}

export interface ApplyJournalData {
  applyVersion: 1;
  tool: 'lambda-tune';
  /** In the description of the version an apply publishes: how undo finds it when PublishVersion's answer was lost. */
  applyId: string;
  target: 'aws' | 'local';
  region: string;
  profile?: string | undefined;
  startedAt: string;
  /** applying: a step may be half done (restore puts it back); applied: done (undone only when asked); undone: put back. */
  state: 'applying' | 'applied' | 'undone';
  function: string;
  arn: string;
  /** The code that was measured, and that the apply checked the function still runs. */
  codeSha256: string;
  /** $LATEST's memory before the apply. */
  originalMemoryMb: number;
  appliedMemoryMb: number;
  /** True from just before $LATEST's memory is changed until it has its original memory again (with no alias: until undone). */
  latestChanged: boolean;
  alias?: ApplyAliasRecord | undefined;
}

const aliasSchema = object({
  name: name('an alias name'),
  originalVersion: name('a version number').nullable(),
  publishing: flag(),
  version: name('a version number').optional(),
  createdVersion: flag(),
  changed: flag(),
});

const applySchema: z.ZodType<ApplyJournalData> = object({
  applyVersion: z.literal(1, expected('1, the apply journal version this lambda-tune reads')),
  tool: z.literal('lambda-tune', expected('"lambda-tune"')),
  applyId: name('the apply id'),
  target: choice(['aws', 'local']),
  region: text(),
  profile: text().optional(),
  startedAt: text(),
  state: choice(['applying', 'applied', 'undone']),
  function: name('a function name'),
  arn: name('a function ARN'),
  codeSha256: name('a CodeSha256'),
  originalMemoryMb: memoryMb(),
  appliedMemoryMb: memoryMb(),
  latestChanged: flag(),
  alias: aliasSchema.optional(),
});

type Start = Omit<ApplyJournalData, 'applyVersion' | 'tool' | 'state' | 'latestChanged'>;

/**
 * What an apply changes, written (durably, as the run's journal is) before each step, so that
 * `tune restore` can put back an apply cut short, and `tune restore --undo-apply` a finished one.
 */
export class ApplyJournal {
  private constructor(
    readonly file: string,
    private readonly data: ApplyJournalData,
  ) {}

  static create(file: string, start: Start): ApplyJournal {
    mkdirSync(path.dirname(file), { recursive: true });
    const journal = new ApplyJournal(file, { applyVersion: 1, tool: 'lambda-tune', ...start, state: 'applying', latestChanged: false });
    journal.save();
    return journal;
  }

  static read(file: string): ApplyJournal {
    const raw = journalJson(file);
    return new ApplyJournal(
      file,
      parseWith(applySchema, raw, (problems) => userError('APPLY_JOURNAL_INVALID', { file, problems })),
    );
  }

  /** The apply journal in a folder, if there is one. */
  static inFolder(dir: string): ApplyJournal | undefined {
    const file = path.join(dir, APPLY_FILE);
    return existsSync(file) ? ApplyJournal.read(file) : undefined;
  }

  /** Everything the journal says, as plain data (a copy). */
  get record(): Readonly<ApplyJournalData> {
    return structuredClone(this.data);
  }

  /** An apply that was cut short: something may be half changed. */
  get pending(): boolean {
    return this.data.state === 'applying';
  }

  latestChanging(): void {
    this.data.latestChanged = true;
    this.save();
  }

  latestRestored(): void {
    this.data.latestChanged = false;
    this.save();
  }

  publishing(): void {
    this.alias().publishing = true;
    this.save();
  }

  published(version: string, created: boolean): void {
    Object.assign(this.alias(), { publishing: false, version, createdVersion: created });
    this.save();
  }

  aliasChanging(): void {
    this.alias().changed = true;
    this.save();
  }

  aliasRestored(): void {
    this.alias().changed = false;
    this.save();
  }

  /** The apply's version is gone (or never was): none is left to find. */
  versionsCleared(): void {
    Object.assign(this.alias(), { publishing: false, createdVersion: false });
    this.save();
  }

  applied(): void {
    this.data.state = 'applied';
    this.save();
  }

  undone(): void {
    this.data.state = 'undone';
    this.save();
  }

  private alias(): ApplyAliasRecord {
    if (this.data.alias === undefined) throw new Error(`The apply of ${this.file} was not to an alias`);
    return this.data.alias;
  }

  private save(): void {
    writeDurably(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
