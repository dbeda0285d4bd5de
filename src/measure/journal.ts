import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';
import { choice, flag, list, memoryMb, name, object, text } from '../result/fields.js';
import { expected } from '../result/wording.js';
import { parseWith } from '../validate.js';

export interface JournalFunction {
  name: string;
  arn: string;
  originalMemoryMb: number;
  /** Versions this run published; only these are ever deleted. */
  createdVersions: string[];
  memoryRestored: boolean;
}

export interface JournalData {
  journalVersion: 1;
  tool: 'lambda-tune';
  target: 'aws' | 'local';
  region: string;
  profile?: string | undefined;
  startedAt: string;
  state: 'running' | 'restored';
  functions: JournalFunction[];
}

const journalFunctionSchema = object({
  name: name('a function name'),
  arn: name('a function ARN'),
  originalMemoryMb: memoryMb(),
  createdVersions: list(name('a version number'), 'a list of version numbers'),
  memoryRestored: flag(),
});

/** What `tune restore` trusts a journal for: only what a run wrote, so nothing it does is built on a guess. */
const journalSchema: z.ZodType<JournalData> = object({
  journalVersion: z.literal(1, expected('1, the journal version this lambda-tune reads')),
  tool: z.literal('lambda-tune', expected('"lambda-tune"')),
  target: choice(['aws', 'local']),
  region: text(),
  profile: text().optional(),
  startedAt: text(),
  state: choice(['running', 'restored']),
  functions: list(journalFunctionSchema, 'a list of functions'),
});

/**
 * Everything needed to put the tuned functions back, on disk before the first change and after
 * every step, so `tune restore` can finish the job after a crash. Writes are atomic (rename).
 */
export class Journal {
  private constructor(
    readonly file: string,
    private readonly data: JournalData,
  ) {}

  static create(file: string, data: Omit<JournalData, 'journalVersion' | 'tool' | 'state' | 'functions'>): Journal {
    mkdirSync(path.dirname(file), { recursive: true });
    const journal = new Journal(file, { journalVersion: 1, tool: 'lambda-tune', state: 'running', functions: [], ...data });
    journal.save();
    return journal;
  }

  /** Reads a journal: a user error saying why when the file cannot be read, or what in it is wrong. */
  static read(file: string): Journal {
    let raw: unknown;
    try {
      raw = readJson(file);
    } catch (error) {
      if (error instanceof FileReadError) throw userError('JOURNAL_UNREADABLE', { file, reason: error.reason });
      throw error;
    }
    return new Journal(
      file,
      parseWith(journalSchema, raw, (problems) => userError('JOURNAL_INVALID', { file, problems })),
    );
  }

  get state(): JournalData['state'] {
    return this.data.state;
  }

  get functions(): readonly JournalFunction[] {
    return this.data.functions;
  }

  get target(): JournalData['target'] {
    return this.data.target;
  }

  get region(): string {
    return this.data.region;
  }

  /** A function the run will tune; untouched (so nothing to restore) until memoryChanged says otherwise. */
  addFunction(name: string, arn: string, originalMemoryMb: number): void {
    this.data.functions.push({ name, arn, originalMemoryMb, createdVersions: [], memoryRestored: true });
    this.save();
  }

  versionCreated(name: string, version: string): void {
    this.fn(name).createdVersions.push(version);
    this.save();
  }

  versionDeleted(name: string, version: string): void {
    const fn = this.fn(name);
    fn.createdVersions = fn.createdVersions.filter((v) => v !== version);
    this.save();
  }

  memoryChanged(name: string): void {
    this.fn(name).memoryRestored = false;
    this.save();
  }

  memoryRestored(name: string): void {
    this.fn(name).memoryRestored = true;
    this.save();
  }

  /** Whether anything the run changed is still to be put back. */
  get needsRestore(): boolean {
    return this.data.state === 'running' && this.data.functions.some((f) => !f.memoryRestored || f.createdVersions.length > 0);
  }

  finish(): void {
    this.data.state = 'restored';
    this.save();
  }

  private fn(name: string): JournalFunction {
    const fn = this.data.functions.find((f) => f.name === name);
    if (fn === undefined) throw new Error(`${name} is not in the journal`);
    return fn;
  }

  private save(): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}
