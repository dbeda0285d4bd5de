import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledBuckets, bundledFunctions, EXAMPLE_BUCKET, EXAMPLE_KEY } from '../../src/local/examples.js';
import { S3_CREDENTIALS } from '../../src/local/s3.js';
import { decodeTail, payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let directory: string;
let expectedDigest: string;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'lambda-tune-s3-'));
  t = await startTestPlatform({ functions: bundledFunctions(), s3: { directory, buckets: bundledBuckets(3) } });
  const s3 = new S3Client({ endpoint: t.platform.endpoints.s3, region: 'us-east-1', credentials: S3_CREDENTIALS, forcePathStyle: true });
  const object = await s3.send(new GetObjectCommand({ Bucket: EXAMPLE_BUCKET, Key: EXAMPLE_KEY }));
  const bytes = await object.Body!.transformToByteArray();
  expect(bytes.length).toBe(3 * 1024 * 1024);
  expectedDigest = createHash('sha1').update(bytes).digest('hex');
  s3.destroy();
});
afterAll(async () => {
  await t.stop();
  rmSync(directory, { recursive: true, force: true });
});

interface ErrorDocument {
  errorMessage: string;
}

describe('the hasher example on the local platform', () => {
  it.each([1, 2, 5])('hashes the seeded object in %s MB chunks from the payload alone', async (chunkSizeMb) => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'hasher', Payload: JSON.stringify({ chunkSizeMb }), LogType: 'Tail' }));
    expect(result.FunctionError).toBeUndefined();
    const body = payloadJson<{ mbPerSecond: number }>(result.Payload);
    expect(body).toMatchObject({ digest: expectedDigest, bytes: 3 * 1024 * 1024, chunks: Math.ceil(3 / chunkSizeMb), chunkSizeMb });
    expect(body.mbPerSecond).toBeGreaterThan(0);
    expect(decodeTail(result.LogResult)).toMatch(/\tINFO\thashed bytes=3145728 chunks=\d+ seconds=[\d.]+ readMs=[\d.]+ hashMs=[\d.]+ mbPerSecond=[\d.]+\n/);
  });

  it('reports a bad chunk size as a function error', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'hasher', Payload: JSON.stringify({ chunkSizeMb: -1 }) }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson<ErrorDocument>(result.Payload).errorMessage).toContain('chunkSizeMb must be a positive number');
  });
});
