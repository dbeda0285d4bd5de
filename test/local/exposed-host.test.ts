import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/platform.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tune.js');

/** Runs `tune local` with these flags until it prints its endpoints; returns what it said on stderr by then. */
async function stderrOfLocal(...flags: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-host-'));
  const config = path.join(dir, 'tune.config.json');
  writeFileSync(config, JSON.stringify({ local: { functions: [{ name: 'noop', handler: path.join(FIXTURES, 'noop.handler') }], s3: { buckets: [] } } }));
  const child = spawn(process.execPath, [bin, 'local', '--port', '0', '--json', '--config', config, ...flags], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => {
        reject(new Error(`tune local exited with ${code}: ${stderr}`));
      });
    });
    return stderr;
  } finally {
    child.kill('SIGTERM');
  }
}

describe('tune local --host', () => {
  it('warns on stderr that anyone on the network can run code through an address beyond loopback', async () => {
    const stderr = await stderrOfLocal('--host', '0.0.0.0');
    expect(stderr).toContain('Warning: --host 0.0.0.0 serves the platform beyond this machine: anyone who can reach it over the network can run');
    expect(stderr).toContain('code on this machine through it');
  });

  it('says nothing on loopback', async () => {
    expect(await stderrOfLocal('--host', '127.0.0.1')).toBe('');
  });
});
