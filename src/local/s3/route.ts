import { methodNotAllowed, notImplemented } from './errors.js';
import type { S3Target } from './target.js';

export type Operation =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'DeleteObjects'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts';

/** Sub-resources of S3's API not served here; any of them in a query makes the request NotImplemented. */
const UNSERVED = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'tagging', 'torrent',
  'versioning', 'versions', 'website', 'renameObject', 'session',
]; // prettier-ignore

/** Which operation a request is, from its method, target, query and (for copies) headers. */
export function routeOf(method: string, target: S3Target, hasCopySource: boolean): Operation {
  const unserved = UNSERVED.find((name) => target.query.has(name));
  if (unserved !== undefined) throw notImplemented(`?${unserved}`);
  if (target.bucket === '') return serviceOperation(method);
  if (target.key === '') return bucketOperation(method, target.query);
  return objectOperation(method, target.query, hasCopySource);
}

function serviceOperation(method: string): Operation {
  if (method === 'GET') return 'ListBuckets';
  throw methodNotAllowed(method, 'SERVICE');
}

function bucketOperation(method: string, query: URLSearchParams): Operation {
  if (method === 'PUT') return 'CreateBucket';
  if (method === 'HEAD') return 'HeadBucket';
  if (method === 'DELETE') return 'DeleteBucket';
  if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
  if (method !== 'GET') throw methodNotAllowed(method, 'BUCKET');
  if (query.has('location')) return 'GetBucketLocation';
  if (query.has('uploads')) throw notImplemented('ListMultipartUploads');
  return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
}

function objectOperation(method: string, query: URLSearchParams, hasCopySource: boolean): Operation {
  const uploadId = query.has('uploadId');
  if (method === 'PUT' && uploadId && hasCopySource) throw notImplemented('UploadPartCopy');
  if (method === 'PUT') return uploadId ? 'UploadPart' : hasCopySource ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return uploadId ? 'ListParts' : 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return uploadId ? 'AbortMultipartUpload' : 'DeleteObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && uploadId) return 'CompleteMultipartUpload';
  throw methodNotAllowed(method, 'OBJECT');
}
