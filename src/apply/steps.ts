import type { ApplyChoice } from './choose.js';
import type { ApplyJournal } from './journal.js';
import type { ApplyGateway, LiveFunction } from './live.js';

/** The description of the version an apply publishes: the apply id in it is how undo knows the version is the apply's. */
export function applyVersionDescription(applyId: string, memoryMb: number): string {
  return `${applyOwnerMark(applyId)} ${memoryMb} MB`;
}

export function applyOwnerMark(applyId: string): string {
  return `lambda-tune apply ${applyId}:`;
}

/** Sets $LATEST's memory to the recommendation and waits until the update is done. */
export async function applyToLatest(choice: ApplyChoice, live: LiveFunction, journal: ApplyJournal, gateway: ApplyGateway): Promise<void> {
  journal.latestChanging();
  await gateway.setMemory(live.arn, choice.memoryMb);
  journal.applied();
}

/**
 * Points the alias at a version with the recommended memory, leaving $LATEST as it was: PublishVersion
 * publishes $LATEST's configuration, so $LATEST gets the memory for as long as publishing takes, then
 * its own back. The version is published only if $LATEST still holds the measured code, and an
 * existing alias is updated only if nobody changed it since it was read.
 */
export async function applyToAlias(choice: ApplyChoice, live: LiveFunction, journal: ApplyJournal, gateway: ApplyGateway): Promise<string> {
  const alias = live.alias;
  if (alias === undefined) throw new Error('applyToAlias needs the alias as read');
  const changeLatest = live.latestMemoryMb !== choice.memoryMb;
  if (changeLatest) {
    journal.latestChanging();
    await gateway.setMemory(live.arn, choice.memoryMb);
  }
  const version = await publishFor(choice, live, journal, gateway);
  if (changeLatest) {
    await gateway.setMemory(live.arn, live.latestMemoryMb);
    journal.latestRestored();
  }
  journal.aliasChanging();
  const description = `lambda-tune apply: ${choice.memoryMb} MB`;
  if (alias.state === undefined) await gateway.createAlias(live.arn, alias.name, version, description);
  else await gateway.updateAlias(live.arn, alias.name, version, alias.state.revisionId);
  journal.applied();
  return version;
}

async function publishFor(choice: ApplyChoice, live: LiveFunction, journal: ApplyJournal, gateway: ApplyGateway): Promise<string> {
  journal.publishing();
  const description = applyVersionDescription(journal.record.applyId, choice.memoryMb);
  const { version, created } = await gateway.publish(live.arn, description, new Set(live.existingVersions), choice.codeSha256);
  journal.published(version, created);
  await gateway.waitActive(live.arn, version);
  return version;
}
