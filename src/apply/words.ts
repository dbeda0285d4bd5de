import type { ApplyChoice } from './choose.js';
import type { LiveFunction } from './live.js';

/** `(recommended: 512 MB with chunkSizeMb=20; set chunkSizeMb in your payload yourself)` */
function recommended(choice: ApplyChoice): string {
  return `(recommended: ${choice.setting}${choice.payloadNote === undefined ? '' : `; ${choice.payloadNote}`})`;
}

/** `hasher $LATEST`, or `hasher:live` */
function where(live: LiveFunction): string {
  return live.alias === undefined ? `${live.name} $LATEST` : `${live.name}:${live.alias.name}`;
}

/** What the alias serves now: `version 7 at 1024 MB`, or that it does not exist yet. */
function aliasNow(live: LiveFunction): string {
  const state = live.alias?.state;
  return state === undefined ? '(a new alias)' : `version ${state.version} at ${live.alias?.memoryMb ?? '?'} MB`;
}

export function questionText(choice: ApplyChoice, live: LiveFunction): string {
  if (live.alias === undefined) return `Apply the recommendation: ${where(live)} ${live.latestMemoryMb} MB → ${choice.memoryMb} MB?`;
  return `Apply the recommendation: ${where(live)} ${aliasNow(live)} → a new version at ${choice.memoryMb} MB?`;
}

export function appliedText(choice: ApplyChoice, live: LiveFunction, version: string | undefined): string {
  if (live.alias === undefined) return `Applied: ${where(live)} ${live.latestMemoryMb} MB → ${choice.memoryMb} MB ${recommended(choice)}`;
  const latest = `$LATEST stays at ${live.latestMemoryMb} MB`;
  return `Applied: ${where(live)} ${aliasNow(live)} → version ${version ?? '?'} at ${choice.memoryMb} MB; ${latest} ${recommended(choice)}`;
}

export function unchangedText(choice: ApplyChoice, live: LiveFunction): string {
  const has = live.alias === undefined ? `already has ${choice.memoryMb} MB` : `already serves ${aliasNow(live)}`;
  return `Not changed: ${where(live)} ${has}, the recommended memory ${recommended(choice)}`;
}
