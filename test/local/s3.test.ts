import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, S3_CREDENTIALS, startS3 } from '../../src/local/s3.js';
import { keyDigest } from '../../src/local/s3/layout.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const MB = 1024 * 1024;
const REGION = 'us-east-1';
let parent: string;
let root: string;
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  parent = mkdtempSync(path.join(tmpdir(), 'lambda-tune-s3-'));
  root = path.join(parent, 'root');
  s3 = await startS3({ host: '127.0.0.1', directory: root, region: REGION, buckets: [{ name: 'seeded', objects: [{ key: 'one.bin', sizeMb: 1 }] }] });
  client = new S3Client({ endpoint: s3.endpoint, region: REGION, credentials: S3_CREDENTIALS, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: 'work' }));
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
  rmSync(parent, { recursive: true, force: true });
});

const md5 = (bytes: Uint8Array): string => `"${createHash('md5').update(bytes).digest('hex')}"`;

async function put(key: string, body: Uint8Array | string, bucket = 'work'): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function read(key: string, range?: string, bucket = 'work'): Promise<{ bytes: Buffer; contentRange: string | undefined; status: number | undefined }> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  return { bytes, contentRange: object.ContentRange, status: object.$metadata.httpStatusCode };
}

/** The error a command fails with, for assertions on its class, name and status. */
async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return error as S3ServiceException;
}

describe('buckets', () => {
  it('serves the seeded bucket and its random object', async () => {
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining(['seeded', 'work']));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'seeded', Key: 'one.bin' }));
    expect(head.ContentLength).toBe(MB);
    expect(md5((await read('one.bin', undefined, 'seeded')).bytes)).toBe(head.ETag);
  });

  it('creates, heads and deletes a bucket, with the errors S3 gives', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
    expect((await client.send(new HeadBucketCommand({ Bucket: 'short-lived' }))).$metadata.httpStatusCode).toBe(200);
    const again = await failure(client.send(new CreateBucketCommand({ Bucket: 'short-lived' })));
    expect([again.name, again.$metadata.httpStatusCode]).toEqual(['BucketAlreadyOwnedByYou', 409]);
    await put('x', 'x', 'short-lived');
    const notEmpty = await failure(client.send(new DeleteBucketCommand({ Bucket: 'short-lived' })));
    expect([notEmpty.name, notEmpty.$metadata.httpStatusCode]).toEqual(['BucketNotEmpty', 409]);
    await client.send(new DeleteObjectCommand({ Bucket: 'short-lived', Key: 'x' }));
    await client.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    const gone = await failure(client.send(new HeadBucketCommand({ Bucket: 'short-lived' })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect(await failure(client.send(new GetObjectCommand({ Bucket: 'short-lived', Key: 'x' })))).toBeInstanceOf(NoSuchBucket);
  });
});

describe('objects', () => {
  it('puts, heads, gets and deletes an object with its content type and user metadata', async () => {
    const body = randomBytes(1000);
    const putResult = await client.send(
      new PutObjectCommand({
        Bucket: 'work',
        Key: 'docs/a.bin',
        Body: body,
        ContentType: 'application/x-test',
        Metadata: { owner: 'me' },
        CacheControl: 'no-cache',
      }),
    );
    expect(putResult.ETag).toBe(md5(body));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'docs/a.bin' }));
    expect(head).toMatchObject({
      ContentLength: 1000,
      ContentType: 'application/x-test',
      Metadata: { owner: 'me' },
      CacheControl: 'no-cache',
      ETag: md5(body),
    });
    expect((await read('docs/a.bin')).bytes.equals(body)).toBe(true);
    await client.send(new DeleteObjectCommand({ Bucket: 'work', Key: 'docs/a.bin' }));
    const missing = await failure(client.send(new GetObjectCommand({ Bucket: 'work', Key: 'docs/a.bin' })));
    expect(missing).toBeInstanceOf(NoSuchKey);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect((await failure(client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'docs/a.bin' })))).$metadata.httpStatusCode).toBe(404);
  });

  it('decodes a streamed upload, which the SDK sends aws-chunked with a CRC32 trailer', async () => {
    const seen: Record<string, string>[] = [];
    const streaming = new S3Client({ endpoint: s3.endpoint, region: REGION, credentials: S3_CREDENTIALS, forcePathStyle: true });
    streaming.middlewareStack.add(
      (next) => async (args) => {
        seen.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const body = randomBytes(3 * MB + 17);
    const chunks = Array.from({ length: 8 }, (_, i) => body.subarray((i * body.length) / 8, ((i + 1) * body.length) / 8));
    const result = await streaming.send(new PutObjectCommand({ Bucket: 'work', Key: 'streamed.bin', Body: Readable.from(chunks), ContentLength: body.length }));
    streaming.destroy();
    expect(seen[0]).toMatchObject({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32' });
    expect(result.ETag).toBe(md5(body));
    expect((await read('streamed.bin')).bytes.equals(body)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32).toBeDefined();
  });

  it('serves ranges with 206 and Content-Range, and refuses an unsatisfiable one with InvalidRange 416', async () => {
    const body = Buffer.from('0123456789abcdefghij');
    await put('range.txt', body);
    expect(await read('range.txt', 'bytes=2-5')).toEqual({ bytes: Buffer.from('2345'), contentRange: 'bytes 2-5/20', status: 206 });
    expect(await read('range.txt', 'bytes=15-')).toEqual({ bytes: Buffer.from('fghij'), contentRange: 'bytes 15-19/20', status: 206 });
    expect(await read('range.txt', 'bytes=-3')).toEqual({ bytes: Buffer.from('hij'), contentRange: 'bytes 17-19/20', status: 206 });
    expect(await read('range.txt', 'bytes=18-99')).toEqual({ bytes: Buffer.from('ij'), contentRange: 'bytes 18-19/20', status: 206 });
    const unsatisfiable = await failure(read('range.txt', 'bytes=20-'));
    expect([unsatisfiable.name, unsatisfiable.$metadata.httpStatusCode]).toEqual(['InvalidRange', 416]);
  });

  it('copies an object, keeping or replacing its metadata', async () => {
    const body = randomBytes(2048);
    await client.send(new PutObjectCommand({ Bucket: 'work', Key: 'original', Body: body, ContentType: 'text/x-original', Metadata: { a: '1' } }));
    const copy = await client.send(new CopyObjectCommand({ Bucket: 'seeded', Key: 'copy', CopySource: 'work/original' }));
    expect(copy.CopyObjectResult?.ETag).toBe(md5(body));
    expect(await client.send(new HeadObjectCommand({ Bucket: 'seeded', Key: 'copy' }))).toMatchObject({ ContentType: 'text/x-original', Metadata: { a: '1' } });
    expect((await read('copy', undefined, 'seeded')).bytes.equals(body)).toBe(true);
    await client.send(
      new CopyObjectCommand({ Bucket: 'work', Key: 'original', CopySource: '/work/original', MetadataDirective: 'REPLACE', ContentType: 'text/x-new' }),
    );
    expect(await client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'original' }))).toMatchObject({ ContentType: 'text/x-new', Metadata: {} });
    const toItself = await failure(client.send(new CopyObjectCommand({ Bucket: 'work', Key: 'original', CopySource: 'work/original' })));
    expect(toItself.name).toBe('InvalidRequest');
    expect(await failure(client.send(new CopyObjectCommand({ Bucket: 'work', Key: 'x', CopySource: 'work/missing' })))).toBeInstanceOf(NoSuchKey);
  });

  it('keeps a key that climbs out of the bucket inside it', async () => {
    const keys = ['../../etc/passwd', '../outside', '/abs/./x', '..'];
    for (const key of keys) await put(key, `content of ${key}`);
    for (const key of keys) expect((await read(key)).bytes.toString()).toBe(`content of ${key}`);
    expect(readdirSync(parent)).toEqual(['root']);
    expect(readdirSync(root).sort()).toEqual(['seeded', 'work']);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'work', Prefix: '..' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['..', '../../etc/passwd', '../outside']);
  });

  it('round-trips keys with spaces, plus signs, percent signs and non-ASCII letters', async () => {
    const key = 'dir/ü ñ+%20?#&=.txt';
    await put(key, 'odd');
    expect((await read(key)).bytes.toString()).toBe('odd');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'work', Prefix: 'dir/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([key]);
  });
});

describe('multipart upload', () => {
  it('joins three parts of a 12 MB object, with the md5-of-md5s ETag', async () => {
    const sizes = [5 * MB, 5 * MB, 2 * MB];
    const parts = sizes.map((size) => randomBytes(size));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'work', Key: 'big.bin', ContentType: 'application/x-big' }));
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const result = await client.send(new UploadPartCommand({ Bucket: 'work', Key: 'big.bin', UploadId, PartNumber: i + 1, Body: part }));
      expect(result.ETag).toBe(md5(part));
      etags.push(result.ETag!);
    }
    const listed = await client.send(new ListPartsCommand({ Bucket: 'work', Key: 'big.bin', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual(sizes.map((size, i) => [i + 1, size, etags[i]]));
    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'work',
        Key: 'big.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const md5s = Buffer.concat(parts.map((part) => createHash('md5').update(part).digest()));
    expect(completed.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-3"`);
    const whole = Buffer.concat(parts);
    expect((await read('big.bin')).bytes.equals(whole)).toBe(true);
    expect((await read('big.bin', `bytes=${5 * MB - 2}-${5 * MB + 1}`)).bytes.equals(whole.subarray(5 * MB - 2, 5 * MB + 2))).toBe(true);
    expect(await client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'big.bin' }))).toMatchObject({
      ContentLength: 12 * MB,
      ContentType: 'application/x-big',
    });
  });

  it('refuses small parts, unknown parts and an aborted upload', async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'work', Key: 'small.bin' }));
    const one = await client.send(new UploadPartCommand({ Bucket: 'work', Key: 'small.bin', UploadId, PartNumber: 1, Body: 'tiny' }));
    const two = await client.send(new UploadPartCommand({ Bucket: 'work', Key: 'small.bin', UploadId, PartNumber: 2, Body: 'tail' }));
    const complete = (parts: { ETag: string; PartNumber: number }[]) =>
      client.send(new CompleteMultipartUploadCommand({ Bucket: 'work', Key: 'small.bin', UploadId, MultipartUpload: { Parts: parts } }));
    expect(
      (
        await failure(
          complete([
            { ETag: one.ETag!, PartNumber: 1 },
            { ETag: two.ETag!, PartNumber: 2 },
          ]),
        )
      ).name,
    ).toBe('EntityTooSmall');
    expect((await failure(complete([{ ETag: '"0000"', PartNumber: 1 }]))).name).toBe('InvalidPart');
    expect(
      (
        await failure(
          complete([
            { ETag: two.ETag!, PartNumber: 2 },
            { ETag: one.ETag!, PartNumber: 1 },
          ]),
        )
      ).name,
    ).toBe('InvalidPartOrder');
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'work', Key: 'small.bin', UploadId }));
    const aborted = await failure(client.send(new UploadPartCommand({ Bucket: 'work', Key: 'small.bin', UploadId, PartNumber: 3, Body: 'late' })));
    expect(aborted).toBeInstanceOf(NoSuchUpload);
    expect(aborted.$metadata.httpStatusCode).toBe(404);
  });
});

describe('the same key or part written at once', () => {
  it('keeps one data file for a key put many times at once, the one its metadata names', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => `version ${i} `.repeat(2000));
    await Promise.all(bodies.map((body) => put('raced.txt', body)));
    const objects = readdirSync(path.join(root, 'work', 'objects'));
    expect(objects.filter((file) => file.startsWith(`${keyDigest('raced.txt')}.`) && file.endsWith('.bin'))).toHaveLength(1);
    expect(bodies).toContain((await read('raced.txt')).bytes.toString());
  });

  it('keeps a part uploaded many times at once whole: one data file, and its ETag and size are those of its bytes', async () => {
    const Key = 'raced-parts.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'work', Key }));
    const bodies = Array.from({ length: 12 }, (_, i) => randomBytes(256 * 1024 + i));
    await Promise.all(bodies.map((Body) => client.send(new UploadPartCommand({ Bucket: 'work', Key, UploadId, PartNumber: 1, Body }))));
    const part = (await client.send(new ListPartsCommand({ Bucket: 'work', Key, UploadId }))).Parts?.[0];
    expect(readdirSync(path.join(root, 'work', 'uploads', UploadId ?? '')).filter((file) => file.endsWith('.bin'))).toHaveLength(1);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: 'work', Key, UploadId, MultipartUpload: { Parts: [{ ETag: part?.ETag, PartNumber: 1 }] } }));
    const { bytes } = await read(Key);
    expect([md5(bytes), bytes.length]).toEqual([part?.ETag, part?.Size]);
  });
});

describe('listing and deleting many', () => {
  const keys = ['list/a/1', 'list/a/2', 'list/b', 'list/c/x/1', 'list/d', 'list/e/1', 'list/f'];

  beforeAll(async () => {
    for (const key of keys) await put(key, key);
  });

  async function pages(input: { Delimiter?: string; MaxKeys: number; StartAfter?: string }): Promise<string[][]> {
    const result: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'work', Prefix: 'list/', ContinuationToken: token, ...input }));
      result.push([...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => `${p.Prefix!}*`)]);
      expect(page.KeyCount).toBe(result[result.length - 1]!.length);
      token = page.NextContinuationToken;
      expect(token !== undefined).toBe(page.IsTruncated);
    } while (token !== undefined);
    return result;
  }

  it('pages through keys with continuation tokens', async () => {
    expect(await pages({ MaxKeys: 3 })).toEqual([keys.slice(0, 3), keys.slice(3, 6), keys.slice(6)]);
  });

  it('rolls keys up into common prefixes at the delimiter, across pages', async () => {
    expect(await pages({ MaxKeys: 2, Delimiter: '/' })).toEqual([
      ['list/b', 'list/a/*'],
      ['list/d', 'list/c/*'],
      ['list/f', 'list/e/*'],
    ]);
  });

  it('starts after a key', async () => {
    expect(await pages({ MaxKeys: 100, StartAfter: 'list/c/x/1' })).toEqual([['list/d', 'list/e/1', 'list/f']]);
  });

  it('deletes several objects at once, a missing one among them', async () => {
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: 'work', Delete: { Objects: [{ Key: 'list/a/1' }, { Key: 'list/b' }, { Key: 'list/never' }] } }),
    );
    expect(result.Deleted?.map((d) => d.Key)).toEqual(['list/a/1', 'list/b', 'list/never']);
    expect((await pages({ MaxKeys: 100 }))[0]).toEqual(keys.filter((key) => key !== 'list/a/1' && key !== 'list/b'));
  });
});

describe('virtual-host-style requests', () => {
  it('reads the bucket from the Host header', async () => {
    const port = new URL(s3.endpoint).port;
    const hosts: string[] = [];
    // `<bucket>.localhost` may not resolve here; the agent sends every name to loopback, keeping the Host header.
    const lookup = ((_hostname, options, callback) => {
      if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as LookupFunction;
    const virtual = new S3Client({
      endpoint: `http://localhost:${port}`,
      region: REGION,
      credentials: S3_CREDENTIALS,
      requestHandler: { httpAgent: new http.Agent({ lookup }) },
    });
    virtual.middlewareStack.add(
      (next) => async (args) => {
        hosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    await virtual.send(new PutObjectCommand({ Bucket: 'work', Key: 'vhost/key.txt', Body: 'virtual' }));
    const object = await virtual.send(new GetObjectCommand({ Bucket: 'work', Key: 'vhost/key.txt' }));
    expect(await object.Body!.transformToString()).toBe('virtual');
    virtual.destroy();
    expect(hosts).toEqual(['work.localhost', 'work.localhost']);
    expect((await read('vhost/key.txt')).bytes.toString()).toBe('virtual');
  });
});
