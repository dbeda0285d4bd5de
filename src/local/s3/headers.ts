import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { invalidArgument } from './errors.js';
import type { ObjectProperties, StoredObject } from './store.js';

/** Standard headers S3 keeps with an object and gives back on GET and HEAD. */
const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const;
const META_PREFIX = 'x-amz-meta-';
/** `response-*` query parameters a GET may use to override what the object has stored. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** Content type, kept headers and user metadata from a PutObject, CopyObject (REPLACE) or CreateMultipartUpload. */
export function propertiesFrom(headers: IncomingHttpHeaders): ObjectProperties {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = name === 'content-encoding' ? withoutAwsChunked(headers[name]) : headers[name];
    if (value !== undefined && value !== '') kept[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(META_PREFIX) && value !== undefined) metadata[name.slice(META_PREFIX.length)] = String(value);
  }
  return { contentType: headers['content-type'] ?? 'binary/octet-stream', headers: kept, metadata };
}

/** `aws-chunked` describes how the body travelled, not the object: S3 drops it from Content-Encoding. */
function withoutAwsChunked(value: string | undefined): string | undefined {
  return value
    ?.split(',')
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding !== '' && encoding.toLowerCase() !== 'aws-chunked')
    .join(', ');
}

/** The headers GetObject and HeadObject answer with, before any range. */
export function objectHeaders(object: StoredObject, query: URLSearchParams, withChecksum: boolean): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'content-type': object.contentType,
    etag: quoteEtag(object.etag),
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.headers)) headers[name] = value;
  for (const [name, value] of Object.entries(object.metadata)) headers[`${META_PREFIX}${name}`] = value;
  for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query.get(parameter);
    if (value !== null) headers[header] = headerValue(parameter, value);
  }
  if (withChecksum && object.checksum !== undefined) headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
  return headers;
}

/**
 * A `response-*` value that can be sent as a header, or S3's InvalidArgument: S3 sends header
 * values as ISO-8859-1 and refuses what that cannot hold (a name with "€" goes as RFC 8187's
 * `filename*=UTF-8''%E2%82%AC`, percent-encoded by the caller); no control character either.
 */
function headerValue(parameter: string, value: string): string {
  if (/[\u0100-\uffff]/.test(value)) throw invalidArgument('Header value cannot be represented using ISO-8859-1.', parameter, value);
  if (/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value)) throw invalidArgument('Header value cannot contain control characters.', parameter, value);
  return value;
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}
