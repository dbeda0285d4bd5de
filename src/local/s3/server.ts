import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  /** Host names this server answers to; `<bucket>.<one of them>` is a virtual-host-style request. */
  serviceHosts: readonly string[];
}

/** An HTTP request listener serving the S3 REST API from the files under `root`. Signatures are not checked. */
export function s3RequestListener(options: S3ServiceOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const store = new ObjectStore(options.root);
  const uploads = new UploadStore(store);
  return (request, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    answer(request, options, store, uploads)
      .catch((error: unknown) => errorReply(error instanceof S3Error ? error : internalError(error), request, requestId))
      .then((reply) => send(request, response, reply, requestId))
      .catch(() => response.destroy());
  };
}

async function answer(request: IncomingMessage, options: S3ServiceOptions, store: ObjectStore, uploads: UploadStore): Promise<Reply> {
  const target = parseTarget(request.url ?? '/', request.headers.host, options.serviceHosts);
  const operation = routeOf(request.method ?? 'GET', target, request.headers['x-amz-copy-source'] !== undefined);
  return HANDLERS[operation]({ ...target, request, store, uploads, region: options.region });
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

async function send(request: IncomingMessage, response: ServerResponse, reply: Reply, requestId: string): Promise<void> {
  const headers = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, server: 'lambda-tune', ...reply.headers };
  const body = request.method === 'HEAD' ? undefined : reply.body;
  if (request.method === 'HEAD' && reply.body instanceof Readable) reply.body.destroy();
  if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body);
  else if (body === undefined && headers['content-length'] === undefined && reply.status !== 204 && reply.status !== 304) headers['content-length'] = 0;
  // A reply sent before the request's payload was read (an error) must still let the connection go on.
  if (!request.complete) request.resume();
  response.writeHead(reply.status, headers);
  if (body instanceof Readable) await pipeline(body, response);
  else response.end(body);
}
