import { createHash } from 'node:crypto';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { S3_CREDENTIALS } from '../../src/local/s3.js';
import { packageRoot } from '../../src/package-root.js';
import { payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const BUCKET = 'examples';
const KEY = 'object.bin';
const examples = path.join(packageRoot(), 'examples');

function example(name: string, environment: Record<string, string>) {
  return localFunctionSchema.parse({ name, handler: path.join(examples, name, 'index.handler'), memoryMb: 1024, timeoutS: 60, environment });
}

let test: TestPlatform;
let s3: S3Client;
let objectSha256: string;

beforeAll(async () => {
  test = await startTestPlatform({
    functions: [example('s3-copy', { COPY_BUCKET: BUCKET, COPY_KEY: KEY }), example('prefetch-reader', { READER_BUCKET: BUCKET, READER_KEY: KEY })],
    s3: { buckets: [{ name: BUCKET, objects: [{ key: KEY, sizeMb: 12 }] }] },
    cpuLimit: 'off',
  });
  s3 = new S3Client({ endpoint: test.platform.endpoints.s3, region: test.platform.region, credentials: S3_CREDENTIALS, forcePathStyle: true });
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
  objectSha256 = createHash('sha256')
    .update(await object.Body!.transformToByteArray())
    .digest('hex');
}, 60_000);

afterAll(async () => {
  s3.destroy();
  await test.stop();
});

async function invoke<T>(name: string, payload: Record<string, unknown>): Promise<T> {
  const reply = await test.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  expect(reply.FunctionError, Buffer.from(reply.Payload ?? []).toString()).toBeUndefined();
  return payloadJson<T>(reply.Payload);
}

describe('the s3-copy example', () => {
  it.each([
    ['serial', 1],
    ['async', 3],
    ['threads', 2],
  ])(
    'copies the object %s with %i workers in 8 MB parts, and leaves no copy behind',
    async (mode, workers) => {
      const copied = await invoke<{ bytes: number; parts: number; mode: string }>('s3-copy', { mode, workers });
      expect(copied).toEqual({ bytes: 12 * 1024 * 1024, parts: 2, mode, workers });
      const left = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'copies/' }));
      expect(left.KeyCount).toBe(0);
    },
    60_000,
  );

  it('refuses a mode it does not know, saying which it takes', async () => {
    const reply = await test.lambda.send(new InvokeCommand({ FunctionName: 's3-copy', Payload: Buffer.from('{"mode":"fork"}') }));
    expect(reply.FunctionError).toBe('Unhandled');
    expect(Buffer.from(reply.Payload ?? []).toString()).toContain('mode must be serial, async or threads');
  });
});

describe('the prefetch-reader example', () => {
  it.each([
    [1, 0],
    [1, 4],
    [4, 2],
    [5, 1],
  ])(
    'reads the whole object in %i MB blocks with %i prefetched, in order',
    async (blockMb, prefetch) => {
      const read = await invoke<{ bytes: number; blocks: number; sha256: string }>('prefetch-reader', { blockMb, prefetch });
      expect(read).toEqual({ bytes: 12 * 1024 * 1024, blocks: Math.ceil(12 / blockMb), sha256: objectSha256 });
    },
    60_000,
  );
});
