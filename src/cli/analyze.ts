import path from 'node:path';
import { analyze, analyzeCells } from '../analyze/analyze.js';
import { CellColumns, cellsOfSamples, type SampleCells } from '../analyze/cell-samples.js';
import { pricesFor } from '../cost/prices.js';
import { badFlag, EXIT, userError } from '../errors.js';
import { FileReadError, fileSource } from '../files/read.js';
import { MeasurementsError, readMeasurements, readMeasurementsInto } from '../parse/measurements.js';
import { packageVersion } from '../package-root.js';
import { renderTerminal } from '../report/terminal.js';
import { REPORT_FORMATS } from '../report/write.js';
import { writeReportFiles } from './write-reports.js';
import { readResult } from '../result/files.js';
import { type Architecture, type ParamValue, type Plan, SCHEMA_VERSION, type Sample, type SelectionOptions, type TuneResult } from '../result/types.js';
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
  // result.json and --json hold the samples; the table alone needs only what the analysis makes of them.
  const keepSamples = options.out !== undefined || flags.json;
  const result = file.endsWith('.json') ? reanalyse(readResult(file), selection) : fromMeasurements(file, options, selection, keepSamples);
  if (options.out !== undefined) writeReportFiles(result, options.out, REPORT_FORMATS);
  io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderTerminal(result));
  return EXIT.ok;
}

function reanalyse(result: TuneResult, selection: SelectionOptions): TuneResult {
  return { ...result, analysis: analyze(result.samples, result.plan, result.functions, selection) };
}

/**
 * The measurements in a file, analysed. With `keepSamples` they are read into a list, which the
 * result carries; without, each is put into its cell's columns as it is read and dropped (a
 * million rows take about 50 MB as columns, about 290 MB as objects), and the result carries
 * a list as long as the samples that holds none: the table reads only how many there were.
 */
function fromMeasurements(file: string, options: AnalyzeOptions, selection: SelectionOptions, keepSamples: boolean): TuneResult {
  const { samples, cells } = keepSamples ? samplesIn(file, options) : columnsIn(file, options);
  const plan = planOf(cells);
  const functions = plan.functions.map((name) => ({ name, architecture: options.architecture, prices: pricesFor(options.region, options.architecture) }));
  return { ...measuredElsewhere(options), plan, functions, samples, analysis: analyzeCells(cells, plan, functions, selection) };
}

type Read = { samples: Sample[]; cells: SampleCells };

function samplesIn(file: string, options: AnalyzeOptions): Read {
  const samples = measurements(file, () => readMeasurements(fileSource(file), options.function));
  return { samples, cells: cellsOfSamples(samples) };
}

function columnsIn(file: string, options: AnalyzeOptions): Read {
  const cells = measurements(file, () => readMeasurementsInto(fileSource(file), options.function, () => new CellColumns()));
  const countOnly: Sample[] = [];
  countOnly.length = cells.sampleCount;
  return { samples: countOnly, cells };
}

/** A reading of the file, its problems said as the user's. */
function measurements<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FileReadError) throw userError('MEASUREMENTS_INVALID', { file, problems: [error.reason] });
    if (error instanceof MeasurementsError) throw userError('MEASUREMENTS_INVALID', { file, problems: error.problems });
    throw error;
  }
}

/**
 * What the samples were measured with: their functions and memory sizes in the order first met
 * (the memory sizes then sorted), and their parameters as axes, each value in the order first
 * met (samples.csv lists cells in its run's plan order). Cells come in the order their first
 * samples came, so looking at each cell's key once meets everything in the samples' order.
 */
function planOf(samples: SampleCells): Plan {
  const names = new Set<string>();
  const memorySizes = new Set<number>();
  const axes = new Map<string, ParamValue[]>();
  for (const { key } of samples.cells.values()) {
    names.add(key.function);
    memorySizes.add(key.memoryMb);
    for (const [name, value] of Object.entries(key.params)) {
      const values = axes.get(name);
      if (values === undefined) axes.set(name, [value]);
      else if (!values.includes(value)) values.push(value);
    }
  }
  return { functions: [...names], memoryMb: [...memorySizes].sort((a, b) => a - b), axes: [...axes].map(([name, values]) => ({ name, values })) };
}

/** A run record for measurements made elsewhere: nothing about how they were made is known. */
function measuredElsewhere(options: AnalyzeOptions): Pick<TuneResult, 'schemaVersion' | 'run'> {
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
  };
}
