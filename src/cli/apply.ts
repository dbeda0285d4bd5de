import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chooseApply, type ApplyChoice } from '../apply/choose.js';
import { confirm } from '../apply/confirm.js';
import { APPLY_FILE, ApplyJournal } from '../apply/journal.js';
import { alreadyApplied, type ApplyGateway, type LiveFunction, readLive } from '../apply/live.js';
import { applyToAlias, applyToLatest } from '../apply/steps.js';
import { undoApply } from '../apply/undo.js';
import { appliedText, questionText, unchangedText } from '../apply/words.js';
import { findConfigFile } from '../config/config-file.js';
import { type TargetConfig, targetConfigFromFlags } from '../config/target-config.js';
import { badFlag, EXIT, userError } from '../errors.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { readResult } from '../result/files.js';
import { explainAwsError } from './aws.js';
import type { CliIo } from './io.js';
import type { ApplyFlags } from './options/apply.js';
import { openTarget, type Target } from './target.js';

/** An apply asked for and checked before anything runs: where its journal goes, to what, and whether to ask first. */
export interface ApplyRequest {
  alias?: string | undefined;
  yes: boolean;
  /** The folder whose apply.json journals it. */
  dir: string;
}

/** Where the function is, as the journal records it. */
interface Where {
  kind: 'aws' | 'local';
  region: string;
  profile: string | undefined;
}

/** tune apply: read the result → choose what to apply → check the function → ask → apply → one line. */
export async function runCommand(flags: ApplyFlags, io: CliIo): Promise<number> {
  return applyResult(flags, io);
}

/** tune apply on a target of its own, or on one the caller opened (the package's API, with a platform it started). */
export async function applyResult(flags: ApplyFlags, io: CliIo, opened?: Target): Promise<number> {
  const job = prepareApply(flags, io);
  const target = opened ?? (await openTarget(job.target, io));
  try {
    const local = target.kind === 'local';
    const gateway = new LambdaGateway(target.lambda, target.logs, { settlePollMs: local ? 100 : 1000 });
    await applyChoice(job.choice, job.request, { gateway, where: target, io, say: io.stdout });
    return EXIT.ok;
  } catch (error) {
    throw explainAwsError(error, { functionName: job.choice.functionName, region: target.region, profile: target.profile }) ?? error;
  } finally {
    if (opened === undefined) await target.close();
  }
}

/** Everything tune apply needs, read and checked before the first request. */
function prepareApply(flags: ApplyFlags, io: CliIo): { choice: ApplyChoice; request: ApplyRequest; target: TargetConfig } {
  const file = path.resolve(io.cwd, flags.result);
  const result = readResult(file);
  if ((result.run.target === 'local') !== flags.local) throw userError('APPLY_WRONG_TARGET', { file, local: flags.local });
  const request = applyRequest({ alias: flags.alias, yes: flags.yes, flag: 'tune apply' }, io, path.resolve(io.cwd, flags.out ?? path.dirname(file)));
  const choice = chooseApply(result, flags.function);
  // The result's region and profile unless the user says otherwise: the function is where the run found it.
  const where = { ...flags, region: flags.region ?? (flags.local ? undefined : result.run.region), profile: flags.profile ?? result.run.profile };
  return { choice, request, target: targetConfigFromFlags(where, findConfigFile(flags.config, io.cwd), io.cwd, io.env) };
}

// Lambda's alias names: letters, digits, - and _, not all digits (that is a version), up to 128.
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/;

/**
 * Checks an apply's flags before the first request: an alias Lambda would refuse, no terminal to
 * ask on without --yes, and an earlier apply in the folder that did not finish (its journal is the
 * only record of how the function was).
 */
export function applyRequest(flags: { alias?: string | undefined; yes: boolean; flag: string }, io: CliIo, dir: string): ApplyRequest {
  const { alias } = flags;
  if (alias !== undefined && !ALIAS_NAME.test(alias)) {
    const flag = flags.flag === 'tune apply' ? '--alias' : '--apply-alias';
    throw badFlag(flag, `"${alias}" is not an alias name.`, 'An alias name has letters, digits, - and _ (up to 128), and is not a number.');
  }
  if (!flags.yes && io.stdinIsTty !== true) throw userError('APPLY_NEEDS_YES', { flag: flags.flag });
  assertNoPendingApply(dir);
  return { alias, yes: flags.yes, dir };
}

/** An apply in this folder that did not finish: its journal is the only record of how the function was, so nothing may write over it. */
export function assertNoPendingApply(dir: string): void {
  const earlier = ApplyJournal.inFolder(dir);
  if (earlier?.pending === true) throw userError('APPLY_PENDING', { file: earlier.file, dir });
}

export interface ApplyContext {
  gateway: ApplyGateway;
  where: Where;
  io: CliIo;
  /** Where the outcome's one line goes. */
  say: { write(text: string): unknown };
}

/** Reads the function, says when there is nothing to change, asks (unless --yes), applies, and says what it did in one line. */
export async function applyChoice(choice: ApplyChoice, request: ApplyRequest, context: ApplyContext): Promise<void> {
  const { gateway, io, say } = context;
  const live = await readLive(choice, request.alias, gateway);
  if (alreadyApplied(choice, live)) {
    say.write(`${unchangedText(choice, live)}\n`);
    return;
  }
  if (!request.yes && !(await confirm(questionText(choice, live), { stdin: stdinOf(io), stderr: io.stderr }))) {
    say.write('Not applied: the answer was no. Nothing was changed.\n');
    return;
  }
  const journal = ApplyJournal.create(path.join(request.dir, APPLY_FILE), journalStart(choice, live, context.where));
  const version = await perform(choice, live, journal, context);
  say.write(`${appliedText(choice, live, version)}\n`);
}

function stdinOf(io: CliIo): NodeJS.ReadableStream {
  if (io.stdin === undefined) throw new Error('A question was to be asked with no stdin to read the answer from');
  return io.stdin();
}

function journalStart(choice: ApplyChoice, live: LiveFunction, where: Where) {
  const alias = live.alias === undefined ? undefined : { name: live.alias.name, originalVersion: live.alias.state?.version ?? null };
  return {
    applyId: randomBytes(4).toString('hex'),
    target: where.kind,
    region: where.region,
    profile: where.profile,
    startedAt: new Date().toISOString(),
    function: live.name,
    arn: live.arn,
    codeSha256: choice.codeSha256,
    originalMemoryMb: live.latestMemoryMb,
    appliedMemoryMb: choice.memoryMb,
    alias: alias === undefined ? undefined : { ...alias, publishing: false, createdVersion: false, changed: false },
  };
}

/**
 * The apply's steps, each journaled before it is taken. A Ctrl-C lets them finish (they take
 * seconds); a failure puts back what was done, and when even that fails the journal is left for
 * `tune restore`.
 */
async function perform(choice: ApplyChoice, live: LiveFunction, journal: ApplyJournal, { gateway, io }: ApplyContext): Promise<string | undefined> {
  const restore = `tune restore ${path.dirname(journal.file)}`;
  const stopListening = io.onInterrupt(() => {
    io.stderr.write(`\nFinishing the apply first (it takes seconds). Ctrl-C again quits at once; then run "${restore}" to put it back.\n`);
  });
  try {
    if (live.alias !== undefined) return await applyToAlias(choice, live, journal, gateway);
    await applyToLatest(choice, live, journal, gateway);
    return undefined;
  } catch (error) {
    await undoAfterFailure(journal, gateway, io, restore);
    throw error;
  } finally {
    stopListening();
  }
}

async function undoAfterFailure(journal: ApplyJournal, gateway: ApplyGateway, io: CliIo, restore: string): Promise<void> {
  try {
    const done = await undoApply(journal, gateway);
    io.stderr.write(`The apply failed; put back: ${done.join('; ') || 'nothing had changed yet'}.\n`);
  } catch {
    io.stderr.write(`The apply failed and what it changed could not be put back. When the cause is fixed, run: ${restore}\n`);
  }
}
