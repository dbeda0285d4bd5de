import { findConfigFile } from '../config/config-file.js';
import { type LocalSection, localSectionOf } from '../config/local-config.js';
import { decimal } from '../config/numbers.js';
import { seedMbOf } from '../config/target-config.js';
import { badFlag, userError } from '../errors.js';
import { isLoopback } from '../local/host-check.js';
import type { Platform } from '../local/platform.js';
import { type CliIo, interrupted } from './io.js';
import type { LocalFlags } from './options/local.js';

export async function runCommand(options: LocalFlags, io: CliIo): Promise<number> {
  const port = decimal('--port', options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw badFlag('--port', `must be a whole number from 0 to 65535 (got ${port}).`, 'Use 0 to take any free port.');
  const seedMb = seedMbOf(options.seedMb);
  const section = localSectionOf(findConfigFile(options.config, io.cwd), io.cwd);
  if (!isLoopback(options.host)) io.stderr.write(exposedWarning(options.host));
  if (section.faults !== undefined) io.stderr.write('Note: local.faults is set: this platform makes up throttles, errors, delays and lost logs on purpose.\n');
  const platform = await start(section, { ...options, port, seedMb });
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

/** Said before serving on an address other machines can reach. */
function exposedWarning(host: string): string {
  return [
    `Warning: --host ${host} serves the platform beyond this machine: anyone who can reach it over the network can run`,
    'code on this machine through it, as you (it asks for no credentials). Use --host 127.0.0.1 (the default) unless you mean that.',
    '',
  ].join('\n');
}

async function start(section: LocalSection, options: LocalFlags & { port: number; seedMb: number }): Promise<Platform> {
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
      faults: section.faults,
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
