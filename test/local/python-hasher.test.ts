import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledBuckets, bundledFunctions, EXAMPLE_BUCKET, EXAMPLE_KEY } from '../../src/local/examples.js';
import { S3_CREDENTIALS } from '../../src/local/s3.js';
import { spawnTune } from '../helpers/cli.js';
import { decodeTail, payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-tune-hasher-py-'));
let expectedDigest: string;

beforeAll(async () => {
  t = await startTestPlatform({ functions: bundledFunctions(), s3: { directory: path.join(scratch, 's3'), buckets: bundledBuckets(3) } });
  const s3 = new S3Client({ endpoint: t.platform.endpoints.s3, region: 'us-east-1', credentials: S3_CREDENTIALS, forcePathStyle: true });
  const object = await s3.send(new GetObjectCommand({ Bucket: EXAMPLE_BUCKET, Key: EXAMPLE_KEY }));
  expectedDigest = createHash('sha1')
    .update(await object.Body!.transformToByteArray())
    .digest('hex');
  s3.destroy();
});
afterAll(async () => {
  await t.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the hasher-py example on the local platform', () => {
  it.each([1, 2, 5])('hashes the seeded object in %s MB chunks with boto3, logging the timings as the Node.js hasher does', async (chunkSizeMb) => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'hasher-py', Payload: JSON.stringify({ chunkSizeMb }), LogType: 'Tail' }));
    expect(result.FunctionError).toBeUndefined();
    const body = payloadJson<{ mbPerSecond: number }>(result.Payload);
    expect(body).toMatchObject({ digest: expectedDigest, bytes: 3 * 1024 * 1024, chunks: Math.ceil(3 / chunkSizeMb), chunkSizeMb });
    expect(body.mbPerSecond).toBeGreaterThan(0);
    const tail = decodeTail(result.LogResult);
    expect(tail).toMatch(/\nhashed bytes=3145728 chunks=\d+ seconds=[\d.]+ readMs=[\d.]+ hashMs=[\d.]+ mbPerSecond=[\d.]+\n/);
    const metrics = JSON.parse(tail.split('\n').find((line) => line.startsWith('{"_aws"'))!) as Record<string, unknown>;
    expect(metrics).toMatchObject({ chunkSizeMb: String(chunkSizeMb), readMs: expect.any(Number) as number, hashMs: expect.any(Number) as number });
    expect(metrics['_aws']).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'lambda-tune/hasher', Dimensions: [['chunkSizeMb']] }] });
  });

  it('reports a bad chunk size as a function error', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'hasher-py', Payload: JSON.stringify({ chunkSizeMb: -1 }) }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'ValueError', errorMessage: 'chunkSizeMb must be a positive number, got -1' });
  });
});

describe('tune --local on hasher-py', () => {
  it('measures two memory sizes end to end and reads the timings the function logs', async () => {
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const env = { PATH: process.env['PATH'], HOME: home, AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none') };
    const out = path.join(scratch, 'out');
    const args = ['--local', '--function', 'hasher-py', '--memory', '128,256', '--chunks', '1', '--invocations', '2', '--out', out];
    const { status, stdout, stderr } = await spawnTune(args, env).done;
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(status).toBe(0);
    expect(stdout).toMatch(/★ Sweet spot: hasher-py at (128|256) MB with chunkSizeMb=1/);
    expect(stdout).toMatch(/Logged timings at the sweet spot \(median\): hashMs [\d.]+, mbPerSecond [\d.]+, readMs [\d.]+/);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as { samples: { warmup: boolean; status: string }[] };
    expect(result.samples.map((sample) => sample.status)).not.toContain('error');
    expect(result.samples.filter((sample) => !sample.warmup).length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
