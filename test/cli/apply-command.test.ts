import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import {
  expectNoStack,
  found,
  freshDir,
  memoryOf,
  ORIGINAL_MB,
  readApplyJournal,
  readResultIn,
  recommendedMb,
  reset,
  RUN,
  startApplyPlatform,
  tuneOn,
} from '../helpers/apply.js';
import { awsEnv, BIN, type Finished, spawnTune } from '../helpers/cli.js';
import type { TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let resultFile: string;
let memoryMb: number;
beforeAll(async () => {
  t = await startApplyPlatform();
  const out = freshDir('apply-measured');
  const run = await tuneOn(t, [...RUN, '--out', out]);
  if (run.status !== 0) throw new Error(run.stderr);
  resultFile = path.join(out, 'result.json');
  memoryMb = recommendedMb(readResultIn(out));
});
afterAll(() => t.stop());
beforeEach(() => reset(t));

describe('tune apply RESULT.json', () => {
  it('creates the alias --alias names, pointed at a version with the recommended memory; undo deletes both', async () => {
    const out = freshDir('apply-new-alias');
    const run = await tuneOn(t, ['apply', resultFile, '--alias', 'fresh', '--yes', '--out', out]);
    expectNoStack(run);
    expect(run.status, run.stderr).toBe(0);
    const applied = new RegExp(`^Applied: noop:fresh \\(a new alias\\) → version (\\d+) at ${memoryMb} MB; \\$LATEST stays at 192 MB`).exec(run.stdout);
    expect(applied, run.stdout).not.toBeNull();
    const version = applied![1]!;
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST', version], aliases: { fresh: version } });
    expect(await memoryOf(t, 'fresh')).toBe(memoryMb);
    const undone = await tuneOn(t, ['restore', out, '--undo-apply']);
    expect(undone.stdout).toContain(`Undone: deleted the alias fresh of noop (the apply had created it); deleted version ${version}.`);
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
  });

  it('refuses when the function no longer runs the code that was measured (someone deployed meanwhile), having changed nothing', async () => {
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as TuneResult;
    const measured = { ...result, functions: result.functions.map((f) => ({ ...f, codeSha256: 'MEASURED0000000000000000000000000000000000000=' })) };
    const dir = freshDir('apply-code');
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(measured));
    const run = await tuneOn(t, ['apply', path.join(dir, 'result.json'), '--yes']);
    expectNoStack(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /Not applied: the code of noop changed since it was measured \(CodeSha256 \S+, measured MEASURED0+=\); someone deployed meanwhile/,
    );
    expect(run.stderr).toContain('Tune the code it has now (run tune again), then apply that recommendation.');
    expect(existsSync(path.join(dir, 'apply.json'))).toBe(false);
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
  });

  it('refuses a result of AWS with --local (and one of the local platform without it)', async () => {
    const run = await tuneOn(t, ['apply', resultFile, '--local', '--yes']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('was measured on AWS; --local would apply its recommendation to the local platform');
  });
});

describe('an apply killed half way', () => {
  it('is put back by tune restore DIR, which finds the version whose PublishVersion answer was lost', async () => {
    const proxy = await holdingProxy(t.platform.endpoints.lambda, (method, url) => method === 'POST' && /\/functions\/[^/]+\/versions$/.test(url));
    try {
      const out = freshDir('apply-killed');
      const run = spawnTune(['apply', resultFile, '--alias', 'live', '--yes', '--out', out], awsEnv(proxy.url, { AWS_REGION: t.platform.region }));
      proxy.onHold = () => run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(readApplyJournal(out)).toMatchObject({ state: 'applying', latestChanged: true, alias: { name: 'live', publishing: true, changed: false } });
      const left = await found(t);
      expect(left.memoryMb).toBe(memoryMb);
      expect(left.versions).toHaveLength(2);

      // Nothing else may start in the folder until it is put back.
      const refused = await tuneOn(t, ['apply', resultFile, '--yes', '--out', out]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`Run "tune restore ${out}" first`);

      const restored = await tuneOn(t, ['restore', out]);
      expectNoStack(restored);
      expect(restored.status, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`Put back the apply that did not finish: noop $LATEST back to 192 MB; deleted version ${left.versions![1]!}.`);
      expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
      expect(readApplyJournal(out).state).toBe('undone');
    } finally {
      await proxy.close();
    }
  });
});

describe('asking first', () => {
  it('without a terminal, refuses --apply without --yes before sending a single request (exit 2)', async () => {
    const counter = await holdingProxy(t.platform.endpoints.lambda, () => false);
    try {
      const env = awsEnv(counter.url, { AWS_REGION: t.platform.region });
      for (const args of [
        [...RUN, '--apply', '--out', freshDir('apply-no-tty')],
        [...RUN, '--apply-alias', 'live', '--out', freshDir('apply-no-tty')],
        ['apply', resultFile, '--out', freshDir('apply-no-tty')],
      ]) {
        const run = await spawnTune(args, env).done;
        expectNoStack(run);
        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(/changes the function, and there is no terminal to ask on first \(stdin is not a terminal\)\. Nothing was run\.\nAdd --yes/);
      }
      expect(counter.requests).toEqual([]);
    } finally {
      await counter.close();
    }
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('on a terminal, asks first and applies only on yes (a pseudo-terminal by util-linux script)', async () => {
    const no = await onTerminal(['apply', resultFile, '--out', freshDir('apply-tty')], 'n\n');
    expect(no.stdout).toContain(`Apply the recommendation: noop $LATEST 192 MB → ${memoryMb} MB? [y/N] `);
    expect(no.stdout).toContain('Not applied: the answer was no. Nothing was changed.');
    expect(await memoryOf(t)).toBe(ORIGINAL_MB);
    const yes = await onTerminal(['apply', resultFile, '--out', freshDir('apply-tty')], 'y\n');
    expect(yes.stdout).toContain(`Applied: noop $LATEST 192 MB → ${memoryMb} MB`);
    expect(await memoryOf(t)).toBe(memoryMb);
  });
});

/** The CLI on a pseudo-terminal (stdin, stdout and stderr all on it), typing `input`. */
function onTerminal(args: string[], input: string): Promise<Finished> {
  const command = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region }) });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      resolve({ status, signal, stdout: stdout.replaceAll('\r\n', '\n'), stderr: '' });
    });
  });
}

interface HoldingProxy {
  url: string;
  /** Every request that reached it, as `METHOD /path`. */
  requests: string[];
  onHold: () => void;
  close(): Promise<void>;
}

/**
 * Stands between the CLI and the platform, passing each request on; one that `hold` picks is
 * passed on too, but its answer never comes back (as when a connection drops after AWS acted).
 */
async function holdingProxy(target: string, hold: (method: string, url: string) => boolean): Promise<HoldingProxy> {
  const proxy: HoldingProxy = { url: '', requests: [], onHold: () => undefined, close: async () => undefined };
  const server: Server = createServer((incoming, answer) => {
    const method = incoming.method ?? 'GET';
    proxy.requests.push(`${method} ${incoming.url ?? ''}`);
    // Sent in the platform's own name: it answers no other host (DNS rebinding), and checks no signature.
    const forward = httpRequest(new URL(incoming.url ?? '/', target), { method, headers: { ...incoming.headers, host: new URL(target).host } }, (response) => {
      if (hold(method, incoming.url ?? '')) {
        response.resume();
        response.on('end', () => {
          proxy.onHold();
        });
        return;
      }
      answer.writeHead(response.statusCode ?? 500, response.headers);
      response.pipe(answer);
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return proxy;
}
