import type { IncomingHttpHeaders } from 'node:http';
import { preconditionFailed } from './errors.js';
import type { StoredObject } from './store.js';

/**
 * GET and HEAD preconditions (RFC 9110 §13.2.2, as S3 applies them): If-Match, then
 * If-Unmodified-Since unless If-Match was given, fail with 412; If-None-Match, then
 * If-Modified-Since unless If-None-Match was given, answer 304.
 */
export function evaluateConditions(headers: IncomingHttpHeaders, object: StoredObject): 'send' | 'not-modified' {
  const modifiedMs = Math.floor(Date.parse(object.lastModified) / 1000) * 1000;
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && !etagListHas(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  const unmodifiedSince = Date.parse(headers['if-unmodified-since'] ?? '');
  if (ifMatch === undefined && modifiedMs > unmodifiedSince) throw preconditionFailed('If-Unmodified-Since');
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagListHas(ifNoneMatch, object.etag) ? 'not-modified' : 'send';
  const modifiedSince = Date.parse(headers['if-modified-since'] ?? '');
  return modifiedMs <= modifiedSince ? 'not-modified' : 'send';
}

function etagListHas(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item.trim().replace(/^W\//, '').replace(/"/g, '');
    return tag === '*' || tag === etag;
  });
}
