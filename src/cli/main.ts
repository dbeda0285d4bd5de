import yargs from 'yargs';
import { describeError, EXIT, userError } from '../errors.js';
import { packageVersion } from '../package-root.js';
import { type CliIo, processIo } from './io.js';
import * as analyzeCommand from './analyze.js';
import * as compare from './compare.js';
import * as local from './local.js';
import * as report from './report.js';
import * as restore from './restore.js';
import * as tune from './tune.js';

/** The whole program: parse the command line, run one command, turn what happened into an exit code. */
export async function run(proc: NodeJS.Process | CliIo): Promise<number> {
  const io = 'onInterrupt' in proc ? proc : processIo(proc);
  const debug = io.argv.includes('--debug');
  let exitCode: number = EXIT.ok;
  const parser = yargs(io.argv)
    .scriptName('tune')
    .usage('$0 <command> [options]\n\nMeasure an AWS Lambda function across memory sizes and payloads, and find its sweet spot.')
    .command('$0', 'Tune a function: measure it at each memory size × chunk size and find its sweet spot', tune.buildCommand, async (argv) => {
      exitCode = await tune.runCommand(argv as unknown as tune.TuneOptions, io);
    })
    .command('local', 'Serve the embedded Lambda + CloudWatch Logs + S3 platform on loopback', local.buildCommand, async (argv) => {
      exitCode = await local.runCommand(argv as unknown as local.LocalOptions, io);
    })
    .command('analyze <file>', 'Analyse measurements from elsewhere, or re-analyse a result.json', analyzeCommand.buildCommand, async (argv) => {
      exitCode = await analyzeCommand.runCommand(argv as unknown as analyzeCommand.AnalyzeOptions, io);
    })
    .command(
      'compare <baseline> <current>',
      'Gate: compare a result with a committed baseline; exit 1 on a real regression',
      compare.buildCommand,
      async (argv) => {
        exitCode = await compare.runCommand(argv as unknown as compare.CompareOptions, io);
      },
    )
    .command('report <result>', 'Render a result.json again: report.md, samples.csv', report.buildCommand, async (argv) => {
      exitCode = await report.runCommand(argv as unknown as report.ReportOptions, io);
    })
    .command('restore', 'Put functions back after a run that crashed, from its journal', restore.buildCommand, async (argv) => {
      exitCode = await restore.runCommand(argv as unknown as restore.RestoreOptions, io);
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of unexpected errors' })
    .strict()
    .version(packageVersion())
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      throw userError('BAD_USAGE', { detail: message ?? 'The command line could not be read.' });
    });
  try {
    await parser.parseAsync(io.argv, {}, (error, _argv, output) => {
      if ((error === null || error === undefined) && output !== '') io.stdout.write(`${output}\n`);
    });
    return exitCode;
  } catch (error) {
    const { text, exitCode: code } = describeError(error, debug);
    io.stderr.write(`${text}\n`);
    return code;
  }
}
