import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Argv } from 'yargs';
import { analyze } from '../analyze/analyze.js';
import { type TuneConfig, type TuneFlags, tuneConfigFromFlags } from '../config/tune-config.js';
import { invocationCostUsd, pricesFor } from '../cost/prices.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { measure, type MeasureOutcome } from '../measure/run.js';
import { packageVersion } from '../package-root.js';
import { userError } from '../errors.js';
import { formatUsd } from '../report/format.js';
import { renderTerminal } from '../report/terminal.js';
import { userTemplates } from '../report/template.js';
import { REPORT_FORMATS, writeReports } from '../report/write.js';
import { JOURNAL_FILE, readResult, RESULT_FILE, samplesWriter } from '../result/files.js';
import { SCHEMA_VERSION, type TuneResult } from '../result/types.js';
import { explainAwsError } from './aws.js';
import { gate, type GateOptions, gateOptions, updateBaseline } from './compare.js';
import type { CliIo } from './io.js';
import { progressReporter } from './progress.js';
import { openTarget, type Target, targetOptions, type TargetOptions } from './target.js';

export interface TuneOptions extends Omit<TuneFlags, 'concurrency'>, TargetOptions, Omit<GateOptions, 'json'> {
  concurrency?: number | undefined;
  baseline?: string | undefined;
  updateBaseline?: string | undefined;
  out?: string | undefined;
  template: string[];
  json: boolean;
  dryRun: boolean;
  oversubscribe: boolean;
}

export function buildCommand(yargs: Argv): Argv<TuneOptions> {
  return gateOptions(targetOptions(yargs))
    .option('baseline', {
      type: 'string',
      describe: "After the run, compare with this committed result.json (tune compare's rules apply); exit 1 on a real regression",
    })
    .option('update-baseline', { type: 'string', describe: "Write this run's result.json here as the new baseline to commit" })
    .usage(
      '$0 --function NAME --memory 128,256,... [--chunks 1,10,...] [options]\n\nMeasure a function at each memory size × chunk size and find its sweet spot.',
    )
    .option('function', { type: 'string', describe: 'Function name(s) or ARN(s) to tune, comma separated (compare x86_64 and arm64 builds in one run)' })
    .option('memory', { type: 'string', describe: 'Memory sizes in MB, comma separated (128..10240)' })
    .option('chunks', { type: 'string', describe: 'Chunk sizes in MB, comma separated, sent in the payload as --chunk-key' })
    .option('payload', { type: 'string', describe: 'Payload as JSON, or @file; the chunk size is merged into it' })
    .option('chunk-key', { type: 'string', default: 'chunkSizeMb', describe: 'Payload field that carries the chunk size' })
    .option('invocations', { type: 'number', default: 10, describe: 'Measured warm invocations per cell' })
    .option('warmup', { type: 'number', default: 1, describe: 'Warm-up invocations per cell, left out of the statistics' })
    .option('concurrency', {
      type: 'number',
      describe: 'Invocations in flight across the whole run (default 4; 8 with --local, where the CPU budget keeps cells apart)',
    })
    .option('timing', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: "Logged timing to collect: 'name=REGEX' with a named group (?<value>…); embedded metric format is read by itself",
    })
    .option('strategy', { choices: ['balanced', 'cost', 'speed'], default: 'balanced', describe: 'How the sweet spot is chosen' })
    .option('weight', { type: 'number', default: 0.5, describe: 'Weight of cost against speed for --strategy balanced (0..1)' })
    .option('max-duration-ms', { type: 'number', describe: 'Duration target: the cheapest cell that meets it at --percentile wins' })
    .option('percentile', { type: 'number', default: 95, describe: 'Percentile for --max-duration-ms: 50, 90, 95 or 99' })
    .option('budget', { type: 'number', describe: 'Most the run may spend, in USD; the estimate is printed first and the run stops before exceeding it' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan and the estimated cost; change nothing' })
    .option('out', {
      type: 'string',
      describe: 'Folder for samples.jsonl, result.json, report.md, samples.csv and the journal (default: tune-results/<function>)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result JSON on stdout instead of the table' })
    .option('template', { type: 'string', array: true, default: [] as string[], describe: 'Your copy of templates/report.md or report.html to render with' })
    .option('price-per-gb-second', { type: 'number', describe: 'Price per GB-second in USD (default: the price table for the region and architecture)' })
    .option('price-per-request', { type: 'number', describe: 'Price per request in USD (default: 0.0000002)' })
    .option('bill-init', {
      type: 'boolean',
      default: true,
      describe: "Count cold starts' INIT time in their cost (AWS bills it since August 2025); --no-bill-init leaves it out",
    })
    .option('oversubscribe', {
      type: 'boolean',
      default: false,
      describe: "With --local: let running functions' CPU shares exceed the host's cores (measurements then steal CPU from each other)",
    })
    .example('$0 --local --function hasher --memory 128,256,512,1024 --chunks 1,10,20,50', 'tune the bundled example on the embedded platform')
    .example('$0 --function my-fn --memory 512,1024,2048 --payload @event.json --region eu-west-1', 'tune a function on AWS') as unknown as Argv<TuneOptions>;
}

export async function runCommand(options: TuneOptions, io: CliIo): Promise<number> {
  const config = tuneConfigFromFlags({ ...options, concurrency: options.concurrency ?? (options.local ? 8 : 4) }, io.cwd);
  const templates = userTemplates(options.template.map((t) => path.resolve(io.cwd, t)));
  // Read before measuring: a bad baseline should stop the run before it costs anything.
  const baseline = options.baseline === undefined ? undefined : readResult(path.resolve(io.cwd, options.baseline), 'baseline');
  const out = path.resolve(io.cwd, options.out ?? path.join('tune-results', config.functions.map(safeName).join('+')));
  const target = await openTarget(options, io);
  try {
    const gateway = new LambdaGateway(target.lambda, target.logs, {
      logWaitMs: target.kind === 'local' ? 2000 : 30_000,
      logPollMs: target.kind === 'local' ? 100 : 1000,
    });
    if (options.dryRun || options.budget !== undefined) {
      io.stderr.write(await describePlan(config, gateway, target));
      if (options.dryRun) return 0;
    }
    const result = await tune(config, gateway, target, options, out, io);
    writeReports(result, out, REPORT_FORMATS, templates);
    if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(renderTerminal(result));
    io.stderr.write(`Result and reports in ${out}: report.md, report.html, chart.svg/png, chart-memory.svg/png, samples.csv, result.json\n`);
    if (options.updateBaseline !== undefined && result.run.stoppedBy !== undefined) {
      throw userError('INCOMPLETE_RUN', { which: 'run', why: result.run.stoppedBy === 'budget' ? 'its budget ran out' : 'it was interrupted', instead: 'it is not written as a baseline' });
    }
    if (options.updateBaseline !== undefined) {
      updateBaseline(path.join(out, RESULT_FILE), path.resolve(io.cwd, options.updateBaseline));
      io.stderr.write(`Baseline written to ${options.updateBaseline}; commit it.\n`);
    }
    return baseline === undefined ? 0 : gate(baseline, result, { ...options, json: false }, { ...io, stdout: io.stderr });
  } catch (error) {
    warnIfNotRestored(path.join(out, JOURNAL_FILE), io);
    throw explainAwsError(error, { functionName: config.functions.join(', '), region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}

async function tune(config: TuneConfig, gateway: LambdaGateway, target: Target, options: TuneOptions, out: string, io: CliIo): Promise<TuneResult> {
  const startedAt = new Date();
  const journal = Journal.create(path.join(out, JOURNAL_FILE), {
    target: target.kind,
    region: target.region,
    profile: target.profile,
    startedAt: startedAt.toISOString(),
  });
  const progress = progressReporter(io);
  const abort = new AbortController();
  const stopListening = io.onInterrupt(() => {
    progress.done();
    io.stderr.write(
      `\nStopping: letting invocations in flight finish, then restoring the function. Ctrl-C again quits at once; then run "tune restore --journal ${journal.file}".\n`,
    );
    abort.abort();
  });
  let outcome: MeasureOutcome;
  try {
    outcome = await measure(
      {
        ...config,
        budgetUsd: config.budgetUsd,
        maxConsecutiveFailures: 3,
        ...localCpuBudget(target, options, io),
        pricesOf: (snapshot) => pricesFor(target.region, snapshot.architecture, config.prices),
        runId: randomBytes(4).toString('hex'),
      },
      { gateway, journal, onSample: samplesWriter(out), onEvent: progress.onEvent, signal: abort.signal },
    );
  } finally {
    stopListening();
    progress.done();
  }
  if (outcome.stoppedBy === 'budget')
    io.stderr.write(`Stopped before exceeding the budget of ${formatUsd(config.budgetUsd!)}; the result holds what was measured.\n`);
  if (outcome.stoppedBy === 'interrupt') io.stderr.write('Interrupted; the result holds what was measured.\n');
  const functions = outcome.snapshots.map((s) => ({
    name: s.name,
    architecture: s.architecture,
    originalMemoryMb: s.memoryMb,
    prices: pricesFor(target.region, s.architecture, config.prices),
  }));
  const plan = { functions: outcome.snapshots.map((s) => s.name), memoryMb: config.memoryMb, chunkMb: config.chunkMb };
  const result: TuneResult = {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: 'lambda-tune',
      toolVersion: packageVersion(),
      target: target.kind,
      region: target.region,
      profile: target.profile,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      invocationsPerCell: config.invocations,
      warmupPerCell: config.warmup,
      concurrency: config.concurrency,
      payload: config.payload,
      chunkKey: config.chunkKey,
      timingPatterns: config.timingSpecs,
      ...(outcome.stoppedBy === undefined ? {} : { stoppedBy: outcome.stoppedBy }),
    },
    plan,
    functions,
    samples: outcome.samples,
    analysis: analyze(outcome.samples, plan, functions, config.selection),
  };
  return result;
}

/** On the local platform, running functions' CPU shares together stay within the host's cores, unless the user says otherwise. */
function localCpuBudget(target: Target, options: TuneOptions, io: CliIo): { weightOf?: (memoryMb: number) => number; capacity?: number } {
  if (target.kind !== 'local' || target.cpuShare === undefined) return {};
  if (options.oversubscribe) {
    io.stderr.write("warning: --oversubscribe lets functions share CPU beyond the host's cores; durations will read slower than Lambda would run them.\n");
    return {};
  }
  return { weightOf: target.cpuShare, capacity: availableParallelism() };
}

/** The plan and what it could cost, read-only: it describes the functions but changes nothing. */
async function describePlan(config: TuneConfig, gateway: LambdaGateway, target: Target): Promise<string> {
  const cells = config.functions.length * config.memoryMb.length * config.chunkMb.length;
  const perCell = config.warmup + config.invocations + 1;
  let worstUsd = 0;
  for (const name of config.functions) {
    const snapshot = await gateway.describe(name);
    const prices = pricesFor(target.region, snapshot.architecture, config.prices);
    for (const memoryMb of config.memoryMb) worstUsd += config.chunkMb.length * perCell * invocationCostUsd(snapshot.timeoutS * 1000, memoryMb, prices);
  }
  return [
    `Plan: ${config.functions.join(', ')} × memory ${config.memoryMb.join(', ')} MB × ${config.chunkMb[0] === null ? 'the payload as given' : `chunks ${config.chunkMb.join(', ')} MB`} = ${cells} cells,`,
    `  about ${cells * perCell} invocations (${config.warmup} warm-up + ${config.invocations} measured per cell, plus cold starts), ${config.concurrency} at a time, on ${target.kind === 'local' ? 'the local platform' : `AWS ${target.region}`}.`,
    `  Cost: at most ${formatUsd(worstUsd)} if every invocation ran to its timeout; usually a small fraction of that.${config.budgetUsd === undefined ? '' : ` Budget: ${formatUsd(config.budgetUsd)}; the run stops before exceeding it.`}`,
    '',
  ].join('\n');
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

function safeName(name: string): string {
  return name.replace(/^arn:.*:function:/, '').replace(/[^a-zA-Z0-9_-]/g, '_');
}
