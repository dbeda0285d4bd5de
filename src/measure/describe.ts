import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { userError } from '../errors.js';
import { type FunctionSnapshot, type Gateway, splitQualifier } from '../lambda/gateway.js';

/** A function as the run found it, and, when it was named with an alias or version, what that named. */
export interface TunedFunction extends FunctionSnapshot {
  qualifier?: { name: string; version: string } | undefined;
}

/**
 * Reads every function before anything is changed, and refuses (changing nothing) what the run
 * could not tune faithfully: an alias or version whose code is not what $LATEST holds (the run
 * publishes its versions from $LATEST), or, when cold starts are to be measured, variables Lambda
 * would not show (they could not be written back).
 */
export async function describeFunctions(
  gateway: Pick<Gateway, 'describe' | 'describeVersion'>,
  refs: readonly string[],
  options: { coldStarts: number },
): Promise<TunedFunction[]> {
  const described: TunedFunction[] = [];
  for (const ref of refs) {
    const { functionName, qualifier } = splitQualifier(ref);
    const snapshot = await gateway.describe(functionName);
    if (options.coldStarts > 0 && snapshot.environmentError !== undefined)
      throw userError('ENVIRONMENT_UNREADABLE', { functionName: snapshot.name, reason: snapshot.environmentError });
    described.push(qualifier === undefined || qualifier === '$LATEST' ? snapshot : { ...snapshot, qualifier: await liveCode(gateway, snapshot, qualifier) });
  }
  return described;
}

/** The version an alias (or a version number) names, once its code is known to be $LATEST's. */
async function liveCode(gateway: Pick<Gateway, 'describeVersion'>, latest: FunctionSnapshot, qualifier: string): Promise<{ name: string; version: string }> {
  let live;
  try {
    live = await gateway.describeVersion(latest.name, qualifier);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw userError('QUALIFIER_NOT_FOUND', { functionName: latest.name, qualifier, detail: error.message });
    throw error;
  }
  if (live.codeSha256 !== latest.codeSha256) {
    throw userError('LIVE_CODE_DIFFERS', {
      functionName: latest.name,
      qualifier,
      version: live.version,
      liveSha: live.codeSha256 ?? 'unknown',
      latestSha: latest.codeSha256 ?? 'unknown',
    });
  }
  return { name: qualifier, version: live.version };
}
