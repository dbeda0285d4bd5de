import { existsSync } from 'node:fs';
import path from 'node:path';
import { APPLY_FILE, ApplyJournal } from '../apply/journal.js';
import { assertUnchangedSinceApply, undoApply } from '../apply/undo.js';
import { targetConfigFromFlags } from '../config/target-config.js';
import { badFlag, userError } from '../errors.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { restoreFromJournal } from '../measure/restore.js';
import { JOURNAL_FILE } from '../result/files.js';
import { explainAwsError } from './aws.js';
import type { CliIo } from './io.js';
import type { RestoreFlags } from './options/restore.js';
import { openTarget } from './target.js';

/** tune restore: the run's journal first (a run cut short), then the apply's (one cut short, or a finished one with --undo-apply). */
export async function runCommand(options: RestoreFlags, io: CliIo): Promise<number> {
  const { journalFile, applyFile, dir } = journalsOf(options, io.cwd);
  // Both are read before anything is done: a journal that cannot be used says so at once.
  const journal = journalFile === undefined ? undefined : Journal.read(journalFile);
  const applied = applyFile === undefined ? undefined : ApplyJournal.read(applyFile);
  if (options.undoApply === true && applied === undefined) {
    throw badFlag('--undo-apply', `finds no apply journal (${APPLY_FILE}) in ${dir}.`, 'Give the folder of the run (or tune apply) whose apply to undo.');
  }
  if (journal !== undefined) await restoreRun(journal, options, io);
  if (applied !== undefined) await restoreApply(applied, { ...options, dir }, io);
  return 0;
}

/** The journals in the run's folder: the one --journal names (and the apply journal beside it), or those in DIR (--out). */
function journalsOf(options: RestoreFlags, cwd: string): { journalFile?: string | undefined; applyFile?: string | undefined; dir: string } {
  const given = options.journal === undefined ? undefined : path.resolve(cwd, options.journal);
  const dir = given === undefined ? path.resolve(cwd, options.dir ?? options.out ?? '.') : path.dirname(given);
  const applyFile = existsSync(path.join(dir, APPLY_FILE)) ? path.join(dir, APPLY_FILE) : undefined;
  const inDir = path.join(dir, JOURNAL_FILE);
  // With neither journal there, reading the run's says what is missing, as it always has.
  const journalFile = given ?? (existsSync(inDir) || applyFile === undefined ? inDir : undefined);
  return { journalFile, applyFile, dir };
}

async function restoreRun(journal: Journal, options: RestoreFlags, io: CliIo): Promise<void> {
  if (journal.state === 'restored') {
    io.stdout.write(`Nothing to do: the run of ${journal.file} already restored its functions.\n`);
    return;
  }
  if (journal.target === 'local') throw userError('JOURNAL_LOCAL', {});
  const names = journal.functions.map((f) => f.name).join(', ');
  await withGateway({ region: journal.region, profile: journal.profile, functionName: names }, options, io, async (gateway) => {
    const report = await restoreFromJournal(journal, gateway, { force: options.force });
    if (report.failures.length > 0) throw report.failures[0];
    io.stdout.write(
      `Restored ${report.memoryRestored.join(', ') || 'memory already in place'}; deleted ${report.versionsDeleted.join(', ') || 'no versions'}.\n`,
    );
  });
}

/** An apply cut short is put back; a finished one only with --undo-apply, and only when nobody changed the function since. */
async function restoreApply(applied: ApplyJournal, options: RestoreFlags & { dir: string }, io: CliIo): Promise<void> {
  const record = applied.record;
  if (record.state === 'undone') {
    io.stdout.write(`Nothing to do: the apply of ${applied.file} was undone.\n`);
    return;
  }
  if (record.state === 'applied' && options.undoApply !== true) {
    io.stdout.write(`The apply of ${applied.file} finished (${describeApply(applied)}) and stays; "tune restore ${options.dir} --undo-apply" undoes it.\n`);
    return;
  }
  if (record.target === 'local') throw userError('JOURNAL_LOCAL', {});
  await withGateway({ region: record.region, profile: record.profile, functionName: record.function }, options, io, async (gateway) => {
    if (!applied.pending) await assertUnchangedSinceApply(applied, gateway);
    const finished = !applied.pending;
    const done = await undoApply(applied, gateway);
    const what = done.join('; ') || 'nothing had changed yet';
    io.stdout.write(finished ? `Undone: ${what}.\n` : `Put back the apply that did not finish: ${what}.\n`);
  });
}

/** `hasher $LATEST 1024 MB → 512 MB`, or `hasher:live → version 9 at 512 MB` */
function describeApply(applied: ApplyJournal): string {
  const { function: name, originalMemoryMb, appliedMemoryMb, alias } = applied.record;
  if (alias === undefined) return `${name} $LATEST ${originalMemoryMb} MB → ${appliedMemoryMb} MB`;
  return `${name}:${alias.name} → version ${alias.version ?? '?'} at ${appliedMemoryMb} MB`;
}

/** A gateway where the journal says the functions are (the region and profile it names, unless the flags say otherwise). */
async function withGateway(
  recorded: { region: string; profile: string | undefined; functionName: string },
  options: RestoreFlags,
  io: CliIo,
  work: (gateway: LambdaGateway) => Promise<void>,
): Promise<void> {
  const where = { ...options, region: options.region ?? recorded.region, profile: options.profile ?? recorded.profile };
  const target = await openTarget(targetConfigFromFlags(where, undefined, io.cwd, io.env), io);
  try {
    await work(new LambdaGateway(target.lambda, target.logs));
  } catch (error) {
    throw explainAwsError(error, { functionName: recorded.functionName, region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}
