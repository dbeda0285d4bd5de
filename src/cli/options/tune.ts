import type { Argv } from 'yargs';
import type { GateFlags } from '../../config/gate-config.js';
import type { RunFlags } from '../../config/tune-config.js';
import { applyRunOptions, type ApplyRunFlags } from './apply.js';
import { gateOptions } from './gate.js';
import type { NumberFlag } from './numbers.js';
import { targetOptions } from './target.js';

/** The tune command's flags as yargs hands them over, before validation: what to measure, where, and how to judge it. */
export interface TuneFlags extends Omit<RunFlags, 'concurrency'>, GateFlags, ApplyRunFlags {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  seedMb: NumberFlag;
  concurrency?: NumberFlag | undefined;
  oversubscribe: boolean;
  baseline?: string | undefined;
  updateBaseline?: string | undefined;
  out?: string | undefined;
  template: string[];
  json: boolean;
  dryRun: boolean;
  resume?: string | undefined;
}

/** The sweet spot's flags, shared by `tune` and `tune analyze` (which validate them alike). */
export function selectionOptions(yargs: Argv): Argv {
  return yargs
    .option('strategy', { type: 'string', default: 'balanced', describe: 'How the sweet spot is chosen: balanced, cost or speed' })
    .option('weight', { type: 'string', default: 0.5, describe: 'Weight of cost against speed for --strategy balanced (0..1)' })
    .option('max-duration-ms', {
      type: 'string',
      describe: 'Duration target: the cheapest cell that meets it at --percentile wins',
    })
    .option('percentile', { type: 'string', default: 95, describe: 'Percentile for --max-duration-ms: 50, 90, 95 or 99' })
    .option('optimize', {
      type: 'string',
      default: 'warm',
      describe: 'What the strategy judges: warm invocations, or cold starts (init + duration, and their cost; needs --cold N)',
    });
}

/** Numbers arrive as typed and are read as decimal by the config, which says which flag is wrong. */
export const number = (describe: string, defaultValue?: number) => ({
  type: 'string' as const,
  describe,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

export function tuneOptions(yargs: Argv): Argv<TuneFlags> {
  return applyRunOptions(outputOptions(priceOptions(matrixOptions(workloadOptions(selectionOptions(gateOptions(targetOptions(yargs))))))))
    .usage(
      '$0 --function NAME --memory 128,256,... [--chunks 1,10,...] [--param NAME=V1,V2] [options]\n\nMeasure a function at each memory size × parameter combination and find its sweet spot.',
    )
    .example('$0 --local --function hasher --memory 128,256,512,1024 --chunks 1,10,20,50', 'tune the bundled example on the embedded platform')
    .example('$0 --function my-fn --memory 512,1024,2048 --payload @event.json --region eu-west-1', 'tune a function on AWS')
    .example(
      '$0 --local --function s3-copy --memory 512,1024 --param mode=serial,threads,async --param workers=2,8',
      'tune two payload parameters at once',
    ) as unknown as Argv<TuneFlags>;
}

/** What is measured and how hard: the functions, the cells, the payload, the workload. */
function matrixOptions(yargs: Argv): Argv {
  return yargs
    .option('function', {
      type: 'string',
      describe: 'Function name(s) or ARN(s) to tune, comma separated (compare x86_64 and arm64 builds in one run); NAME:ALIAS tunes the code the alias serves',
    })
    .option('memory', {
      type: 'string',
      describe: 'Memory sizes in MB, comma separated (128..10240), or a range FROM..TO[:STEP] (every STEP MB, 64 by default) that adaptive sampling searches',
    })
    .option('sampling', {
      type: 'string',
      default: 'adaptive',
      describe: 'adaptive: invoke a cell until its median is known to --precision or it can no longer be the sweet spot; fixed: every cell --invocations times',
    })
    .option('precision', { type: 'string', default: '5%', describe: 'Adaptive: the 95% interval of the median within ± this much of it, in percent' })
    .option('min-invocations', number('Adaptive: the least a cell gets (default 3, or --invocations when that is less; --invocations is the most)'))
    .option('concurrency', number('Invocations in flight across the whole run (default 4; 8 with --local, where the CPU budget keeps cells apart)'))
    .option('cold', number('Cold starts to measure per cell, each on a version published for it alone (its environment fresh); 0: only those the run meets', 0))
    .option('oversubscribe', {
      type: 'boolean',
      default: false,
      describe: "With --local: let running functions' CPU shares exceed the host's cores (measurements then steal CPU from each other)",
    });
}

/** What each cell is invoked with, and how often: shared with `tune ab`. */
export function workloadOptions(yargs: Argv): Argv {
  return yargs
    .option('chunks', { type: 'string', describe: 'Chunk sizes in MB, comma separated, sent in the payload as --chunk-key (an axis, like --param)' })
    .option('param', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'An axis: NAME=V1,V2,… set into the payload as NAME (numbers, true/false, bare words as strings, "JSON strings"); repeatable',
    })
    .option('payload', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Payload as JSON, or @file; given several times (or @folder of .json files) the payload is an axis named by file',
    })
    .option('chunk-key', { type: 'string', default: 'chunkSizeMb', describe: 'Payload field that carries the chunk size' })
    .option('invocations', number('Measured warm invocations per cell', 10))
    .option('warmup', number('Warm-up invocations per cell, left out of the statistics', 1))
    .option('timing', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: "Logged timing to collect: 'name=REGEX' with a named group (?<value>…); embedded metric format is read by itself",
    })
    .option('allow-error', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'An error type the function raises on purpose (ConditionalCheckFailedException): counted as a success, and shown; repeatable',
    })
    .option('sleep-ms', number('Pause after each invocation, per worker (0..600000 ms): spaces calls to what the function writes to', 0));
}

/** What the run may spend and how it is priced. */
function priceOptions(yargs: Argv): Argv {
  return yargs
    .option('budget', number('Most the run may spend, in USD; the estimate is printed first and the run stops before exceeding it'))
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan and the estimated cost; change nothing' })
    .option('price-per-gb-second', number('Price per GB-second in USD (default: the price table for the region and architecture)'))
    .option('price-per-request', number('Price per request in USD (default: the price table for the region)'))
    .option('bill-init', {
      type: 'boolean',
      default: true,
      describe: "Count cold starts' INIT time in their cost (AWS bills it since August 2025); --no-bill-init leaves it out",
    });
}

/** Where the result goes, and the baseline it is judged against or becomes. */
function outputOptions(yargs: Argv): Argv {
  return yargs
    .option('out', { type: 'string', describe: 'Folder for samples.jsonl, result.json, the reports and the journal (default: tune-results/<function>)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result JSON on stdout instead of the table' })
    .option('template', { type: 'string', array: true, default: [] as string[], describe: 'Your copy of templates/report.md or report.html to render with' })
    .option('baseline', {
      type: 'string',
      describe: "After the run, compare with this committed result.json (tune compare's rules apply); exit 1 on a real regression",
    })
    .option('update-baseline', { type: 'string', describe: "Write this run's result.json here as the new baseline to commit" })
    .option('resume', {
      type: 'string',
      describe: 'Finish an interrupted run from its folder: restore what it left changed, keep its samples, measure what is missing',
    });
}
