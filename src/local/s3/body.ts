import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { finished, PassThrough, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BodyDigest, type ChecksumAlgorithm, checksumDigest, hashDigest, isChecksumAlgorithm } from './checksum.js';
import { AwsChunkedDecoder } from './chunked.js';
import { badDigest, contentSha256Mismatch, entityTooLarge, incompleteBody, invalidDigest, maxMessageLengthExceeded, type S3Error } from './errors.js';

/** S3's limit for one PUT (and one part). */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
const CHECKSUM_HEADER = 'x-amz-checksum-';

export interface ReceivedBody {
  size: number;
  md5: Buffer;
  /** The checksum the client sent, once it was verified here. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string } | undefined;
}

/** Streams a request's payload into a new file (decoding aws-chunked), checking every digest the client declared. */
export async function receiveToFile(request: IncomingMessage, file: string, maxBytes = MAX_OBJECT_BYTES): Promise<ReceivedBody> {
  return receive(request, createWriteStream(file, { flags: 'wx' }), maxBytes, entityTooLarge);
}

/** A small payload (an XML request document) in memory, refused past `maxBytes`. */
export async function receiveSmall(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      callback();
    },
  });
  await receive(request, sink, maxBytes, maxMessageLengthExceeded);
  return Buffer.concat(parts);
}

async function receive(request: IncomingMessage, sink: Writable, maxBytes: number, tooLarge: () => S3Error): Promise<ReceivedBody> {
  const declared = declaredChecksum(request.headers);
  const digests = { md5: createHash('md5'), sha256: payloadSha256(request.headers), checksum: declared && checksumDigest(declared) };
  const meter = new DigestStage([hashDigest(digests.md5), digests.sha256, digests.checksum], maxBytes, tooLarge);
  const decoder = isAwsChunked(request.headers) ? new AwsChunkedDecoder() : undefined;
  await pipeline(decoder ? [detach(request), decoder, meter, sink] : [detach(request), meter, sink]);
  const md5 = digests.md5.digest();
  verifyLength(request.headers, decoder, meter.bytes);
  verifyMd5(request.headers, md5);
  if (digests.sha256 !== undefined && Buffer.from(digests.sha256.base64(), 'base64').toString('hex') !== single(request.headers, 'x-amz-content-sha256')) {
    throw contentSha256Mismatch();
  }
  const checksum = declared && verifyChecksum(declared, digests.checksum, request.headers, decoder?.trailers);
  return { size: meter.bytes, md5, checksum };
}

/**
 * The request's bytes through a stream of our own, so that a failure while storing them (a bad
 * chunk, a digest that does not match) leaves the request, and so the socket, able to carry the error reply.
 */
function detach(request: IncomingMessage): PassThrough {
  const detached = new PassThrough();
  request.pipe(detached);
  detached.on('close', () => request.unpipe(detached));
  finished(request, (error) => {
    if (error) detached.destroy(error);
  });
  return detached;
}

/** A header's value; Node joins repeated ones, except a few, which arrive as lists. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const sha = single(headers, 'x-amz-content-sha256') ?? '';
  const encodings = (headers['content-encoding'] ?? '').split(',').map((e) => e.trim().toLowerCase());
  return sha.startsWith('STREAMING-') || encodings.includes('aws-chunked');
}

/** The algorithm named by an `x-amz-checksum-*` header, or by `x-amz-trailer` when the value follows the body. */
function declaredChecksum(headers: IncomingHttpHeaders): ChecksumAlgorithm | undefined {
  const trailer = (single(headers, 'x-amz-trailer') ?? '').trim().toLowerCase();
  const names = [...Object.keys(headers), trailer].filter((name) => name.startsWith(CHECKSUM_HEADER));
  return names.map((name) => name.slice(CHECKSUM_HEADER.length)).find(isChecksumAlgorithm);
}

/** A SHA-256 of the payload when the client signed one (not for streaming or unsigned payloads). */
function payloadSha256(headers: IncomingHttpHeaders): BodyDigest | undefined {
  return /^[0-9a-f]{64}$/.test(single(headers, 'x-amz-content-sha256') ?? '') ? hashDigest(createHash('sha256')) : undefined;
}

function verifyLength(headers: IncomingHttpHeaders, decoder: AwsChunkedDecoder | undefined, bytes: number): void {
  const decodedLength = single(headers, 'x-amz-decoded-content-length');
  if (decoder !== undefined && decodedLength !== undefined && Number(decodedLength) !== bytes) throw incompleteBody();
}

function verifyMd5(headers: IncomingHttpHeaders, md5: Buffer): void {
  const declared = single(headers, 'content-md5');
  if (declared === undefined) return;
  const bytes = Buffer.from(declared, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== declared.trim()) throw invalidDigest();
  if (!bytes.equals(md5)) throw badDigest('Content-MD5');
}

function verifyChecksum(
  algorithm: ChecksumAlgorithm,
  digest: BodyDigest | undefined,
  headers: IncomingHttpHeaders,
  trailers: ReadonlyMap<string, string> | undefined,
): ReceivedBody['checksum'] {
  const name = `${CHECKSUM_HEADER}${algorithm}`;
  const declared = single(headers, name) ?? trailers?.get(name);
  if (declared === undefined || digest === undefined) return undefined;
  if (digest.base64() !== declared) throw badDigest(algorithm.toUpperCase());
  return { algorithm, value: declared };
}

/** Counts and digests the bytes passing through, refusing more than `maxBytes`. */
class DigestStage extends Transform {
  bytes = 0;

  constructor(
    private readonly digests: readonly (BodyDigest | undefined)[],
    private readonly maxBytes: number,
    private readonly tooLarge: () => S3Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(this.tooLarge());
      return;
    }
    for (const digest of this.digests) digest?.update(chunk);
    callback(null, chunk);
  }
}
