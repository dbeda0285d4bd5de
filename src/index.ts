/**
 * lambda-tune from code: the commands as functions. Each takes options named as the command's
 * flags (camel case: `pricePerGbSecond` for --price-per-gb-second), checks them exactly as the
 * command line does, and throws a UserError (with a `code`, a `hint` and the CLI's `exitCode`)
 * for what the caller can fix.
 *
 *   import { startPlatform, tune } from 'lambda-tune';
 *   const platform = await startPlatform();
 *   const result = await tune({ function: 'hasher', memory: [512, 1024], chunks: [10], local: platform });
 *   await platform.stop();
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Argv } from 'yargs';
import { runCommand as analyzeCommand } from './cli/analyze.js';
import { applyResult } from './cli/apply.js';
import { explainAwsError } from './cli/aws.js';
import { gateSettingsFromFlags } from './cli/compare.js';
import type { CliIo } from './cli/io.js';
import { analyzeOptions } from './cli/options/analyze.js';
import { applyOptions } from './cli/options/apply.js';
import { compareOptions } from './cli/options/compare.js';
import { tuneOptions } from './cli/options/tune.js';
import { openTarget, type Target } from './cli/target.js';
import { prepareTune } from './cli/tune-job.js';
import { writeReportFiles } from './cli/write-reports.js';
import { type LocalFunctionConfig, localSectionSchema, parseLocalSection } from './config/local-config.js';
import { seedMbOf } from './config/target-config.js';
import { runTune } from './engine/run-tune.js';
import { badFlag, userError } from './errors.js';
import { PARAM_NAME } from './plan/axes.js';
import { compareResults, type GateReport } from './gate/compare.js';
import { gatePassed, renderGateMarkdown } from './gate/render.js';
import { LambdaGateway } from './lambda/gateway.js';
import { bundledBuckets, bundledFunctions, TUNE_OBJECT_MB } from './local/examples.js';
import { cpuShare } from './local/limits/cpu.js';
import { type Platform, startPlatform as startLocalPlatform } from './local/platform.js';
import type { ProgressEvent } from './measure/run.js';
import { REPORT_FORMATS } from './report/write.js';
import { readResult, resultOf } from './result/files.js';
import type { Architecture, Strategy, TuneResult } from './result/types.js';
import type { z } from 'zod';

export { UserError, type ErrorCode } from './errors.js';
export type { Architecture, CellSummary, Prices, Sample, SelectionOptions, Strategy, SweetSpot, TuneResult } from './result/types.js';
export type { GateReport, Verdict } from './gate/compare.js';
export type { Platform } from './local/platform.js';
export type { LocalFunctionConfig } from './config/local-config.js';
export type { ProgressEvent } from './measure/run.js';

/** A flag's value as options carry it: lists may be arrays, numbers are numbers. */
export type FlagValue = string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined;

/** How the sweet spot is chosen, as `tune` and `tune analyze` take it. */
export interface SelectionFlags {
  /** balanced (default), cost or speed. */
  strategy?: Strategy;
  /** Weight of cost against speed for balanced, 0..1 (0.5). */
  weight?: number;
  /** The cheapest cell whose duration at `percentile` meets this wins. */
  maxDurationMs?: number;
  percentile?: 50 | 90 | 95 | 99;
}

/** What `tune` measures and where: the tune command's flags. */
export interface TuneOptions extends SelectionFlags {
  /** Function name(s) or ARN(s), not a version or alias. */
  function: string | readonly string[];
  /** Memory sizes in MB (128..10240). */
  memory: readonly number[] | string;
  /** Chunk sizes in MB, sent in the payload as `chunkKey`: an axis. */
  chunks?: readonly number[] | string;
  /**
   * More axes, set into the payload by name: `{ mode: ['serial', 'async'], workers: [2, 8] }`, or
   * as the flag takes them, `['mode=serial,async', 'workers=2,8']`.
   */
  param?: Readonly<Record<string, readonly (string | number | boolean)[]>> | readonly string[];
  /** The payload: an object, JSON text or `@file`; several `@file`s (or an `@folder` of .json files) make it an axis. */
  payload?: Record<string, unknown> | string | readonly string[];
  chunkKey?: string;
  /** Measured warm invocations per cell (10). */
  invocations?: number;
  /** Warm-up invocations per cell (1). */
  warmup?: number;
  /** Invocations in flight (4 on AWS, 8 on the local platform). */
  concurrency?: number;
  /** Logged timings to collect, as `name=REGEX` with a named group `value`. */
  timing?: readonly string[];
  /** Most the run may spend, in USD. */
  budget?: number;
  pricePerGbSecond?: number;
  pricePerRequest?: number;
  /** Count cold starts' INIT time in their cost (true). */
  billInit?: boolean;
  /**
   * Where the functions live: AWS (false, the default), a local platform started for this run
   * (true, with the config file's `local` section or the bundled examples), or one you started.
   */
  local?: boolean | Platform;
  region?: string;
  profile?: string;
  /** Config file (default ./tune.config.json when present). */
  config?: string;
  /** With `local: true`: size of the example object seeded into S3. */
  seedMb?: number;
  oversubscribe?: boolean;
  /** Folder for samples, the journal, result.json and the reports (default tune-results/<function>). */
  out?: string;
  /** Any other flag of the tune command, by its camel-case name. */
  flags?: Record<string, FlagValue>;
  /** Relative paths are taken from here (process.cwd()). */
  cwd?: string;
  /** Called as the run goes: cells started and done, invocations, warnings. */
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting stops the run as Ctrl-C does: what was measured is analysed, the functions are restored. */
  signal?: AbortSignal;
  /** Where notes and warnings go (process.stderr). */
  stderr?: { write(text: string): unknown };
}

/** What `analyze` prices and chooses with: the analyze command's flags. */
export interface AnalyzeOptions extends SelectionFlags {
  /** Function name for rows that carry none ("function"). */
  function?: string;
  architecture?: Architecture;
  /** Region to price at (us-east-1). */
  region?: string;
  /** Also write result.json, the reports and samples.csv to this folder. */
  out?: string;
  cwd?: string;
}

/** One measured invocation as `tune analyze` reads it from JSON lines. */
export type MeasurementRow = Record<string, unknown>;

/** How `compare` judges: the compare command's flags. */
export interface CompareOptions {
  /** Rules as "METRIC[:STAT] > N[%] [warn|error] [all|recommended]" (default: the config's, else the built-in ones). */
  rule?: readonly string[];
  /** 0.5..0.999 (the config's, else 0.95). */
  confidence?: number;
  allowInconclusive?: boolean;
  verbose?: boolean;
  config?: string;
  cwd?: string;
}

export interface CompareOutcome {
  report: GateReport;
  /** False on an error-level regression, or when nothing could be judged (unless allowInconclusive). */
  passed: boolean;
  /** The verdicts as Markdown, as `tune compare --markdown` writes them. */
  markdown: string;
}

/** The embedded platform's settings: the config file's `local` section, and where to listen. */
export type StartPlatformOptions = z.input<typeof localSectionSchema> & {
  /** 127.0.0.1 unless you mean to serve other machines (anyone reaching it can run code here). */
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Size of the example object seeded into S3 when no buckets are given (32). */
  seedMb?: number;
  /** Relative handler paths and the S3 folder are taken from here (process.cwd()). */
  cwd?: string;
};

/** Measures functions at each memory size (× chunk size), analyses the samples, writes the reports, and returns the result. */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const { local, flags, param, cwd = process.cwd(), onProgress, signal, stderr = process.stderr, ...named } = options;
  const io = apiIo(cwd, stderr);
  const platform = typeof local === 'object' ? local : undefined;
  const axes = param === undefined || isFlagList(param) ? param : paramFlags(param);
  const argv = toArgv({ ...named, param: axes, ...flags, local: local !== undefined && local !== false }, arrayFlagsOf(tuneOptions));
  const job = prepareTune(parseFlags(tuneOptions, argv), { ...io, argv });
  const target = platform === undefined ? await openTarget(job.target, io) : platformTarget(platform, job.target.oversubscribe);
  try {
    const onLoopback = target.kind === 'local';
    const gateway = new LambdaGateway(target.lambda, target.logs, {
      logWaitMs: onLoopback ? 2000 : 30_000,
      logPollMs: onLoopback ? 100 : 1000,
      settlePollMs: onLoopback ? 100 : 1000,
    });
    const result = await runTune(job.run, { gateway, target, out: job.out, onEvent: onProgress ?? (() => undefined), onInterrupt: interruptOf(signal) });
    writeReportFiles(result, job.out, REPORT_FORMATS, job.templates);
    return result;
  } catch (error) {
    throw explainAwsError(error, { functionName: job.run.functions.join(', '), region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}

/** How `apply` sets a result's recommendation: the apply command's flags. */
export interface ApplyOptions {
  /** In a result of several functions, the one to apply to (the recommended cell's). */
  function?: string;
  /** Publish a version with the recommended memory and point this alias at it, leaving $LATEST as it is. */
  alias?: string;
  /** A platform you started, for a result measured on the local platform; AWS otherwise. */
  local?: Platform;
  region?: string;
  profile?: string;
  /** Folder for the apply journal, apply.json (the result's folder). */
  out?: string;
  cwd?: string;
}

/**
 * Sets a result's recommended memory on its function, as `tune apply RESULT --yes` does (calling it
 * is the yes): the result's function must still run the code it measured. Returns the line that
 * says what was done. `tune restore DIR --undo-apply` undoes it.
 */
export async function apply(result: string, options: ApplyOptions = {}): Promise<string> {
  const { local, cwd = process.cwd(), ...named } = options;
  const argv = toArgv({ ...named, yes: true, local: local !== undefined }, arrayFlagsOf(applyOptions));
  let said = '';
  const io = { ...apiIo(cwd, process.stderr), argv, stdout: { write: (text: string) => (said += text) } };
  const flags = { ...parseFlags(applyOptions, argv), result };
  const target = local === undefined ? undefined : platformTarget(local, false);
  try {
    await applyResult(flags, io, target);
  } finally {
    await target?.close();
  }
  return said.trim();
}

/**
 * Analyses measurements made elsewhere (a CSV, JSON lines or log export file, or rows as
 * `tune analyze` reads them), or re-analyses a result (a result.json file or the object).
 */
export async function analyze(input: string | readonly MeasurementRow[] | TuneResult, options: AnalyzeOptions = {}): Promise<TuneResult> {
  const { cwd = process.cwd(), ...named } = options;
  const scratch = typeof input === 'string' ? undefined : mkdtempSync(path.join(tmpdir(), 'lambda-tune-analyze-'));
  try {
    const file = scratch === undefined ? path.resolve(cwd, input as string) : writeInput(scratch, input as readonly MeasurementRow[] | TuneResult);
    const argv = toArgv({ ...named, json: true }, arrayFlagsOf(analyzeOptions));
    let printed = '';
    const io = { ...apiIo(cwd, { write: () => true }), argv, stdout: { write: (text: string) => (printed += text) } };
    await analyzeCommand({ ...parseFlags(analyzeOptions, argv), file }, io);
    return JSON.parse(printed) as TuneResult;
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Judges `current` against `baseline` (results or result.json files) under the gate's rules, as `tune compare` does. */
export function compare(baseline: TuneResult | string, current: TuneResult | string, options: CompareOptions = {}): CompareOutcome {
  const { cwd = process.cwd(), ...named } = options;
  const argv = toArgv(named, arrayFlagsOf(compareOptions));
  const settings = gateSettingsFromFlags(parseFlags(compareOptions, argv), { ...apiIo(cwd, process.stderr), argv });
  // An object is checked as a file is (and a version 1 result upgraded), so a wrong one is a UserError, not a TypeError later.
  const read = (result: TuneResult | string, role: 'baseline' | 'result') =>
    typeof result === 'string' ? readResult(path.resolve(cwd, result), role) : resultOf(result, role, `the ${role} object`);
  const report = compareResults(read(baseline, 'baseline'), read(current, 'result'), settings.rules, settings.confidence);
  return { report, passed: gatePassed(report, settings.allowInconclusive), markdown: renderGateMarkdown(report, settings.verbose) };
}

/**
 * Starts the embedded Lambda + CloudWatch Logs + S3 platform on loopback: the bundled example
 * functions (hasher, hasher-py) and a seeded object, unless the options name functions and buckets.
 * Point the AWS SDK at `endpoints` with `region` and `credentials`, or pass it to `tune` as `local`.
 */
export async function startPlatform(options: StartPlatformOptions = {}): Promise<Platform> {
  const { host = '127.0.0.1', port = 0, seedMb = TUNE_OBJECT_MB, cwd = process.cwd(), ...section } = options;
  const local = parseLocalSection(section, cwd, 'the startPlatform options');
  try {
    return await startLocalPlatform({
      functions: local.functions ?? bundledFunctions(),
      host,
      port,
      region: local.region,
      s3: { directory: local.s3.directory, buckets: local.s3.buckets ?? bundledBuckets(seedMbOf(seedMb)) },
      cpuLimit: local.limits.cpu,
      maxEnvironments: local.limits.maxEnvironments,
      faults: local.faults,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw userError('PORT_IN_USE', { host, port });
    if (code === 'EADDRNOTAVAIL') throw userError('BAD_HOST', { host });
    throw error;
  }
}

/** The bundled example functions, to serve alongside your own. */
export function exampleFunctions(): LocalFunctionConfig[] {
  return bundledFunctions();
}

// yargs' CommonJS build, as the command line loads it.
const yargs = createRequire(import.meta.url)('yargs/yargs') as (argv: string[]) => Argv;

/** Options as a command line: `{ chunkKey: 'n', memory: [128, 256] }` → `--chunk-key=n --memory=128,256`. */
function toArgv(options: Record<string, FlagValue>, arrayFlags: ReadonlySet<string>): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const flag = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    if (value === undefined) continue;
    if (typeof value === 'boolean') argv.push(value ? `--${flag}` : `--no-${flag}`);
    else if (Array.isArray(value) && arrayFlags.has(flag)) argv.push(...value.map((item: unknown) => `--${flag}=${text(item)}`));
    else if (Array.isArray(value)) argv.push(`--${flag}=${value.map((item: unknown) => text(item)).join(',')}`);
    else argv.push(`--${flag}=${text(value)}`);
  }
  return argv;
}

/** A value as the command line takes it: numbers in decimal (String(2e-7) would be refused), objects as JSON. */
function text(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isFlagList(param: NonNullable<TuneOptions['param']>): param is readonly string[] {
  return Array.isArray(param);
}

/** Axes by name as --param takes them: strings as JSON strings, so that no word is read as a number or a flag. */
function paramFlags(axes: Readonly<Record<string, readonly (string | number | boolean)[]>>): string[] {
  for (const name of Object.keys(axes)) {
    // The name goes before an `=`, where the flag would read any `=` in it as the end of the name.
    if (!PARAM_NAME.test(name))
      throw badFlag(
        '--param',
        `"${name}" is not a payload field name lambda-tune sets.`,
        'Use letters, digits, _, $ and -, starting with a letter, _ or $ (at most 64).',
      );
  }
  return Object.entries(axes).map(([name, values]) => `${name}=${values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : text(v))).join(',')}`);
}

/** The flags a command takes more than once (each use adds one value). */
function arrayFlagsOf(options: (y: Argv) => Argv<unknown>): ReadonlySet<string> {
  // yargs keeps its option definitions behind getOptions(), which its types leave out.
  const parser = options(yargs([])) as unknown as { getOptions(): { array: string[] } };
  return new Set(parser.getOptions().array);
}

/** A command's flags, read and defaulted by its own option definitions; an unknown option is refused as the CLI refuses it. */
function parseFlags<T>(options: (y: Argv) => Argv<T>, argv: string[]): T {
  const parser = options(
    yargs(argv)
      .parserConfiguration({ 'dot-notation': false })
      .strict()
      .help(false)
      .version(false)
      .exitProcess(false)
      .fail((message: string, error: Error | undefined) => {
        if (error !== undefined) throw error;
        throw userError('BAD_USAGE', { detail: message || 'The options could not be read.' });
      }),
  );
  return parser.parseSync() as T;
}

/** What the commands need of a process; credentials and the region come from its environment, as the AWS SDK reads them. */
function apiIo(cwd: string, stderr: { write(text: string): unknown }): CliIo {
  return { argv: [], env: process.env, cwd, stdout: { write: () => true }, stderr, stderrIsTty: false, onInterrupt: () => () => undefined };
}

function interruptOf(signal: AbortSignal | undefined): (callback: () => void) => () => void {
  return (callback) => {
    if (signal === undefined) return () => undefined;
    if (signal.aborted) queueMicrotask(callback);
    signal.addEventListener('abort', callback, { once: true });
    return () => {
      signal.removeEventListener('abort', callback);
    };
  };
}

/** A platform the caller started, as the engine's target: clients pointed at it, and the CPU budget `tune --local` keeps. */
function platformTarget(platform: Platform, oversubscribe: boolean): Target {
  const clientConfig = { region: platform.region, credentials: platform.credentials };
  const lambda = new LambdaClient({ ...clientConfig, endpoint: platform.endpoints.lambda });
  const logs = new CloudWatchLogsClient({ ...clientConfig, endpoint: platform.endpoints.logs });
  return {
    kind: 'local',
    lambda,
    logs,
    region: platform.region,
    profile: undefined,
    cpuBudget: oversubscribe ? undefined : { weightOf: (memoryMb) => cpuShare(memoryMb), capacity: availableParallelism() },
    close: async () => {
      lambda.destroy();
      logs.destroy();
    },
  };
}

/** Rows as JSON lines, or a result as result.json, for the analyze command to read. */
function writeInput(dir: string, input: readonly MeasurementRow[] | TuneResult): string {
  if (Array.isArray(input)) {
    const file = path.join(dir, 'measurements.jsonl');
    writeFileSync(file, (input as readonly MeasurementRow[]).map((row) => JSON.stringify(row)).join('\n') + '\n');
    return file;
  }
  const file = path.join(dir, 'result.json');
  writeFileSync(file, JSON.stringify(input));
  return file;
}
