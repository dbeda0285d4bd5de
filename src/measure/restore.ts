import type { Gateway as FullGateway } from '../lambda/gateway.js';
import type { Journal } from './journal.js';

export interface RestoreReport {
  memoryRestored: string[];
  versionsDeleted: string[];
  /** What could not be put back; the journal stays open for `tune restore` while any remain. */
  failures: unknown[];
}

type Gateway = Pick<FullGateway, 'setMemory' | 'deleteVersion'>;

/** Gives each changed function its original memory back; every function is tried even when one fails. */
export async function restoreMemory(journal: Journal, gateway: Gateway): Promise<Pick<RestoreReport, 'memoryRestored' | 'failures'>> {
  const report: Pick<RestoreReport, 'memoryRestored' | 'failures'> = { memoryRestored: [], failures: [] };
  for (const fn of journal.functions) {
    if (fn.memoryRestored) continue;
    try {
      await gateway.setMemory(fn.name, fn.originalMemoryMb);
      journal.memoryRestored(fn.name);
      report.memoryRestored.push(`${fn.name} → ${fn.originalMemoryMb} MB`);
    } catch (error) {
      report.failures.push(error);
    }
  }
  return report;
}

/**
 * Puts every function of a journal back: its original memory, and none of the versions the run
 * published. Each step is tried on its own; the journal is closed only when all succeeded. Used
 * at the end of every run and by `tune restore` after a crash.
 */
export async function restoreFromJournal(journal: Journal, gateway: Gateway): Promise<RestoreReport> {
  const report: RestoreReport = { ...(await restoreMemory(journal, gateway)), versionsDeleted: [] };
  for (const fn of journal.functions) {
    for (const version of [...fn.createdVersions]) {
      try {
        await gateway.deleteVersion(fn.name, version);
        journal.versionDeleted(fn.name, version);
        report.versionsDeleted.push(`${fn.name}:${version}`);
      } catch (error) {
        report.failures.push(error);
      }
    }
  }
  if (report.failures.length === 0) journal.finish();
  return report;
}
