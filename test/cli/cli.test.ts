import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { FIXTURES, payloadJson } from '../helpers/platform.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'tune.js');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

const tune = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
}

function writeConfig(local: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-cli-'));
  const file = path.join(dir, 'tune.config.json');
  writeFileSync(file, JSON.stringify({ local }));
  return file;
}

describe('tune as a process', () => {
  it('prints help listing the local command, and its version', () => {
    const help = tune('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('tune local');
    const shown = tune('--version');
    expect(shown.status).toBe(0);
    expect(shown.stdout.trim()).toBe(version);
  });

  it.each([
    [['no-such-command'], /Unknown argument: no-such-command/],
    [['local', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['local', '--cpu-limit', 'fast'], /Invalid values/],
    [['local', '--config', '/nonexistent/tune.config.json'], /it does not exist/],
  ])('exits 2 with one clear message for %j', (args, message) => {
    const result = tune(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expectNoStack(result.stderr);
  });

  it('exits 2 naming the field of an invalid config', () => {
    const result = tune('local', '--config', writeConfig({ functions: [{ name: 'f', handler: 'x.handler', memoryMb: 100 }] }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('local.functions[0].memoryMb');
    expectNoStack(result.stderr);
  });

  it('serves on a free port, prints its endpoints as JSON, answers the SDK, and stops cleanly on SIGTERM', async () => {
    const config = writeConfig({ functions: [{ name: 'echo', handler: path.join(FIXTURES, 'echo.handler'), memoryMb: 256 }], s3: { buckets: [] } });
    const child = spawn(process.execPath, [bin, 'local', '--port', '0', '--json', '--config', config], { stdio: 'pipe' });
    try {
      const line = await firstLine(child);
      const endpoints = JSON.parse(line) as { lambda: string; logs: string; s3: string };
      expect(endpoints.lambda).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(endpoints.logs).toBe(endpoints.lambda);
      expect(endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new LambdaClient({ endpoint: endpoints.lambda, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
      expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))).MemorySize).toBe(256);
      const result = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{"from":"cli"}' }));
      expect(payloadJson<{ event: unknown }>(result.Payload).event).toEqual({ from: 'cli' });
      client.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await new Promise<[number | null]>((resolve) => {
      child.once('exit', (c) => {
        resolve([c]);
      });
    });
    expect(code).toBe(0);
  });
});

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`tune local exited with ${code}: ${stderr}`));
    });
  });
}
