import yargs from 'yargs';
import { describeError, EXIT, UsageError } from '../errors.js';
import { packageVersion } from '../package-root.js';
import { type CliIo, processIo } from './io.js';
import * as local from './local.js';

/** The whole program: parse the command line, run one command, turn what happened into an exit code. */
export async function run(proc: NodeJS.Process | CliIo): Promise<number> {
  const io = 'onInterrupt' in proc ? proc : processIo(proc);
  const debug = io.argv.includes('--debug');
  let exitCode: number = EXIT.ok;
  const parser = yargs(io.argv)
    .scriptName('tune')
    .usage('$0 <command> [options]\n\nMeasure an AWS Lambda function across memory sizes and payloads, and find its sweet spot.')
    .command('local', 'Serve the embedded Lambda + CloudWatch Logs + S3 platform on loopback', local.buildCommand, async (argv) => {
      exitCode = await local.runCommand(argv as unknown as local.LocalOptions, io);
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of unexpected errors' })
    .demandCommand(1, 'Name a command: tune local (more arrive with the tune command).')
    .strict()
    .version(packageVersion())
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      throw new UsageError('BAD_USAGE', message ?? 'The command line could not be read.', 'Run "tune --help" to see the commands and options.');
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
