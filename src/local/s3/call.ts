import { rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { receiveToFile, type ReceivedBody } from './body.js';
import { keyTooLong } from './errors.js';
import type { ObjectStore } from './store.js';
import type { S3Target } from './target.js';
import type { UploadStore } from './uploads.js';
import { type XmlNode, xmlDocument } from './xml.js';

/** Everything an operation's handler gets: the request, its target, and the stores. */
export interface S3Call extends S3Target {
  request: IncomingMessage;
  store: ObjectStore;
  uploads: UploadStore;
  region: string;
}

/** What a handler answers; the server adds the request id and leaves the body out for HEAD. */
export interface Reply {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: string | Readable;
}

export type Handler = (call: S3Call) => Promise<Reply>;

/** Limit for the XML documents requests carry: 1,000 keys of 1,024 bytes, escaped, or 10,000 parts. */
export const MAX_XML_BYTES = 2 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;

export function xmlReply(root: string, children: XmlNode[], headers: OutgoingHttpHeaders = {}): Reply {
  return { status: 200, headers: { 'content-type': 'application/xml', ...headers }, body: xmlDocument(root, children) };
}

export function checkKeyLength(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw keyTooLong();
}

/** The request's payload in a new file of the bucket's incoming folder; nothing is left behind when that fails. */
export async function receiveIncoming(call: S3Call): Promise<{ file: string; body: ReceivedBody }> {
  const file = await call.store.incomingFile(call.bucket);
  try {
    return { file, body: await receiveToFile(call.request, file) };
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

/** The `x-amz-checksum-*` header S3 echoes for a checksum it verified. */
export function checksumHeader(checksum: ReceivedBody['checksum']): OutgoingHttpHeaders {
  return checksum === undefined ? {} : { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value };
}

/** A single-valued request header (Node joins repeated ones). */
export function header(call: S3Call, name: string): string | undefined {
  const value = call.request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
