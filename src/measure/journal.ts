import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

  /** Reads a journal; throws with a readable message when the file is not one. */
  static read(file: string): Journal {
    const data = JSON.parse(readFileSync(file, 'utf8')) as JournalData;
    if (data.tool !== 'lambda-tune' || data.journalVersion !== 1 || !Array.isArray(data.functions)) {
      throw new Error(`${file} is not a lambda-tune journal`);
    }
    return new Journal(file, data);
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
