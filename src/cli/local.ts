import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG_FILE, type LocalSection, loadLocalSection, parseLocalSection } from '../config/local-config.js';
import { badFlag, userError } from '../errors.js';
import { EXAMPLE_OBJECT_MB } from '../local/examples.js';
import type { Platform } from '../local/platform.js';
import { type CliIo, interrupted } from './io.js';

export interface LocalOptions {
  port: number;
  host: string;
  json: boolean;
  config: string | undefined;
  seedMb: number;
  cpuLimit: 'auto' | 'cgroup' | 'throttle' | 'off' | undefined;
}

export function buildCommand(yargs: Argv): Argv<LocalOptions> {
  return yargs
    .usage('$0 local [options]\n\nServe the embedded Lambda + CloudWatch Logs + S3 platform on loopback until Ctrl-C.')
    .option('port', { type: 'number', default: 9001, describe: 'Port for the Lambda and Logs APIs (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to bind to' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the endpoints as one JSON line' })
    .option('config', {
      type: 'string',
      describe: `Config file with a "local" section (default: ./${DEFAULT_CONFIG_FILE} if present, else the bundled examples)`,
    })
    .option('seed-mb', { type: 'number', default: EXAMPLE_OBJECT_MB, describe: 'Size of the example object seeded into S3 when no config names buckets' })
    .option('cpu-limit', { choices: ['auto', 'cgroup', 'throttle', 'off'] as const, describe: "How CPU is limited (default: the config's, else auto)" })
    .example('$0 local --port 0 --json', 'serve on any free port and print the endpoints as JSON') as unknown as Argv<LocalOptions>;
}

export async function runCommand(options: LocalOptions, io: CliIo): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw badFlag('--port', `must be a whole number from 0 to 65535 (got ${options.port}).`, 'Use 0 to take any free port.');
  }
  if (!(options.seedMb > 0)) throw badFlag('--seed-mb', `must be a positive number (got ${options.seedMb}).`, 'For example --seed-mb 20.');
  const section = resolveLocalSection(options.config, io.cwd);
  const platform = await start(section, options);
  const { endpoints } = platform;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ lambda: endpoints.lambda, logs: endpoints.logs, s3: endpoints.s3 })}\n`);
  } else {
    io.stdout.write(
      [
        'lambda-tune local platform',
        `  Lambda API       ${endpoints.lambda}`,
        `  CloudWatch Logs  ${endpoints.logs}`,
        `  S3               ${endpoints.s3 ?? '(off)'}`,
        `  region           ${platform.region}   credentials: any   CPU limits: ${platform.cpuLimit}`,
        '',
        `  aws lambda invoke --endpoint-url ${endpoints.lambda} --function-name hasher --cli-binary-format raw-in-base64-out --payload '{"chunkSizeMb":10}' out.json`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  await interrupted(io);
  await platform.stop();
  return 0;
}

/** The config's local section, or the bundled examples when there is no config. */
export function resolveLocalSection(configFile: string | undefined, cwd: string): LocalSection {
  if (configFile !== undefined) return loadLocalSection(path.resolve(cwd, configFile));
  const fallback = path.join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? loadLocalSection(fallback) : parseLocalSection({}, cwd);
}

async function start(section: LocalSection, options: LocalOptions): Promise<Platform> {
  // Loaded here, not at the top, so `tune --help` does not pay for the SDK and the S3 server.
  const [{ startPlatform }, { bundledBuckets, bundledFunctions }] = await Promise.all([import('../local/platform.js'), import('../local/examples.js')]);
  try {
    return await startPlatform({
      functions: section.functions ?? bundledFunctions(),
      host: options.host,
      port: options.port,
      region: section.region,
      s3: { directory: section.s3.directory, buckets: section.s3.buckets ?? bundledBuckets(options.seedMb) },
      cpuLimit: options.cpuLimit ?? section.limits.cpu,
      maxEnvironments: section.limits.maxEnvironments,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw userError('PORT_IN_USE', { host: options.host, port: options.port });
    }
    if (code === 'EADDRNOTAVAIL') {
      throw userError('BAD_HOST', { host: options.host });
    }
    throw error;
  }
}
