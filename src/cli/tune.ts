import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chooseApply, gateRefusal } from '../apply/choose.js';
import { isFallbackPrice } from '../cost/prices.js';
import { badFlag, EXIT, explainFileError, userError } from '../errors.js';
import type { GateReport } from '../gate/compare.js';
import { runTune } from '../engine/run-tune.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { restoreFromJournal } from '../measure/restore.js';
import { renderTerminal } from '../report/terminal.js';
import { REPORT_FORMATS } from '../report/write.js';
import { JOURNAL_FILE, RESULT_FILE } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import { type ApplyContext, applyChoice, applyRequest, type ApplyRequest, assertNoPendingApply } from './apply.js';
import { explainAwsError } from './aws.js';
import { gateJson, judge } from './compare.js';
import type { CliIo } from './io.js';
import type { TuneFlags } from './options/tune.js';
import { describePlan } from './plan-text.js';
import { progressReporter } from './progress.js';
import { openTarget, type Target } from './target.js';
import { prepareTune, type TuneJob } from './tune-job.js';
import { writeReportFiles } from './write-reports.js';

/** The gate's verdicts in the run's folder. */
export const GATE_FILE = 'gate.json';

/** The tune command: check every input → plan → measure → analyse → write the reports → gate → apply → exit code. */
export async function runCommand(flags: TuneFlags, io: CliIo): Promise<number> {
  const job = prepareTune(flags, io);
  const apply = applyRequestOf(flags, job, io);
  const target = await openTarget(job.target, io);
  try {
    const gateway = gatewayFor(target);
    if (job.dryRun || job.run.budgetUsd !== undefined) io.stderr.write(await describePlan(job.run, gateway, target));
    if (job.dryRun) return EXIT.ok;
    const result = await measureAndAnalyse(job, gateway, target, io);
    writeOutputs(result, job, io);
    return await conclude(result, job, apply, { gateway, where: target, io, say: io.stderr });
  } catch (error) {
    warnIfNotRestored(path.join(job.out, JOURNAL_FILE), io);
    throw explainAwsError(error, { functionName: job.run.functions.join(', '), region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}

function gatewayFor(target: Target): LambdaGateway {
  const local = target.kind === 'local';
  // On loopback an update settles in a fraction of a second: polling each second would idle (a --cold run waits for one per cold start).
  return new LambdaGateway(target.lambda, target.logs, { logWaitMs: local ? 2000 : 30_000, logPollMs: local ? 100 : 1000, settlePollMs: local ? 100 : 1000 });
}

async function measureAndAnalyse(job: TuneJob, gateway: LambdaGateway, target: Target, io: CliIo): Promise<TuneResult> {
  const progress = progressReporter(io);
  try {
    if (job.resumed?.pendingJournal !== undefined) await finishRestore(job.resumed.pendingJournal, gateway, io);
    return await runTune(job.run, { gateway, target, out: job.out, onEvent: progress.onEvent, onInterrupt: io.onInterrupt }, job.resumed);
  } finally {
    progress.done();
  }
}

/** Before a resumed run goes on: put back what the interrupted one left changed. */
async function finishRestore(journal: Journal, gateway: LambdaGateway, io: CliIo): Promise<void> {
  const report = await restoreFromJournal(journal, gateway);
  if (report.failures.length > 0) throw report.failures[0];
  const undone = [...report.memoryRestored, ...report.versionsDeleted.map((v) => `deleted ${v}`)];
  io.stderr.write(`The interrupted run is put back first: ${undone.join('; ') || 'nothing was left changed'}.\n`);
}

/** --apply and its flags, checked before the first request: without a terminal to ask on, it needs --yes. */
function applyRequestOf(flags: TuneFlags, job: TuneJob, io: CliIo): ApplyRequest | undefined {
  const asked = flags.apply || flags.applyAlias !== undefined;
  if (!asked) {
    if (flags.yes)
      throw badFlag('--yes', 'answers the question --apply asks, and there is no --apply.', 'Add --apply (or --apply-alias NAME), or leave out --yes.');
    // A run would change the function that an unfinished apply left half changed, and then put it back to that.
    assertNoPendingApply(job.out);
    return undefined;
  }
  if (job.dryRun) throw badFlag('--apply', 'has nothing to apply after --dry-run, which measures nothing.', 'Leave out one of them.');
  return applyRequest({ alias: flags.applyAlias, yes: flags.yes, flag: flags.applyAlias === undefined ? '--apply' : '--apply-alias' }, io, job.out);
}

/** The reports, the table (or the JSON), and a warning when a price is a stand-in. */
function writeOutputs(result: TuneResult, job: TuneJob, io: CliIo): void {
  writeReportFiles(result, job.out, REPORT_FORMATS, job.templates);
  io.stdout.write(job.json ? `${JSON.stringify(result, null, 2)}\n` : renderTerminal(result));
  io.stderr.write(`Result and reports in ${job.out}: report.md, report.html, chart.svg/png, chart-memory.svg/png, samples.csv, result.json\n`);
  for (const fn of result.functions.filter((f) => isFallbackPrice(f.prices))) {
    const { region, architecture } = fn.prices;
    io.stderr.write(
      `warning: the price table has no ${architecture} prices for ${region}: ${fn.name} is priced as us-east-1. Give --price-per-gb-second and --price-per-request for the region's prices.\n`,
    );
  }
}

/**
 * After the reports: an interrupted run ends with exit 3 (a cancelled CI step must not pass); a
 * finished one writes the baseline, is gated (gate.json beside the reports) and, when asked, applied.
 */
async function conclude(result: TuneResult, job: TuneJob, apply: ApplyRequest | undefined, context: ApplyContext): Promise<number> {
  if (result.run.stoppedBy === 'interrupt') throw interruptedRun(job, apply);
  if (job.updateBaseline !== undefined) writeBaseline(result, job.out, job.updateBaseline, context.io);
  const gated = job.baseline === undefined ? undefined : judge(job.baseline, result, job.gateSettings, { stdout: context.io.stderr, json: false });
  if (gated !== undefined) writeGateJson(gated.report, job.out);
  const exitCode = gated?.exitCode ?? EXIT.ok;
  if (apply === undefined) return exitCode;
  const refusal = gated === undefined ? undefined : gateRefusal(gated.report);
  if (refusal !== undefined) {
    context.io.stderr.write(`Not applied: ${refusal}. Nothing was changed.\n`);
    return EXIT.regression;
  }
  await applyChoice(chooseApply(result), apply, context);
  return exitCode;
}

function interruptedRun(job: TuneJob, apply: ApplyRequest | undefined): Error {
  const skipped = [
    ...(job.updateBaseline === undefined ? [] : ['not written as the baseline']),
    ...(job.baseline === undefined ? [] : ['not gated']),
    ...(apply === undefined ? [] : ['not applied']),
  ];
  return userError('RUN_INTERRUPTED', { out: job.out, skipped });
}

/** The gate's verdicts as `tune compare --json` prints them, beside the reports (the GitHub Action reads them there). */
function writeGateJson(report: GateReport, out: string): void {
  const file = path.join(out, GATE_FILE);
  try {
    writeFileSync(file, gateJson(report));
  } catch (error) {
    throw explainFileError(error, "the gate's verdicts", file, false);
  }
}

function writeBaseline(result: TuneResult, out: string, baselineFile: string, io: CliIo): void {
  const { stoppedBy } = result.run;
  if (stoppedBy !== undefined) {
    throw userError('INCOMPLETE_RUN', {
      which: 'run',
      why: stoppedBy === 'budget' ? 'its budget ran out' : 'it was interrupted',
      instead: 'it is not written as a baseline',
    });
  }
  try {
    mkdirSync(path.dirname(baselineFile), { recursive: true });
    copyFileSync(path.join(out, RESULT_FILE), baselineFile);
  } catch (error) {
    throw explainFileError(error, 'the baseline', baselineFile, true);
  }
  io.stderr.write(`Baseline written to ${baselineFile}; commit it.\n`);
}

/** When even the clean-up failed, the journal still says "running": tell the user how to finish it. */
function warnIfNotRestored(journalFile: string, io: CliIo): void {
  if (!existsSync(journalFile)) return;
  try {
    if (Journal.read(journalFile).needsRestore) {
      io.stderr.write(`The run could not put everything back. When the cause is fixed, run: tune restore --journal ${journalFile}\n`);
    }
  } catch {
    // An unreadable journal has nothing to add to the error itself.
  }
}
