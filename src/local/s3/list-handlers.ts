import { type Handler, type S3Call, xmlReply } from './call.js';
import { invalidArgument } from './errors.js';
import { quoteEtag } from './headers.js';
import { type ListPage, listPage, type ListQuery } from './listing.js';
import type { StoredObject } from './store.js';
import type { XmlNode } from './xml.js';

const MAX_KEYS = 1000;

/** ListObjectsV2: pages resume from an opaque continuation token, which is the last entry of the previous page. */
export const listObjectsV2: Handler = async (call) => {
  const token = call.query.get('continuation-token');
  const query = listQuery(call, token === null ? '' : decodeToken(token));
  query.startAfter = call.query.get('start-after') ?? '';
  const page = listPage(await call.store.list(call.bucket), query);
  const encode = keyEncoder(call);
  return xmlReply('ListBucketResult', [
    ...commonElements(call, query, page),
    ['KeyCount', page.contents.length + page.commonPrefixes.length],
    ['ContinuationToken', token ?? undefined],
    ['NextContinuationToken', page.isTruncated && page.lastEntry !== undefined ? encodeToken(page.lastEntry) : undefined],
    ['StartAfter', query.startAfter === '' ? undefined : encode(query.startAfter)],
    ...entries(page, encode),
  ]);
};

/** ListObjects (version 1): pages resume after `marker`. */
export const listObjects: Handler = async (call) => {
  const marker = call.query.get('marker') ?? '';
  const query = listQuery(call, marker);
  const page = listPage(await call.store.list(call.bucket), query);
  const encode = keyEncoder(call);
  return xmlReply('ListBucketResult', [
    ...commonElements(call, query, page),
    ['Marker', encode(marker)],
    ['NextMarker', page.isTruncated && page.lastEntry !== undefined ? encode(page.lastEntry) : undefined],
    ...entries(page, encode),
  ]);
};

function listQuery(call: S3Call, resumeAfter: string): ListQuery {
  const maxKeys = call.query.get('max-keys') ?? String(MAX_KEYS);
  if (!/^\d{1,10}$/.test(maxKeys)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeys);
  return {
    prefix: call.query.get('prefix') ?? '',
    delimiter: call.query.get('delimiter') ?? '',
    maxKeys: Math.min(Number(maxKeys), MAX_KEYS),
    startAfter: '',
    resumeAfter,
  };
}

function commonElements(call: S3Call, query: ListQuery, page: ListPage<StoredObject>): XmlNode[] {
  const encode = keyEncoder(call);
  return [
    ['Name', call.bucket],
    ['Prefix', encode(query.prefix)],
    ['Delimiter', query.delimiter === '' ? undefined : encode(query.delimiter)],
    ['MaxKeys', query.maxKeys],
    ['EncodingType', call.query.get('encoding-type') === 'url' ? 'url' : undefined],
    ['IsTruncated', page.isTruncated],
  ];
}

function entries(page: ListPage<StoredObject>, encode: (text: string) => string): XmlNode[] {
  const contents = page.contents.map((object): XmlNode => [
    'Contents',
    [
      ['Key', encode(object.key)],
      ['LastModified', object.lastModified],
      ['ETag', quoteEtag(object.etag)],
      ['Size', object.size],
      ['StorageClass', 'STANDARD'],
    ],
  ]);
  return [...contents, ...page.commonPrefixes.map((prefix): XmlNode => ['CommonPrefixes', [['Prefix', encode(prefix)]]])];
}

/** With `encoding-type=url` (boto3 asks for it by default) keys and prefixes go URL-encoded. */
function keyEncoder(call: S3Call): (text: string) => string {
  return call.query.get('encoding-type') === 'url' ? encodeURIComponent : (text) => text;
}

export function encodeToken(lastEntry: string): string {
  return Buffer.from(lastEntry, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string {
  const lastEntry = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || encodeToken(lastEntry) !== token) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return lastEntry;
}
