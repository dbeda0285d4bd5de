import { userError } from '../errors.js';
import type { AliasGateway, AliasState, Gateway } from '../lambda/gateway.js';
import type { ApplyChoice } from './choose.js';

export type ApplyGateway = Pick<Gateway, 'describe' | 'describeVersion' | 'setMemory' | 'publish' | 'waitActive' | 'deleteVersion' | 'versions'> & AliasGateway;

/** The function as it is now, read just before the apply. */
export interface LiveFunction {
  name: string;
  arn: string;
  latestMemoryMb: number;
  existingVersions: string[];
  /** With --apply-alias: the alias (undefined: there is none yet) and the memory of the version it serves. */
  alias?: { name: string; state: AliasState | undefined; memoryMb: number | undefined } | undefined;
}

/**
 * Reads the function (and the alias) and checks it still runs the code that was measured: a deploy
 * since the measurement would make the recommendation one for other code. An alias that serves
 * other code is refused too: pointing it at a version of $LATEST would deploy that code to it.
 */
export async function readLive(choice: ApplyChoice, aliasName: string | undefined, gateway: ApplyGateway): Promise<LiveFunction> {
  const latest = await gateway.describe(choice.functionName);
  assertMeasuredCode(choice, latest.codeSha256);
  const live: LiveFunction = { name: latest.name, arn: latest.arn, latestMemoryMb: latest.memoryMb, existingVersions: latest.existingVersions };
  if (aliasName === undefined) return live;
  const state = await gateway.getAlias(latest.arn, aliasName);
  if (state === undefined) return { ...live, alias: { name: aliasName, state, memoryMb: undefined } };
  const served = await gateway.describeVersion(latest.arn, state.version);
  assertMeasuredCode(choice, served.codeSha256, { name: aliasName, version: state.version });
  return { ...live, alias: { name: aliasName, state, memoryMb: served.memoryMb } };
}

/** Whether the function (or the alias) already has the recommended memory: then there is nothing to apply. */
export function alreadyApplied(choice: ApplyChoice, live: LiveFunction): boolean {
  if (live.alias === undefined) return live.latestMemoryMb === choice.memoryMb;
  return live.alias.memoryMb === choice.memoryMb;
}

function assertMeasuredCode(choice: ApplyChoice, now: string | undefined, alias?: { name: string; version: string }): void {
  if (now === choice.codeSha256) return;
  throw userError('APPLY_CODE_CHANGED', { functionName: choice.functionName, now: now ?? 'unknown', measured: choice.codeSha256, alias });
}
