import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';

export const ROOT = packageRoot();
export const BIN = path.join(ROOT, 'bin', 'tune.js');

/**
 * An environment as on a CI machine pointed at an endpoint that stands in for AWS: throwaway
 * credentials, a region, no config files, no instance metadata.
 */
export function awsEnv(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = emptyHome();
  return {
    PATH: process.env['PATH'],
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    ...extra,
  };
}

/** One empty home folder for every run of this process: nothing of the user's AWS config can leak in, and none piles up. */
let home: string | undefined;
function emptyHome(): string {
  home ??= mkdtempSync(path.join(tmpdir(), 'lambda-tune-home-'));
  return home;
}

export interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a child process, not waited for synchronously: the endpoint it talks to may be served
 * by this very test process.
 */
export function spawnTune(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): { child: ChildProcessWithoutNullStreams; done: Promise<Finished> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (status, signal) => {
      resolve({ status, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/**
 * The CLI as a process that is killed with SIGKILL as soon as `killWhen(out)` holds (looked at
 * every 20 ms): a crash at a point a test chooses, for the crash-safety suites.
 */
export function spawnTuneKilledWhen(args: string[], env: NodeJS.ProcessEnv, killWhen: (out: string) => boolean, out: string): Promise<Finished> {
  const run = spawnTune(args, env);
  const watch = setInterval(() => {
    if (killWhen(out)) run.child.kill('SIGKILL');
  }, 20);
  return run.done.finally(() => {
    clearInterval(watch);
  });
}
