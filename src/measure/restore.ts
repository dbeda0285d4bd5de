import type { LambdaGateway } from '../lambda/gateway.js';
import type { Journal } from './journal.js';

export interface RestoreReport {
  memoryRestored: string[];
  versionsDeleted: string[];
}

/** Puts every function of a journal back: its original memory, and none of the versions the run published. */
export async function restoreFromJournal(journal: Journal, gateway: LambdaGateway): Promise<RestoreReport> {
  const report: RestoreReport = { memoryRestored: [], versionsDeleted: [] };
  for (const fn of journal.functions) {
    if (!fn.memoryRestored) {
      await gateway.setMemory(fn.name, fn.originalMemoryMb);
      journal.memoryRestored(fn.name);
      report.memoryRestored.push(`${fn.name} → ${fn.originalMemoryMb} MB`);
    }
    for (const version of [...fn.createdVersions]) {
      await gateway.deleteVersion(fn.name, version);
      journal.versionDeleted(fn.name, version);
      report.versionsDeleted.push(`${fn.name}:${version}`);
    }
  }
  journal.finish();
  return report;
}
