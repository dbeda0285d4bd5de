import { userError } from '../errors.js';
import type { Gateway as FullGateway, UpdateGuard } from '../lambda/gateway.js';
import { isUnreachable } from '../lambda/unreachable.js';
import type { Journal, JournalFunction } from './journal.js';
import { runOwnerMark } from './cells.js';
import { variablesNotLeftByRun } from './cold-variable.js';

export interface RestoreReport {
  memoryRestored: string[];
  versionsDeleted: string[];
  /** What could not be put back; the journal stays open for `tune restore` while any remain. */
  failures: unknown[];
}

type Gateway = Pick<FullGateway, 'setMemory' | 'deleteVersion' | 'versions'>;

export interface RestoreOptions {
  /** Put the original memory and variables back even over a change someone made since the run (tune restore --force). */
  force?: boolean | undefined;
}

/**
 * Gives each changed function its original memory back, by ARN, and its original variables when
 * the run changed them (all of them, exactly as recorded: Lambda replaces the whole set); only
 * what differs is written. A function someone changed since the run is left alone (unless forced).
 * Every function is tried even when one fails.
 */
export async function restoreMemory(
  journal: Journal,
  gateway: Gateway,
  options: RestoreOptions = {},
): Promise<Pick<RestoreReport, 'memoryRestored' | 'failures'>> {
  const report: Pick<RestoreReport, 'memoryRestored' | 'failures'> = { memoryRestored: [], failures: [] };
  for (const fn of journal.functions) {
    if (fn.memoryRestored) continue;
    const environment = fn.environmentRestored === false ? fn.originalEnvironment : undefined;
    try {
      await gateway.setMemory(fn.arn, fn.originalMemoryMb, environment, options.force === true ? undefined : leftByRun(journal.runId, fn));
      journal.memoryRestored(fn.name);
      report.memoryRestored.push(`${fn.name} → ${fn.originalMemoryMb} MB${environment === undefined ? '' : ' and its environment variables'}`);
    } catch (error) {
      report.failures.push(error);
      // An endpoint that does not answer will not answer the next step either: say so now, not after every timeout.
      if (isUnreachable(error)) return report;
    }
  }
  return report;
}

/**
 * Puts every function of a journal back: its original memory, and none of the versions the run
 * published, found by the journal and by the run id in their descriptions (a version whose
 * PublishVersion answer was lost is in the second list only). Each step is tried on its own; the
 * journal is closed only when all succeeded. Used at the end of every run and by `tune restore`.
 */
export async function restoreFromJournal(journal: Journal, gateway: Gateway, options: RestoreOptions = {}): Promise<RestoreReport> {
  const report: RestoreReport = { ...(await restoreMemory(journal, gateway, options)), versionsDeleted: [] };
  if (report.failures.some(isUnreachable)) return report;
  for (const fn of journal.functions) {
    try {
      for (const version of await versionsOfRun(journal, fn, gateway)) {
        await gateway.deleteVersion(fn.arn, version);
        journal.versionDeleted(fn.name, version);
        report.versionsDeleted.push(`${fn.name}:${version}`);
      }
      journal.versionsCleared(fn.name);
    } catch (error) {
      report.failures.push(error);
      if (isUnreachable(error)) return report;
    }
  }
  if (report.failures.length === 0) journal.finish();
  return report;
}

/** The journal's versions, and any other whose description carries the run's id (and only those). */
async function versionsOfRun(journal: Journal, fn: Journal['functions'][number], gateway: Gateway): Promise<string[]> {
  if (journal.runId === '') return fn.createdVersions;
  const mark = runOwnerMark(journal.runId);
  const listed = (await gateway.versions(fn.arn)).filter((v) => v.description.startsWith(mark)).map((v) => v.version);
  return [...new Set([...fn.createdVersions, ...listed])];
}

/**
 * Whether $LATEST still holds what the run left there, as far as the journal can tell: while the
 * run had the variables changed, the original ones and at most the run's own cold variable. Any
 * other variable set is someone's deploy, which restore must not overwrite.
 */
function leftByRun(runId: string, fn: JournalFunction): UpdateGuard | undefined {
  const original = fn.originalEnvironment;
  if (fn.environmentRestored !== false || original === undefined) return undefined;
  return (latest) => {
    const what = variablesNotLeftByRun(original, latest.variables, runId);
    if (what.length === 0) return;
    const names = Object.keys(original);
    const restoredTo = `memory ${fn.originalMemoryMb} MB and ${names.length === 0 ? 'no environment variables' : `the variables ${names.join(', ')} as they were`}`;
    throw userError('RESTORE_CHANGED', { functionName: fn.name, what: what.join('; '), original: restoredTo });
  };
}
