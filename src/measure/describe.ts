import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { userError } from '../errors.js';
import { type FunctionSettings, type FunctionSnapshot, type Gateway, splitQualifier, type VersionSnapshot } from '../lambda/gateway.js';
import { runOwnerMark } from './cells.js';
import { COLD_VARIABLE, coldValue, environmentBytes, MAX_ENVIRONMENT_BYTES } from './cold-variable.js';

/** A function as the run found it, and, when it was named with an alias or version, what that named. */
export interface TunedFunction extends FunctionSnapshot {
  qualifier?: { name: string; version: string } | undefined;
  /** With a qualifier: the memory of the version it names, what the alias serves today ($LATEST's is `memoryMb`). */
  servedMemoryMb?: number | undefined;
}

export interface DescribeOptions {
  coldStarts: number;
  /** This run's id: its own versions are not another run's. */
  runId?: string | undefined;
  /** How many cold samples the run takes at most: the cold variable's value grows with it. */
  coldSamples?: number | undefined;
}

/**
 * Reads every function before anything is changed, and refuses (changing nothing) what the run
 * could not tune faithfully or put back: a function another lambda-tune run has changed; an alias
 * or version that does not run as $LATEST does (the run publishes its versions from $LATEST); or,
 * when cold starts are to be measured, variables Lambda would not show or would not take with the
 * cold variable added.
 */
export async function describeFunctions(
  gateway: Pick<Gateway, 'describe' | 'describeVersion'>,
  refs: readonly string[],
  options: DescribeOptions,
): Promise<TunedFunction[]> {
  const described: TunedFunction[] = [];
  for (const ref of refs) {
    const { functionName, qualifier } = splitQualifier(ref);
    const snapshot = await gateway.describe(functionName);
    assertNoOtherRun(snapshot, options.runId);
    if (options.coldStarts > 0) assertColdPossible(snapshot, options);
    const tuned = qualifier === undefined || qualifier === '$LATEST' ? snapshot : await withQualifier(gateway, snapshot, qualifier);
    described.push(withoutSettings(tuned));
  }
  return described;
}

/** The settings were for comparing here; they hold the variables too, which go no further than the snapshot's own. */
function withoutSettings(snapshot: TunedFunction): TunedFunction {
  const kept = { ...snapshot };
  delete kept.settings;
  return kept;
}

/** A run in flight (or one that died) leaves its versions, or its cold variable: what $LATEST holds now may be its, not the user's. */
function assertNoOtherRun(snapshot: FunctionSnapshot, runId: string | undefined): void {
  const own = runId === undefined ? undefined : runOwnerMark(runId);
  const marked = Object.entries(snapshot.versionDescriptions ?? {}).filter(
    ([, d]) => /^lambda-tune [^\s:]+:/.test(d) && (own === undefined || !d.startsWith(own)),
  );
  const evidence = [
    ...(marked.length === 0 ? [] : [`version ${marked.map(([v, d]) => `${v} "${d}"`).join(', ')}`]),
    ...(snapshot.environment?.[COLD_VARIABLE] === undefined ? [] : [`the variable ${COLD_VARIABLE} on $LATEST`]),
  ];
  if (evidence.length > 0) throw userError('TUNE_IN_PROGRESS', { functionName: snapshot.name, evidence: evidence.join('; ') });
}

/** --cold rewrites every variable with one more: they must be readable, and fit Lambda's 4 KB with it. */
function assertColdPossible(snapshot: FunctionSnapshot, options: DescribeOptions): void {
  if (snapshot.environmentError !== undefined) throw userError('ENVIRONMENT_UNREADABLE', { functionName: snapshot.name, reason: snapshot.environmentError });
  // The longest value the run gives the variable: an 8-character run id, and its last sample's number.
  const longest = coldValue(options.runId ?? 'ffffffff', options.coldSamples ?? 999_999);
  const bytes = environmentBytes({ ...snapshot.environment, [COLD_VARIABLE]: longest });
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw userError('ENVIRONMENT_TOO_LARGE', { functionName: snapshot.name, bytes, limitBytes: MAX_ENVIRONMENT_BYTES, variable: COLD_VARIABLE });
  }
}

/** The function with the version an alias (or a version number) names, once that is known to run as $LATEST does. */
async function withQualifier(gateway: Pick<Gateway, 'describeVersion'>, latest: FunctionSnapshot, qualifier: string): Promise<TunedFunction> {
  let live: VersionSnapshot;
  try {
    live = await gateway.describeVersion(latest.name, qualifier);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw userError('QUALIFIER_NOT_FOUND', { functionName: latest.name, qualifier, detail: error.message });
    throw error;
  }
  if (live.routedVersions !== undefined) throw userError('ALIAS_ROUTED', { functionName: latest.name, alias: qualifier, versions: live.routedVersions });
  if (live.codeSha256 !== latest.codeSha256) {
    const [liveSha, latestSha] = [live.codeSha256 ?? 'unknown', latest.codeSha256 ?? 'unknown'];
    throw userError('LIVE_CODE_DIFFERS', { functionName: latest.name, qualifier, version: live.version, liveSha, latestSha });
  }
  const differences = settingsDifferences(live.settings, latest.settings);
  if (differences.length > 0) throw userError('ALIAS_CONFIG_DIFFERS', { functionName: latest.name, qualifier, version: live.version, differences });
  return { ...latest, qualifier: { name: qualifier, version: live.version }, servedMemoryMb: live.memoryMb };
}

/** What a version is configured with unlike $LATEST (memory aside: that is what is tuned), in words; variables by name only. */
export function settingsDifferences(live: FunctionSettings | undefined, latest: FunctionSettings | undefined): string[] {
  if (live === undefined || latest === undefined) return [];
  const shown = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));
  const compared: [string, unknown, unknown][] = [
    ['Handler', live.handler, latest.handler],
    ['Runtime', live.runtime, latest.runtime],
    ['Layers', live.layers, latest.layers],
    ['Architectures', live.architectures, latest.architectures],
    ['Timeout', live.timeoutS, latest.timeoutS],
    ['EphemeralStorage', live.ephemeralStorageMb, latest.ephemeralStorageMb],
    ['LoggingConfig.LogGroup', live.logGroup, latest.logGroup],
  ];
  const differences = compared.filter(([, a, b]) => shown(a) !== shown(b)).map(([what, a, b]) => `${what}: ${shown(a)} there, ${shown(b)} on $LATEST`);
  const variables = variableDifferences(live, latest);
  return variables === undefined ? differences : [...differences, variables];
}

function variableDifferences(live: FunctionSettings, latest: FunctionSettings): string | undefined {
  if (live.environmentError !== undefined || latest.environmentError !== undefined) return undefined;
  const a = live.variables ?? {};
  const b = latest.variables ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).sort();
  return keys.length === 0 ? undefined : `Environment: the variables ${keys.join(', ')} differ (values not shown)`;
}
