import { userError } from '../errors.js';
import type { ApplyAliasRecord, ApplyJournal } from './journal.js';
import type { ApplyGateway } from './live.js';
import { applyOwnerMark } from './steps.js';

export type UndoGateway = Pick<ApplyGateway, 'describeVersion' | 'setMemory' | 'deleteVersion' | 'versions' | 'getAlias' | 'updateAlias' | 'deleteAlias'>;

/**
 * Puts back what an apply changed, the last step first, each recorded as it is done: the alias to
 * the version it served (or gone, when the apply created it), $LATEST's memory, and the version the
 * apply published (found by its description too, when PublishVersion's answer was lost). Returns
 * what it did, in words.
 */
export async function undoApply(journal: ApplyJournal, gateway: UndoGateway): Promise<string[]> {
  const done: string[] = [];
  const { arn, function: name, originalMemoryMb, alias } = journal.record;
  if (alias?.changed === true) {
    done.push(await restoreAlias(arn, name, alias, gateway));
    journal.aliasRestored();
  }
  if (journal.record.latestChanged) {
    await gateway.setMemory(arn, originalMemoryMb);
    journal.latestRestored();
    done.push(`${name} $LATEST back to ${originalMemoryMb} MB`);
  }
  if (alias !== undefined) {
    for (const version of await versionsOfApply(journal, gateway)) {
      await gateway.deleteVersion(arn, version);
      done.push(`deleted version ${version}`);
    }
    journal.versionsCleared();
  }
  journal.undone();
  return done;
}

/** Before a finished apply is undone: the function (or its alias) must still be as the apply left it, or undoing would overwrite another change. */
export async function assertUnchangedSinceApply(journal: ApplyJournal, gateway: UndoGateway): Promise<void> {
  const { arn, function: name, appliedMemoryMb, alias } = journal.record;
  if (alias === undefined) {
    const memoryMb = (await gateway.describeVersion(arn, '$LATEST')).memoryMb;
    if (memoryMb !== appliedMemoryMb) changed(journal, `${name} $LATEST has ${memoryMb} MB, not the ${appliedMemoryMb} MB applied`);
    return;
  }
  const now = await gateway.getAlias(arn, alias.name);
  if (now?.version !== alias.version) {
    const points = now === undefined ? 'is gone' : `points to version ${now.version}`;
    changed(journal, `the alias ${alias.name} of ${name} ${points}, not to version ${alias.version ?? '?'} the apply set`);
  }
}

async function restoreAlias(arn: string, name: string, alias: ApplyAliasRecord, gateway: UndoGateway): Promise<string> {
  if (alias.originalVersion === null) {
    await gateway.deleteAlias(arn, alias.name);
    return `deleted the alias ${alias.name} of ${name} (the apply had created it)`;
  }
  await gateway.updateAlias(arn, alias.name, alias.originalVersion);
  return `${name}:${alias.name} back to version ${alias.originalVersion}`;
}

/** The version the apply made, and any whose description carries the apply's id (one whose PublishVersion answer was lost). */
async function versionsOfApply(journal: ApplyJournal, gateway: UndoGateway): Promise<string[]> {
  const { arn, applyId, alias } = journal.record;
  const made = alias?.createdVersion === true && alias.version !== undefined ? [alias.version] : [];
  if (alias?.publishing !== true) return made;
  const mark = applyOwnerMark(applyId);
  const listed = (await gateway.versions(arn)).filter((v) => v.description.startsWith(mark)).map((v) => v.version);
  return [...new Set([...made, ...listed])];
}

function changed(journal: ApplyJournal, what: string): never {
  throw userError('APPLY_UNDO_CHANGED', { file: journal.file, what });
}
