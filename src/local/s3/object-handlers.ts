import type { Readable } from 'node:stream';
import { checkKeyLength, checksumHeader, type Handler, header, receiveIncoming, type Reply, type S3Call } from './call.js';
import { evaluateConditions } from './conditions.js';
import { invalidRange, noSuchKey } from './errors.js';
import { openToRead } from './files.js';
import { objectHeaders, propertiesFrom, quoteEtag } from './headers.js';
import { resolveRange } from './range.js';
import type { StoredObject } from './store.js';

const READ_BUFFER_BYTES = 1024 * 1024;

export const putObject: Handler = async (call) => {
  await call.store.requireBucket(call.bucket);
  checkKeyLength(call.key);
  const { file, body } = await receiveIncoming(call);
  const object = await call.store.commit(call.bucket, file, {
    key: call.key,
    ...propertiesFrom(call.request.headers),
    size: body.size,
    etag: body.md5.toString('hex'),
    lastModified: new Date().toISOString(),
    checksum: body.checksum,
  });
  return { status: 200, headers: { etag: quoteEtag(object.etag), ...checksumHeader(body.checksum) } };
};

export const getObject: Handler = (call) => readObject(call, true);

export const headObject: Handler = (call) => readObject(call, false);

export const deleteObject: Handler = async (call) => {
  await call.store.requireBucket(call.bucket);
  await call.store.delete(call.bucket, call.key);
  return { status: 204 };
};

/** GetObject and HeadObject: preconditions, then the whole object (200) or one range of it (206). */
async function readObject(call: S3Call, withBody: boolean): Promise<Reply> {
  const object = await call.store.head(call.bucket, call.key);
  if (evaluateConditions(call.request.headers, object) === 'not-modified') {
    return { status: 304, headers: { etag: quoteEtag(object.etag), 'last-modified': new Date(object.lastModified).toUTCString() } };
  }
  const rangeHeader = header(call, 'range');
  const range = resolveRange(rangeHeader, object.size);
  if (range.kind === 'unsatisfiable') throw invalidRange(rangeHeader ?? '', object.size);
  const whole = range.kind === 'whole';
  const checksumMode = header(call, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  const headers = objectHeaders(object, call.query, whole && checksumMode);
  const [start, end] = whole ? [0, object.size - 1] : [range.start, range.end];
  headers['content-length'] = end - start + 1;
  if (!whole) headers['content-range'] = `bytes ${start}-${end}/${object.size}`;
  const body = withBody ? await openBytes(call, object, start, end) : undefined;
  return { status: whole ? 200 : 206, headers, body };
}

/** The object's bytes from `start` to `end` inclusive, read from the file its metadata names. */
async function openBytes(call: S3Call, object: StoredObject, start: number, end: number): Promise<Readable | string> {
  if (end < start) return '';
  // Opened before answering, so that an object deleted meanwhile is a NoSuchKey rather than a broken reply.
  const handle = await openToRead(call.store.dataPath(call.bucket, object)).catch(() => {
    throw noSuchKey(call.key);
  });
  return handle.createReadStream({ start, end, highWaterMark: READ_BUFFER_BYTES });
}
