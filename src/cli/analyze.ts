import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { analyze } from '../analyze/analyze.js';
import { pricesFor } from '../cost/prices.js';
import { userError } from '../errors.js';
import { MeasurementsError, parseMeasurements } from '../parse/measurements.js';
import { packageVersion } from '../package-root.js';
import { renderTerminal } from '../report/terminal.js';
import { REPORT_FORMATS, writeReports } from '../report/write.js';
import { readResult } from '../result/files.js';
import { type Architecture, SCHEMA_VERSION, type Sample, type SelectionOptions, type TuneResult } from '../result/types.js';
import type { CliIo } from './io.js';

export interface AnalyzeOptions {
  file: string;
  function: string;
  architecture: Architecture;
  region: string;
  strategy: SelectionOptions['strategy'];
  weight: number;
  maxDurationMs?: number | undefined;
  percentile: SelectionOptions['percentile'];
  out?: string | undefined;
  json: boolean;
}

export function buildCommand(yargs: Argv): Argv<AnalyzeOptions> {
  return yargs
    .usage('$0 analyze FILE [options]\n\nAnalyse measurements from elsewhere (CSV, JSON lines, a log export of REPORT lines) or re-analyse a result.json.')
    .positional('file', {
      type: 'string',
      describe: 'CSV or JSON lines (memoryMb, chunkMb, durationMs, billedDurationMs, maxMemoryUsedMb, initDurationMs, status), a log export, or a result.json',
    })
    .option('function', { type: 'string', default: 'function', describe: 'Function name for rows that carry none' })
    .option('architecture', { choices: ['x86_64', 'arm64'] as const, default: 'x86_64' as const, describe: 'Architecture to price at' })
    .option('region', { type: 'string', default: 'us-east-1', describe: 'Region to price at' })
    .option('strategy', { choices: ['balanced', 'cost', 'speed'] as const, default: 'balanced' as const, describe: 'How the sweet spot is chosen' })
    .option('weight', { type: 'number', default: 0.5, describe: 'Weight of cost against speed for --strategy balanced' })
    .option('max-duration-ms', { type: 'number', describe: 'Duration target at --percentile' })
    .option('percentile', { choices: [50, 90, 95, 99] as const, default: 95 as const, describe: 'Percentile for --max-duration-ms' })
    .option('out', { type: 'string', describe: 'Write result.json, report.md and samples.csv to this folder' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result JSON instead of the table' }) as unknown as Argv<AnalyzeOptions>;
}

export async function runCommand(options: AnalyzeOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.file);
  const selection: SelectionOptions = {
    strategy: options.strategy,
    weight: options.weight,
    maxDurationMs: options.maxDurationMs,
    percentile: options.percentile,
  };
  const result = file.endsWith('.json') ? reanalyse(readResult(file), selection) : fromMeasurements(file, options, selection);
  if (options.out !== undefined) writeReports(result, path.resolve(io.cwd, options.out), REPORT_FORMATS);
  io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderTerminal(result));
  return 0;
}

function reanalyse(result: TuneResult, selection: SelectionOptions): TuneResult {
  return { ...result, analysis: analyze(result.samples, result.plan, result.functions, selection) };
}

function fromMeasurements(file: string, options: AnalyzeOptions, selection: SelectionOptions): TuneResult {
  let samples: Sample[];
  try {
    samples = parseMeasurements(readFileSync(file, 'utf8'), options.function);
  } catch (error) {
    const reason =
      error instanceof MeasurementsError ? error.message : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw userError('MEASUREMENTS_INVALID', { file, problems: [reason] });
  }
  const names = [...new Set(samples.map((s) => s.function))];
  const functions = names.map((name) => ({ name, architecture: options.architecture, prices: pricesFor(options.region, options.architecture) }));
  const plan = {
    functions: names,
    memoryMb: [...new Set(samples.map((s) => s.memoryMb))].sort((a, b) => a - b),
    chunkMb: [...new Set(samples.map((s) => s.chunkMb))].sort((a, b) => (a ?? -1) - (b ?? -1)),
  };
  const now = new Date(0).toISOString();
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: 'lambda-tune',
      toolVersion: packageVersion(),
      target: 'aws',
      region: options.region,
      startedAt: now,
      finishedAt: now,
      invocationsPerCell: 0,
      warmupPerCell: 0,
      concurrency: 0,
      payload: {},
      chunkKey: 'chunkSizeMb',
      timingPatterns: [],
    },
    plan,
    functions,
    samples,
    analysis: analyze(samples, plan, functions, selection),
  };
}
