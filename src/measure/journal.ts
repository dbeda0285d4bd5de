import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';
import { choice, flag, list, memoryMb, name, object, record, text } from '../result/fields.js';
import { expected } from '../result/wording.js';
import { parseWith } from '../validate.js';

export interface JournalFunction {
  name: string;
  arn: string;
  originalMemoryMb: number;
  /** Versions this run published; only these are ever deleted. */
  createdVersions: string[];
  /**
   * Set just before PublishVersion is sent and cleared when its answer is recorded: while set, a
   * version may exist that the journal cannot name, and restore finds it by the run id in its
   * description.
   */
  publishing: boolean;
  memoryRestored: boolean;
  /**
   * $LATEST's variables before the run ({} when it had none): recorded only when the run will
   * change them (cold starts), so restore can write them back exactly; dropped as soon as they are
   * back, and when the journal is finished, so no variable (a secret, maybe) outlives the need.
   */
  originalEnvironment?: Record<string, string> | undefined;
  /** False from just before the run changes $LATEST's variables until they are written back; absent: never changed. */
  environmentRestored?: boolean | undefined;
}

export interface JournalData {
  journalVersion: 2;
  tool: 'lambda-tune';
  /** Written into the description of every version the run publishes: how restore tells them from anyone else's. */
  runId: string;
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
  publishing: flag(),
  memoryRestored: flag(),
  originalEnvironment: record(text()).optional(),
  environmentRestored: flag().optional(),
});

/** What `tune restore` trusts a journal for: only what a run wrote, so nothing it does is built on a guess. */
const journalSchema: z.ZodType<JournalData> = object({
  journalVersion: z.literal(2, expected('2, the journal version this lambda-tune reads')),
  tool: z.literal('lambda-tune', expected('"lambda-tune"')),
  runId: name('the run id'),
  target: choice(['aws', 'local']),
  region: text(),
  profile: text().optional(),
  startedAt: text(),
  state: choice(['running', 'restored']),
  functions: list(journalFunctionSchema, 'a list of functions'),
});

/**
 * A journal of lambda-tune 0.1, which recorded neither the run id nor publishing: read as one
 * whose versions are all named in it (restore then deletes exactly those, as 0.1 did).
 */
const firstJournalSchema: z.ZodType<JournalData> = object({
  journalVersion: z.literal(1),
  tool: z.literal('lambda-tune', expected('"lambda-tune"')),
  target: choice(['aws', 'local']),
  region: text(),
  profile: text().optional(),
  startedAt: text(),
  state: choice(['running', 'restored']),
  functions: list(journalFunctionSchema.omit({ publishing: true, originalEnvironment: true, environmentRestored: true }), 'a list of functions'),
}).transform((old) => ({ ...old, journalVersion: 2 as const, runId: '', functions: old.functions.map((fn) => ({ ...fn, publishing: false })) }));

function schemaFor(raw: unknown): z.ZodType<JournalData> {
  const version = (raw as { journalVersion?: unknown } | null)?.journalVersion;
  return version === 1 ? firstJournalSchema : journalSchema;
}

/** Unique to this process and this write, so two runs writing into one folder never share a temporary file. */
let writes = 0;

/**
 * Everything needed to put the tuned functions back, on disk before the first change and after
 * every step, so `tune restore` can finish the job after a crash. Each write is atomic (a
 * temporary file renamed over the journal) and durable (the file and its folder are synced
 * before the step it records is taken).
 */
export class Journal {
  private constructor(
    readonly file: string,
    private readonly data: JournalData,
  ) {}

  static create(file: string, data: Omit<JournalData, 'journalVersion' | 'tool' | 'state' | 'functions'>): Journal {
    mkdirSync(path.dirname(file), { recursive: true });
    const journal = new Journal(file, { journalVersion: 2, tool: 'lambda-tune', state: 'running', functions: [], ...data });
    journal.save();
    return journal;
  }

  /** Reads a journal: a user error saying why when the file cannot be read, or what in it is wrong. */
  static read(file: string): Journal {
    const raw = journalJson(file);
    return new Journal(
      file,
      parseWith(schemaFor(raw), raw, (problems) => userError('JOURNAL_INVALID', { file, problems })),
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

  get profile(): string | undefined {
    return this.data.profile;
  }

  get runId(): string {
    return this.data.runId;
  }

  /**
   * A function the run will tune; untouched (so nothing to restore) until memoryChanged says
   * otherwise. `originalEnvironment` is given when the run will change its variables.
   */
  addFunction(name: string, arn: string, originalMemoryMb: number, originalEnvironment?: Readonly<Record<string, string>>): void {
    const fn: JournalFunction = { name, arn, originalMemoryMb, createdVersions: [], publishing: false, memoryRestored: true };
    if (originalEnvironment !== undefined) fn.originalEnvironment = { ...originalEnvironment };
    this.data.functions.push(fn);
    this.save();
  }

  /** Recorded before PublishVersion is sent: from here until `published`, restore looks for the run's versions by description. */
  publishing(name: string): void {
    this.fn(name).publishing = true;
    this.save();
  }

  /** PublishVersion answered: the version this run made, or undefined when Lambda handed back one that already existed. */
  published(name: string, version: string | undefined): void {
    const fn = this.fn(name);
    if (version !== undefined) fn.createdVersions.push(version);
    fn.publishing = false;
    this.save();
  }

  versionDeleted(name: string, version: string): void {
    const fn = this.fn(name);
    fn.createdVersions = fn.createdVersions.filter((v) => v !== version);
    this.save();
  }

  /** Every version of the run that Lambda lists for this function is gone: none is left to find. */
  versionsCleared(name: string): void {
    const fn = this.fn(name);
    fn.createdVersions = [];
    fn.publishing = false;
    this.save();
  }

  memoryChanged(name: string): void {
    this.fn(name).memoryRestored = false;
    this.save();
  }

  /** Recorded before $LATEST's variables change: from here restore writes back the original ones. */
  environmentChanged(name: string): void {
    const fn = this.fn(name);
    if (fn.originalEnvironment === undefined) throw new Error(`The journal has no original environment of ${name} to restore`);
    fn.memoryRestored = false;
    fn.environmentRestored = false;
    this.save();
  }

  /** $LATEST has its original memory again (and its original variables, if the run had changed them: the journal forgets them). */
  memoryRestored(name: string): void {
    const fn = this.fn(name);
    fn.memoryRestored = true;
    if (fn.environmentRestored === false) {
      fn.environmentRestored = true;
      delete fn.originalEnvironment;
    }
    this.save();
  }

  /** Whether anything the run changed is still to be put back. */
  get needsRestore(): boolean {
    return this.data.state === 'running' && this.data.functions.some((f) => !f.memoryRestored || f.publishing || f.createdVersions.length > 0);
  }

  /** Everything is back: the journal keeps no variables from here on. */
  finish(): void {
    this.data.state = 'restored';
    for (const fn of this.data.functions) delete fn.originalEnvironment;
    this.save();
  }

  private fn(name: string): JournalFunction {
    const fn = this.data.functions.find((f) => f.name === name);
    if (fn === undefined) throw new Error(`${name} is not in the journal`);
    return fn;
  }

  private save(): void {
    // Owner only: while --cold has them changed it holds the function's variables, which may be secrets.
    writeDurably(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}

/**
 * Writes a journal so that a crash leaves either the old file or the new one, and the new one is
 * on disk before the caller takes the step it records: a temporary file of this process (owner
 * only), synced, renamed over the file, and the folder synced.
 */
/** A journal file's JSON (the run's or an apply's); a user error saying why when it cannot be read. */
export function journalJson(file: string): unknown {
  try {
    return readJson(file);
  } catch (error) {
    if (error instanceof FileReadError) throw userError('JOURNAL_UNREADABLE', { file, reason: error.reason });
    throw error;
  }
}

export function writeDurably(file: string, text: string): void {
  const temporary = `${file}.${process.pid}-${++writes}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncFolder(path.dirname(file));
}

/** Makes a rename in a folder durable: without it a crash can leave the old journal in place. */
function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
