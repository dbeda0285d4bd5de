import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { ApplyJournalData } from '../../src/apply/journal.js';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune } from './cli.js';
import { fixture, startTestPlatform, type TestPlatform } from './platform.js';

/** The function every apply test tunes: a no-op at 192 MB, which no run measures, so a recommendation always changes it. */
export const FUNCTION = 'noop';
export const ORIGINAL_MB = 192;

export function startApplyPlatform(): Promise<TestPlatform> {
  return startTestPlatform({ functions: [fixture('noop', { memoryMb: ORIGINAL_MB })] });
}

/** The CLI as a process, pointed at the platform as it would be at AWS. */
export function tuneOn(t: TestPlatform, args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return spawnTune(args, awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region, ...env })).done;
}

/** A small run's arguments: two memory sizes, neither the function's own. */
export const RUN = ['--function', FUNCTION, '--memory', '128,256', '--invocations', '3', '--warmup', '0'];

export function freshDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `lambda-tune-${name}-`));
}

export function readResultIn(dir: string): TuneResult {
  return JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as TuneResult;
}

export function readApplyJournal(dir: string): ApplyJournalData {
  return JSON.parse(readFileSync(path.join(dir, 'apply.json'), 'utf8')) as ApplyJournalData;
}

/** The memory the result recommends. */
export function recommendedMb(result: TuneResult): number {
  const cell = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  if (cell === undefined) throw new Error('the result recommends nothing');
  return cell.memoryMb;
}

/** The function as Lambda shows it: $LATEST's memory, its versions, and its aliases with the version each serves. */
export async function found(t: TestPlatform) {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FUNCTION }));
  const aliases = await t.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }));
  return {
    memoryMb: config.MemorySize,
    versions: versions.Versions?.map((v) => v.Version),
    aliases: Object.fromEntries((aliases.Aliases ?? []).map((a): [string, string | undefined] => [a.Name ?? '', a.FunctionVersion])),
  };
}

export async function memoryOf(t: TestPlatform, qualifier?: string): Promise<number | undefined> {
  return (await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION, Qualifier: qualifier }))).MemorySize;
}

/** Back to the function as the platform served it: no aliases, no versions, its own memory. */
export async function reset(t: TestPlatform): Promise<void> {
  for (const alias of (await t.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }))).Aliases ?? []) {
    await t.lambda.send(new DeleteAliasCommand({ FunctionName: FUNCTION, Name: alias.Name }));
  }
  for (const version of (await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FUNCTION }))).Versions ?? []) {
    if (version.Version !== '$LATEST') await t.lambda.send(new DeleteFunctionCommand({ FunctionName: FUNCTION, Qualifier: version.Version }));
  }
  await setMemory(t, ORIGINAL_MB);
}

export async function setMemory(t: TestPlatform, memoryMb: number): Promise<void> {
  await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION, MemorySize: memoryMb }));
  for (;;) {
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
    if (config.LastUpdateStatus !== 'InProgress') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function expectNoStack(run: Finished): void {
  if (/\n\s+at /.test(run.stderr)) throw new Error(`a stack trace reached the user:\n${run.stderr}`);
}
