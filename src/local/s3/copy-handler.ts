import { createHash } from 'node:crypto';
import { type FileHandle, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { checkKeyLength, type Handler, header, type S3Call, xmlReply } from './call.js';
import { invalidArgument, invalidRequest, invalidUri, noSuchKey } from './errors.js';
import { createFile, openToRead } from './files.js';
import { propertiesFrom, quoteEtag } from './headers.js';
import type { ObjectProperties, StoredObject } from './store.js';

/** CopyObject: the source's bytes under a new key, with the source's properties (COPY) or the request's (REPLACE). */
export const copyObject: Handler = async (call) => {
  const source = parseCopySource(header(call, 'x-amz-copy-source') ?? '');
  await call.store.requireBucket(call.bucket);
  checkKeyLength(call.key);
  const original = await call.store.head(source.bucket, source.key);
  const replace = header(call, 'x-amz-metadata-directive')?.toUpperCase() === 'REPLACE';
  if (source.bucket === call.bucket && source.key === call.key && !replace) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const properties: ObjectProperties = replace ? propertiesFrom(call.request.headers) : original;
  const { file, md5 } = await copyBytes(call, original, source.bucket);
  const object = await call.store.commit(call.bucket, file, {
    key: call.key,
    contentType: properties.contentType,
    headers: properties.headers,
    metadata: properties.metadata,
    size: original.size,
    etag: md5,
    lastModified: new Date().toISOString(),
    checksum: original.checksum,
  });
  return xmlReply('CopyObjectResult', [
    ['LastModified', object.lastModified],
    ['ETag', quoteEtag(object.etag)],
  ]);
};

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, the key URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const path = value.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, '');
  } catch {
    throw invalidUri();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', value);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** Copies the data file into the destination's incoming folder; the copy is one part, so its ETag is its MD5. */
async function copyBytes(call: S3Call, original: StoredObject, sourceBucket: string): Promise<{ file: string; md5: string }> {
  const file = await call.store.incomingFile(call.bucket);
  const hash = createHash('md5');
  let source: FileHandle | undefined;
  try {
    source = await openToRead(call.store.dataPath(sourceBucket, original)).catch(() => {
      throw noSuchKey(original.key);
    });
    const target = await createFile(file);
    await pipeline(
      source.createReadStream({ highWaterMark: 1024 * 1024 }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      target.createWriteStream(),
    );
  } catch (error) {
    // The streams close their files when they end or fail; a source opened before the target failed is closed here.
    await source?.close().catch(() => undefined);
    await rm(file, { force: true });
    throw error;
  }
  return { file, md5: hash.digest('hex') };
}
