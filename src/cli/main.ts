import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { describeError, EXIT, userError } from '../errors.js';
import { packageVersion } from '../package-root.js';
import { type CliIo, processIo } from './io.js';
import { abOptions } from './options/ab.js';
import { analyzeOptions } from './options/analyze.js';
import { applyOptions } from './options/apply.js';
import { compareOptions } from './options/compare.js';
import { historyOptions } from './options/history.js';
import { localOptions } from './options/local.js';
import { assertNoRepeatedFlags } from './options/repeats.js';
import { reportOptions } from './options/report.js';
import { restoreOptions } from './options/restore.js';
import { tuneOptions } from './options/tune.js';

// yargs' CommonJS build is one file: it loads in a fraction of the time of its ES module graph.
const yargs = createRequire(import.meta.url)('yargs/yargs') as (argv: string[]) => Argv;

type Run = (argv: never, io: CliIo) => Promise<number>;

/** Each command: its flags (light, loaded at start) and its work (loaded only when it runs). */
const COMMANDS: { command: string; describe: string; options: (y: Argv) => Argv<unknown>; run: () => Promise<Run> }[] = [
  {
    command: '$0',
    describe: 'Tune a function: measure it at each memory size × chunk size and find its sweet spot',
    options: tuneOptions,
    run: async () => (await import('./tune.js')).runCommand,
  },
  {
    command: 'local',
    describe: 'Serve the embedded Lambda + CloudWatch Logs + S3 platform on loopback',
    options: localOptions,
    run: async () => (await import('./local.js')).runCommand,
  },
  {
    command: 'analyze <file>',
    describe: 'Analyse measurements from elsewhere, or re-analyse a result.json',
    options: analyzeOptions,
    run: async () => (await import('./analyze.js')).runCommand,
  },
  {
    command: 'compare <baseline> <current>',
    describe: 'Gate: compare a result with a committed baseline; exit 1 on a real regression',
    options: compareOptions,
    run: async () => (await import('./compare.js')).runCommand,
  },
  {
    command: 'ab',
    describe: 'Gate: measure two versions or aliases in one run, interleaved, and judge B against A',
    options: abOptions,
    run: async () => (await import('./ab.js')).runCommand,
  },
  {
    command: 'report <result>',
    describe: 'Render a result.json again: the reports, charts and samples.csv',
    options: reportOptions,
    run: async () => (await import('./report.js')).runCommand,
  },
  {
    command: 'history [paths..]',
    describe: 'The trend of committed results: recommendation run by run, and where performance shifted',
    options: historyOptions,
    run: async () => (await import('./history.js')).runCommand,
  },
  {
    command: 'apply <result>',
    describe: "Set a result's recommended memory on its function ($LATEST, or a new version behind an alias)",
    options: applyOptions,
    run: async () => (await import('./apply.js')).runCommand,
  },
  {
    command: 'restore [dir]',
    describe: 'Put functions back after a run (or an apply) that crashed, from the journals in its folder',
    options: restoreOptions,
    run: async () => (await import('./restore.js')).runCommand,
  },
];

/** The whole program: parse the command line, run one command, turn what happened into an exit code. */
export async function run(proc: NodeJS.Process | CliIo): Promise<number> {
  const io = 'onInterrupt' in proc ? proc : processIo(proc);
  let exitCode: number = EXIT.ok;
  try {
    assertNoRepeatedFlags(io.argv);
    const parser = COMMANDS.reduce(
      (y, { command, describe, options, run: load }) =>
        y.command(command, describe, options, async (argv) => {
          exitCode = await (await load())(argv as never, io);
        }),
      baseParser(io.argv),
    );
    await parser.parseAsync(io.argv, {}, (error: unknown, _argv: unknown, output: string) => {
      if ((error === null || error === undefined) && output !== '') io.stdout.write(`${output}\n`);
    });
    return exitCode;
  } catch (error) {
    const { text, exitCode: code } = describeError(error, io.argv.includes('--debug'));
    io.stderr.write(`${text}\n`);
    return code;
  }
}

function baseParser(argv: string[]): Argv {
  return (
    yargs(argv)
      // `--payload.a 1` would otherwise turn a string flag into an object; as an unknown flag it is refused.
      .parserConfiguration({ 'dot-notation': false })
      .scriptName('tune')
      .usage('$0 <command> [options]\n\nMeasure an AWS Lambda function across memory sizes and payloads, and find its sweet spot.')
      .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of unexpected errors' })
      .strict()
      .version(packageVersion())
      .alias('h', 'help')
      .wrap(Math.min(100, process.stdout.columns || 100))
      .exitProcess(false)
      // yargs' types say an error always comes; on a usage mistake only the message does.
      .fail((message: string, error: Error | undefined) => {
        if (error !== undefined) throw error;
        throw userError('BAD_USAGE', { detail: message || 'The command line could not be read.' });
      })
  );
}
