import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { resultOf } from '../helpers/gate.js';

/** Stands where AWS would: counts every request and answers each with a service error. */
let server: Server;
let requests = 0;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    request.resume();
    response.writeHead(500, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ServiceException' });
    response.end('{"message":"counting endpoint"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-inputs-'));

function run(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return spawnTune(args, awsEnv(endpoint, { AWS_MAX_ATTEMPTS: '1', ...env }), dir).done;
}

const file = (name: string, text: string): string => {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
};
mkdirSync(path.join(dir, 'a-folder'), { recursive: true });

const base = ['--function', 'f', '--memory', '128,256'];

/** A sound result of another function, g: a baseline this run of f cannot be compared with. */
function otherFunctionsBaseline(): TuneResult {
  return resultOf([{ memoryMb: 512, durations: [10, 11, 12] }], { fn: 'g' });
}

describe('every input is checked before the first request', () => {
  it('a sound command line does reach the endpoint (the control)', async () => {
    const before = requests;
    const result = await run(base);
    expect(requests).toBeGreaterThan(before);
    expect(result.status).toBe(3);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it.each([
    ['a bad rule', ['--rule', 'duration:p50 >> 10%'], /The rule "duration:p50 >> 10%" is not valid/],
    ['a confidence out of range', ['--confidence', '1.5'], /--confidence must be at least 0.5/],
    ['a hexadecimal confidence', ['--confidence', '0x1'], /--confidence takes a decimal number/],
    [
      'a bad gate section',
      ['--config', file('gate.json', '{"gate":{"rules":[{"metric":"duration","increasePercent":-5}]}}')],
      /gate\.rules\[0\]\.increasePercent/,
    ],
    ['a config that is not an object', ['--config', file('list.json', '[1,2]')], /expected a JSON object/],
    ['a config folder', ['--config', path.join(dir, 'a-folder')], /it is a folder, not a file/],
    ['a missing config', ['--config', path.join(dir, 'nope.json')], /it does not exist/],
    [
      'a bad local section with --local',
      ['--local', '--config', file('local.json', '{"local":{"functions":[{"name":"x"}]}}')],
      /local\.functions\[0\]\.handler/,
    ],
    ['a template of the wrong kind', ['--template', file('t.txt', 'x')], /--template .*give a \.md or \.html file/],
    ['a baseline that is not JSON', ['--baseline', file('b.json', 'nope')], /Cannot read the baseline .*not valid JSON/],
    ['a baseline folder', ['--baseline', path.join(dir, 'a-folder')], /Cannot read the baseline .*it is a folder, not a file/],
    ['a payload file that is missing', ['--payload', `@${path.join(dir, 'missing.json')}`], /--payload cannot use .*it does not exist/],
    ['--out naming a file', ['--out', file('plain-file', 'x')], /output folder .*it is a file, not a folder/],
    ['--update-baseline naming a folder', ['--update-baseline', path.join(dir, 'a-folder')], /baseline to write .*it is a folder, not a file/],
    ['--markdown under a file', ['--markdown', path.join(file('blocker', 'x'), 'gate.md')], /blocker is a file, not a folder/],
    ['a repeated --memory', ['--memory', '512'], /--memory was given 2 times \(128,256, 512\)/],
    ['a repeated --invocations', ['--invocations', '3', '--invocations=4'], /--invocations was given 2 times \(3, 4\)/],
    ['a repeated boolean', ['--json', '--no-json'], /--json was given 2 times/],
    ['a hexadecimal memory size', ['--chunks', '1', '--memory', '0x200'], /was given 2 times|--memory 0x200 is not a memory size/],
    ['hexadecimal invocations', ['--invocations', '0x10'], /--invocations takes a decimal number \(got "0x10"\)/],
    ['invocations in exponent form', ['--invocations', '1e1'], /--invocations takes a decimal number/],
    ['an empty region', ['--region', ''], /--region "" is not an AWS region/],
    ['a made-up region', ['--region', 'mars'], /--region "mars" is not an AWS region/],
    ['an empty profile', ['--profile', ' '], /--profile must not be empty/],
    ['a weight out of range', ['--weight', '5'], /--weight must be between 0 and 1 \(got 5\)/],
    ['a percentile tune does not know', ['--percentile', '97'], /--percentile must be 50, 90, 95 or 99/],
    ['a flag in dot notation', ['--payload.a', '1'], /Unknown argument: payload\.a/],
    ['a flag given in two spellings', ['--chunkKey', 'a', '--chunk-key', 'b'], /--chunk-key was given 2 times \(a, b\)/],
    [
      'a baseline of other functions',
      ['--baseline', file('other-functions.json', JSON.stringify(otherFunctionsBaseline()))],
      /not comparable: functions differ \(baseline: g; this run: f\)/,
    ],
  ])('%s: exit 2, no request sent', async (_name, extra, message) => {
    const before = requests;
    const result = await run([...base, ...extra]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.status).toBe(2);
    expect(requests).toBe(before);
  });

  it('refuses an endpoint variable that is no URL', async () => {
    const result = await run(base, { AWS_ENDPOINT_URL: 'not a url' });
    expect(result.stderr).toMatch(/AWS_ENDPOINT_URL is not an http\(s\) URL: "not a url"/);
    expect(result.status).toBe(2);
  });

  it('a hexadecimal memory size alone is refused too', async () => {
    const result = await run(['--function', 'f', '--memory', '0x200']);
    expect(result.stderr).toMatch(/--memory 0x200 is not a memory size Lambda accepts/);
    expect(result.status).toBe(2);
  });
});

describe('tune analyze checks its flags as tune does', () => {
  const csv = file('m.csv', 'memoryMb,durationMs,billedDurationMs,maxMemoryUsedMb\n128,10,10,50\n128,11,11,50\n128,12,12,50\n');
  it.each([
    [['--weight', '5'], /--weight must be between 0 and 1/],
    [['--strategy', 'cheap'], /--strategy must be balanced, cost or speed/],
    [['--percentile', '0x5f'], /--percentile takes a decimal number/],
    [['--architecture', 'mips'], /--architecture must be x86_64 or arm64/],
    [['--region', ''], /--region "" is not an AWS region/],
    [['--out', file('not-a-folder', 'x')], /it is a file, not a folder/],
    [['--weight', '0.3', '--weight', '0.4'], /--weight was given 2 times/],
  ])('%j: exit 2', async (extra, message) => {
    const result = await run(['analyze', csv, ...extra]);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });

  it('accepts the same file with sound flags', async () => {
    const result = await run(['analyze', csv, '--weight', '0.3']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('a journal that still needs a restore', () => {
  const pending = (folder: string): string => {
    mkdirSync(folder, { recursive: true });
    const journal = {
      journalVersion: 2,
      tool: 'lambda-tune',
      runId: 'c0ffee00',
      target: 'aws',
      region: 'us-east-1',
      startedAt: '2026-11-21T10:00:00.000Z',
      state: 'running',
      functions: [
        {
          name: 'f',
          arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
          originalMemoryMb: 256,
          createdVersions: [],
          publishing: false,
          memoryRestored: false,
        },
        {
          name: 'g',
          arn: 'arn:aws:lambda:us-east-1:123456789012:function:g',
          originalMemoryMb: 512,
          createdVersions: ['3'],
          publishing: false,
          memoryRestored: false,
        },
      ],
    };
    return file(path.join(path.relative(dir, folder), 'journal.json'), JSON.stringify(journal));
  };

  it('stops a new run into its folder before any request, and says how to restore', async () => {
    const out = path.join(dir, 'crashed-run');
    const journal = pending(out);
    const before = requests;
    const result = await run([...base, '--out', out]);
    expect(result.stderr).toContain(`Run "tune restore --journal ${journal}" first`);
    expect(result.status).toBe(2);
    expect(requests).toBe(before);
  });

  it('is restored in under 30 s, with exit 3 and a clear message, when AWS never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const journal = pending(path.join(dir, 'silent-run'));
    const started = Date.now();
    const result = await run(['restore', '--journal', journal], { AWS_ENDPOINT_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    silent.closeAllConnections();
    silent.close();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.stderr).toMatch(/Cannot reach AWS \(region us-east-1, default credentials\): no answer within 10 s/);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.status).toBe(3);
  });

  it("is restored in the journal's region, not the environment's", async () => {
    const journal = pending(path.join(dir, 'region-run'));
    const result = await run(['restore', '--journal', journal], { AWS_REGION: 'eu-west-1' });
    expect(result.stderr).toMatch(/region us-east-1/);
    expect(result.status).toBe(3);
  });
});
