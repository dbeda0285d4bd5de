import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { closeAfterAnswer } from '../bounded-body.js';
import { acceptsBucketHost, misdirectedMessage, serviceNames } from '../host-check.js';
import { createBucket, deleteBucket, deleteObjects, getBucketLocation, headBucket, listBuckets } from './bucket-handlers.js';
import type { Handler, Reply } from './call.js';
import { copyObject } from './copy-handler.js';
import { internalError, S3Error } from './errors.js';
import { listObjects, listObjectsV2 } from './list-handlers.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts, uploadPart } from './multipart-handlers.js';
import { deleteObject, getObject, headObject, putObject } from './object-handlers.js';
import { type Operation, routeOf } from './route.js';
import { ObjectStore } from './store.js';
import { parseTarget } from './target.js';
import { UploadStore } from './uploads.js';
import { element } from './xml.js';

const HANDLERS: Record<Operation, Handler> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  DeleteObjects: deleteObjects,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};

export interface S3ServiceOptions {
  /** Folder holding the buckets. */
  root: string;
  region: string;
  /** The address the server is bound to and its port, which the Host header must name. */
  address: () => { host: string; port: number };
}

/** An HTTP request listener serving the S3 REST API from the files under `root`. Signatures are not checked. */
export function s3RequestListener(options: S3ServiceOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const store = new ObjectStore(options.root);
  const uploads = new UploadStore(store);
  return (request, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const replyTo = (error: unknown) => errorReply(error instanceof S3Error ? error : internalError(error), request, requestId);
    answer(request, options, store, uploads)
      .catch(replyTo)
      .then((reply) => send(request, response, reply, requestId))
      // A reply that could not be sent (its headers refused) is an internal error, if nothing went out yet.
      .catch(async (error: unknown) => {
        if (response.headersSent) response.destroy();
        else await send(request, response, replyTo(error), requestId);
      })
      .catch(() => response.destroy());
  };
}

async function answer(request: IncomingMessage, options: S3ServiceOptions, store: ObjectStore, uploads: UploadStore): Promise<Reply> {
  const { host, port } = options.address();
  checkCaller(request, host, port);
  const target = parseTarget(request.url ?? '/', request.headers.host, serviceNames(host));
  const operation = routeOf(request.method ?? 'GET', target, request.headers['x-amz-copy-source'] !== undefined);
  return HANDLERS[operation]({ ...target, request, store, uploads, region: options.region });
}

/**
 * Only clients that name this server, as the Lambda endpoint checks them (421 otherwise, so a web
 * page cannot reach it by DNS rebinding), and no web page (403 for an Origin header). Either way the
 * connection is closed after the answer, its body unread.
 */
function checkCaller(request: IncomingMessage, host: string, port: number): void {
  const closing = { connection: 'close' };
  if (!acceptsBucketHost(request.headers.host, host, port)) {
    throw new S3Error('MisdirectedRequest', 421, misdirectedMessage(request.headers.host, host, port), {}, closing);
  }
  if (request.headers.origin !== undefined) {
    throw new S3Error('AccessDenied', 403, `Requests from web pages (Origin ${request.headers.origin}) are refused.`, {}, closing);
  }
}

/** `<Error><Code>…</Code><Message>…</Message>…</Error>`, as S3 sends it (HEAD gets the status alone). */
function errorReply(error: S3Error, request: IncomingMessage, requestId: string): Reply {
  const details = Object.entries(error.details).map(([name, value]) => element([name, value]));
  const resource = (request.url ?? '/').split('?')[0];
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${element(['Code', error.code])}${element(['Message', error.message])}` +
    `${details.join('')}${element(['Resource', resource])}${element(['RequestId', requestId])}</Error>`;
  return { status: error.statusCode, headers: { 'content-type': 'application/xml', ...error.headers }, body };
}

/** Sends the reply; whatever fails on the way, its file stream is closed. */
async function send(request: IncomingMessage, response: ServerResponse, reply: Reply, requestId: string): Promise<void> {
  try {
    await write(request, response, reply, requestId);
  } catch (error) {
    if (reply.body instanceof Readable) reply.body.destroy();
    throw error;
  }
}

async function write(request: IncomingMessage, response: ServerResponse, reply: Reply, requestId: string): Promise<void> {
  const headers = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, server: 'lambda-tune', ...reply.headers };
  const body = request.method === 'HEAD' ? undefined : reply.body;
  if (request.method === 'HEAD' && reply.body instanceof Readable) reply.body.destroy();
  if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body);
  else if (body === undefined && headers['content-length'] === undefined && reply.status !== 204 && reply.status !== 304) headers['content-length'] = 0;
  if (headers.connection === 'close') closeAfterAnswer(response);
  // A reply sent before the request's payload was read (an error) must still let the connection go on.
  else if (!request.complete) request.resume();
  response.writeHead(reply.status, headers);
  if (body instanceof Readable) await pipeline(body, response);
  else response.end(body);
}
