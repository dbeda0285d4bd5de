import path from 'node:path';
import { analyze } from '../analyze/analyze.js';
import { pricesFor } from '../cost/prices.js';
import { badFlag, EXIT, userError } from '../errors.js';
import { FileReadError, fileSource } from '../files/read.js';
import { MeasurementsError, readMeasurements } from '../parse/measurements.js';
import { packageVersion } from '../package-root.js';
import { renderTerminal } from '../report/terminal.js';
import { REPORT_FORMATS } from '../report/write.js';
import { writeReportFiles } from './write-reports.js';
import { readResult } from '../result/files.js';
import {
  type Architecture,
  type Axis,
  type Params,
  type ParamValue,
  SCHEMA_VERSION,
  type Sample,
  type SelectionOptions,
  type TuneResult,
} from '../result/types.js';
import type { CliIo } from './io.js';
import type { AnalyzeFlags } from './options/analyze.js';
import { selectionFromFlags } from '../config/selection.js';
import { REGION } from '../config/target-config.js';
import { assertUsableFolder } from '../files/paths.js';

/** The flags, checked as tune checks them, before any file is read. */
interface AnalyzeOptions {
  function: string;
  architecture: Architecture;
  region: string;
  out?: string | undefined;
}

function optionsFromFlags(flags: AnalyzeFlags, cwd: string): { options: AnalyzeOptions; selection: SelectionOptions } {
  const architecture = ARCHITECTURES.find((a) => a === flags.architecture);
  if (architecture === undefined)
    throw badFlag('--architecture', `must be x86_64 or arm64 (got ${flags.architecture}).`, 'It is the architecture the samples are priced at.');
  if (!REGION.test(flags.region))
    throw badFlag('--region', `"${flags.region}" is not an AWS region.`, 'For example --region us-east-1; it is the region the samples are priced at.');
  if (flags.function.trim() === '') throw badFlag('--function', 'must not be empty.', 'It names the function for rows that carry none.');
  const out = flags.out === undefined ? undefined : path.resolve(cwd, flags.out);
  if (out !== undefined) assertUsableFolder('the output folder (--out)', out);
  return { options: { function: flags.function, architecture, region: flags.region, out }, selection: selectionFromFlags(flags) };
}

const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

export async function runCommand(flags: AnalyzeFlags, io: CliIo): Promise<number> {
  const { options, selection } = optionsFromFlags(flags, io.cwd);
  const file = path.resolve(io.cwd, flags.file);
  const result = file.endsWith('.json') ? reanalyse(readResult(file), selection) : fromMeasurements(file, options, selection);
  if (options.out !== undefined) writeReportFiles(result, options.out, REPORT_FORMATS);
  io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderTerminal(result));
  return EXIT.ok;
}

function reanalyse(result: TuneResult, selection: SelectionOptions): TuneResult {
  return { ...result, analysis: analyze(result.samples, result.plan, result.functions, selection) };
}

/** The parameters the samples carry, as axes: in the order first met, each value in the order first met (samples.csv lists cells in its run's plan order). */
function axesOf(samples: readonly Sample[]): Axis[] {
  const axes = new Map<string, ParamValue[]>();
  // Samples of a cell share one parameter set (parse/measurement-row.ts): each set is looked into once.
  const seen = new Set<Params>();
  for (const sample of samples) {
    if (seen.has(sample.params)) continue;
    seen.add(sample.params);
    for (const [name, value] of Object.entries(sample.params)) {
      const values = axes.get(name);
      if (values === undefined) axes.set(name, [value]);
      else if (!values.includes(value)) values.push(value);
    }
  }
  return [...axes].map(([name, values]) => ({ name, values }));
}

function fromMeasurements(file: string, options: AnalyzeOptions, selection: SelectionOptions): TuneResult {
  let samples: Sample[];
  try {
    samples = readMeasurements(fileSource(file), options.function);
  } catch (error) {
    if (error instanceof FileReadError) throw userError('MEASUREMENTS_INVALID', { file, problems: [error.reason] });
    if (error instanceof MeasurementsError) throw userError('MEASUREMENTS_INVALID', { file, problems: error.problems });
    throw error;
  }
  const names = new Set<string>();
  const memorySizes = new Set<number>();
  for (const s of samples) {
    names.add(s.function);
    memorySizes.add(s.memoryMb);
  }
  const functions = [...names].map((name) => ({ name, architecture: options.architecture, prices: pricesFor(options.region, options.architecture) }));
  const plan = { functions: [...names], memoryMb: [...memorySizes].sort((a, b) => a - b), axes: axesOf(samples) };
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
      timingPatterns: [],
    },
    plan,
    functions,
    samples,
    analysis: analyze(samples, plan, functions, selection),
  };
}
