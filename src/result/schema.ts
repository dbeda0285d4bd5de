import { z } from 'zod';
import { PARAM_NAME, RESERVED_NAMES } from '../plan/axes.js';
import { NOT_PARAMS } from './sample-columns.js';
import { type Analysis, SCHEMA_VERSION, type TuneResult } from './types.js';
import { choice, finite, flag, fraction, list, memoryMb, name, nonEmpty, nonNegative, object, positive, record, text, wholeNumber } from './fields.js';
import { describeValue, expected, mismatch, oneOf } from './wording.js';

/**
 * The whole of result.json as a zod schema: the one source for reading a result or baseline
 * and for schemas/tune-result.schema.json, which is generated from it (npm run schema).
 */

/** Names and descriptions for the JSON Schema; kept out of zod's global registry so loading this twice is harmless. */
const meta = z.registry<{ id?: string; title?: string; description?: string }>();

function described<S extends z.ZodType>(schema: S, description: string): S {
  meta.add(schema, { description });
  return schema;
}

const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export const SAMPLE_STATUSES = ['success', 'error', 'timeout', 'failure'] as const;
const STRATEGIES = ['cost', 'speed', 'balanced'] as const;
const PERCENTILES = [50, 90, 95, 99] as const;

const count = () => wholeNumber(0);
const PARAM_VALUE = 'a number, true or false, or a string';
const paramValue = () => z.union([finite(), flag(), text()], expected(PARAM_VALUE));
/** A cell's parameters by name; the names are checked as --param checks them. */
export const paramsSchema = () =>
  z.record(
    z
      .string()
      .regex(PARAM_NAME, expected('a parameter name (letters, digits, _ $ -)'))
      .refine((key) => !RESERVED_NAMES.has(key) && !NOT_PARAMS.has(key), expected('a parameter name that is not a measurement column')),
    paramValue(),
    expected('an object'),
  );
const architecture = choice(ARCHITECTURES).register(meta, { id: 'architecture' });

export const sampleSchema = object({
  function: name('a function name'),
  memoryMb: memoryMb(),
  params: described(paramsSchema(), "The cell's parameters, each set into the payload by name; empty when the run varied none."),
  durationMs: nonNegative(),
  billedDurationMs: nonNegative(),
  maxMemoryUsedMb: nonNegative(),
  initDurationMs: described(nonNegative().optional(), 'Present on a cold start.'),
  status: choice(SAMPLE_STATUSES),
  errorType: described(
    text().optional(),
    'The error the invocation raised; on a successful sample, an error of a type the run allowed (--allow-error), counted as a success.',
  ),
  cold: flag(),
  coldProbe: described(
    flag().optional(),
    "One of the run's --cold samples: the only invocation of a version published for it, so a fresh execution environment.",
  ),
  warmup: described(flag(), 'A warm-up invocation: kept in the raw samples, left out of the statistics.'),
  timings: record(finite()),
  requestId: text().optional(),
}).register(meta, { id: 'sample', description: 'One invocation, as measured.' });

const summarySchema = object({
  n: wholeNumber(1),
  mean: finite(),
  median: finite(),
  p90: finite(),
  p95: finite(),
  p99: finite(),
  min: finite(),
  max: finite(),
  stdDev: nonNegative(),
  trimmedMean: finite(),
  medianCi: object({ low: finite(), high: finite(), confidence: fraction() }),
  outliers: count(),
}).register(meta, { id: 'summary', description: 'A set of measurements described; null where there were none.' });

const cellSchema = object({
  id: name('a cell id'),
  function: name('a function name'),
  memoryMb: memoryMb(),
  params: paramsSchema(),
  architecture,
  invocations: count(),
  errors: count(),
  errorTypes: record(count()),
  allowedErrorTypes: described(record(count()).optional(), 'Errors of the types the run allowed (--allow-error), by type: counted as successes.'),
  failed: described(flag(), 'Any failed invocation fails the cell: it is reported, never recommended.'),
  durationMs: summarySchema.nullable(),
  billedDurationMs: summarySchema.nullable(),
  maxMemoryUsedMb: nonNegative(),
  headroomMb: finite(),
  costPerInvocationUsd: nonNegative().nullable(),
  costPerMillionUsd: nonNegative().nullable(),
  cold: object({
    count: count(),
    initDurationMs: summarySchema.nullable(),
    durationMs: summarySchema.nullable(),
    totalDurationMs: described(summarySchema.nullable().optional(), 'Init duration + duration: how long the caller of a cold start waited.'),
    costPerInvocationUsd: nonNegative().nullable(),
  }),
  timings: record(summarySchema),
  onFrontier: flag(),
}).register(meta, { id: 'cell', description: 'What the samples of one function × memory × parameters come to.' });

const pricesSchema = object({
  region: text(),
  architecture,
  pricePerGbSecondUsd: positive(),
  pricePerRequestUsd: nonNegative(),
  billInit: described(flag(), "Whether cold starts' INIT time is billed."),
  source: text(),
}).register(meta, { id: 'prices' });

const functionSchema = object({
  name: name('a function name'),
  architecture,
  originalMemoryMb: described(memoryMb().optional(), 'MemorySize before the run: what the recommendation saves against.'),
  prices: pricesSchema,
  codeSha256: described(text().optional(), "The CodeSha256 of the code that was tuned ($LATEST's)."),
  runtime: text().optional(),
  qualifier: described(
    object({ name: name('an alias or version'), version: name('a version number') }).optional(),
    'When tuned as NAME:ALIAS or NAME:VERSION: the qualifier given and the version it named, whose code $LATEST held.',
  ),
});

const samplingSchema = object({
  mode: z.literal('adaptive', expected('"adaptive"')),
  minInvocations: wholeNumber(1),
  precision: fraction(),
  stoppedBecause: described(
    record(choice(['precise', 'dominated', 'out-of-running', 'max', 'failed'])),
    'Why each cell got no more invocations, by cell id: its median was known to the precision, its intervals showed it slower and dearer than another, or unable to be the sweet spot, it had the most, or it failed.',
  ),
  fixedPlanInvocations: count(),
  invocations: count(),
  memorySearch: described(
    object({
      fromMb: memoryMb(),
      toMb: memoryMb(),
      stepMb: wholeNumber(1),
      measured: list(
        object({
          function: name('a function name'),
          params: paramsSchema(),
          memoryMb: memoryMb(),
          reason: choice(['probe', 'model optimum', 'neighbour', 'confirmation']),
        }),
        'a list of measured sizes',
      ),
    }).optional(),
    'A memory range searched: the range and why each size was measured.',
  ),
}).register(meta, { id: 'sampling', description: 'Adaptive sampling: how it decided and what it did.' });

const runSchema = object({
  // RunInfo types it as a string; the pattern holds it to the one value a lambda-tune result has.
  tool: z.string(expected('"lambda-tune"')).regex(/^lambda-tune$/, expected('"lambda-tune"')),
  toolVersion: text(),
  target: choice(['aws', 'local']),
  region: text(),
  profile: text().optional(),
  startedAt: text(),
  finishedAt: text(),
  invocationsPerCell: count(),
  warmupPerCell: count(),
  concurrency: count(),
  payload: record(z.unknown()),
  payloads: described(record(record(z.unknown())).optional(), "With several payload files: each file's payload by the name the payload axis gives it."),
  timingPatterns: list(text(), 'a list of strings'),
  coldStartsPerCell: described(wholeNumber(1).optional(), 'Cold starts measured per cell, each on a version of its own (--cold).'),
  sleepMs: described(wholeNumber(1).optional(), 'The pause after each invocation (--sleep-ms).'),
  allowedErrors: described(list(name('an error type'), 'a list of error types').optional(), 'Error types counted as successes (--allow-error).'),
  stoppedBy: described(choice(['budget', 'interrupt']).optional(), 'Set when the run stopped before measuring every cell.'),
  sampling: described(samplingSchema.optional(), 'With adaptive sampling; absent for the fixed plan.'),
});

export const axisSchema = object({
  name: z
    .string(expected('a parameter name'))
    .regex(PARAM_NAME, expected('a parameter name (letters, digits, _ $ -)'))
    .refine((key) => !RESERVED_NAMES.has(key) && !NOT_PARAMS.has(key), expected('a parameter name that is not a measurement column')),
  values: nonEmpty(paramValue(), 'a list of at least one value'),
});

export const planSchema = object({
  functions: nonEmpty(name('a function name'), 'a list of at least one function name'),
  memoryMb: nonEmpty(memoryMb(), 'a list of at least one memory size'),
  axes: described(list(axisSchema, 'a list of axes'), 'What each cell varies besides memory; the cells are memory × every combination of these.'),
});

export const selectionSchema = object({
  strategy: choice(STRATEGIES),
  weight: fraction(),
  maxDurationMs: positive().optional(),
  percentile: z.literal(PERCENTILES, expected(oneOf(PERCENTILES))),
  optimize: described(choice(['warm', 'cold']).optional(), 'What the strategy judges: warm invocations (the default) or cold starts.'),
});

const analysisSchema = object({
  cells: list(cellSchema),
  sweetSpot: object({ cellId: name('a cell id'), rule: text(), notes: list(text(), 'a list of strings') }).nullable(),
  selection: selectionSchema,
  runCostUsd: nonNegative(),
});

const resultShape = object({
  schemaVersion: z.literal(SCHEMA_VERSION, expected(`${SCHEMA_VERSION}, the schema version this lambda-tune reads`)),
  run: runSchema,
  plan: planSchema,
  functions: nonEmpty(functionSchema, 'a list of at least one function'),
  samples: list(sampleSchema),
  analysis: analysisSchema,
}).register(meta, {
  title: 'lambda-tune result',
  description: 'What a tune run measured and concluded. It carries the raw samples, so any later version can re-analyse and re-render it.',
});

type Issue = { path: PropertyKey[]; message: string };

/** What the types cannot say but the renderers and the gate rely on: names that point at something. */
function crossCheck(result: Pick<TuneResult, 'plan' | 'functions' | 'samples' | 'analysis'>): Issue[] {
  const issues: Issue[] = [];
  const names = new Set(result.functions.map((f) => f.name));
  const known = `one of the names in functions (${[...names].slice(0, 5).join(', ')}${names.size > 5 ? ', …' : ''})`;
  const pointsAtFunction = (fn: string, path: PropertyKey[]) => {
    if (!names.has(fn)) issues.push({ path, message: mismatch(known, fn) });
  };
  result.plan.functions.forEach((fn, i) => {
    pointsAtFunction(fn, ['plan', 'functions', i]);
  });
  result.samples.forEach((sample, i) => {
    pointsAtFunction(sample.function, ['samples', i, 'function']);
  });
  result.analysis.cells.forEach((cell, i) => {
    pointsAtFunction(cell.function, ['analysis', 'cells', i, 'function']);
  });
  const spot = sweetSpotIssue(result.analysis);
  if (spot !== undefined) issues.push(spot);
  return issues;
}

/** The recommended cell must exist and have what a recommendation quotes: a median and a cost. */
function sweetSpotIssue(analysis: Analysis): Issue | undefined {
  if (analysis.sweetSpot === null) return undefined;
  const id = analysis.sweetSpot.cellId;
  const path = ['analysis', 'sweetSpot', 'cellId'];
  const cell = analysis.cells.find((c) => c.id === id);
  if (cell === undefined) return { path, message: mismatch('the id of a cell in analysis.cells', id) };
  if (cell.failed || cell.durationMs === null || cell.costPerMillionUsd === null) {
    return {
      path,
      message: `expected a cell that was measured without failures, got ${describeValue(id)}, which ${cell.failed ? 'failed' : 'has no successful measurements'}`,
    };
  }
  return undefined;
}

/** result.json, cross-checks included; test/result/schema.test.ts holds its type to TuneResult's, field for field. */
export const tuneResultSchema = resultShape.superRefine((result, ctx) => {
  for (const issue of crossCheck(result)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/**
 * A result of another schema version fails most other checks too; this is the one thing worth
 * saying about it. Undefined when the version is the one this lambda-tune reads, or absent.
 */
const READABLE_VERSIONS: readonly unknown[] = [1, SCHEMA_VERSION];

export function versionProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('schemaVersion' in raw) || READABLE_VERSIONS.includes(raw.schemaVersion)) return undefined;
  return `schemaVersion: not a lambda-tune result of a schema version this lambda-tune reads (${READABLE_VERSIONS.join(' or ')}; it says ${describeValue(raw.schemaVersion)})`;
}

const RESULT_SCHEMA_ID = `https://lambda-tune.dev/schemas/tune-result-${SCHEMA_VERSION}.json`;

/** The JSON Schema of result.json, as committed in schemas/ (draft-07, which most validators read). */
export function resultJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(resultShape, { target: 'draft-07', io: 'input', metadata: meta });
  const { $schema, title, description, ...rest } = generated;
  return { $schema, $id: RESULT_SCHEMA_ID, title, description, ...rest };
}
