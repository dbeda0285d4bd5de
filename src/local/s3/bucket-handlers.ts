import { receiveSmall } from './body.js';
import { type Handler, MAX_XML_BYTES, xmlReply } from './call.js';
import { malformedXml } from './errors.js';
import { escapeXml, type XmlNode } from './xml.js';
import { childOf, parseXml } from './xml-parse.js';

/** The canonical user id the local S3 reports as every bucket's owner. */
const OWNER_ID = '6c6f63616c2d6c616d6264612d74756e652d6f776e65722d6f662d616c6c2121';
const MAX_DELETE_KEYS = 1000;
/** A CreateBucketConfiguration is a few hundred bytes. */
const MAX_CREATE_BODY_BYTES = 64 * 1024;

export const listBuckets: Handler = async (call) => {
  const buckets = await call.store.listBuckets();
  return xmlReply('ListAllMyBucketsResult', [
    [
      'Owner',
      [
        ['ID', OWNER_ID],
        ['DisplayName', 'lambda-tune'],
      ],
    ],
    [
      'Buckets',
      buckets.map(({ name, created }): XmlNode => [
        'Bucket',
        [
          ['Name', name],
          ['CreationDate', created.toISOString()],
        ],
      ]),
    ],
  ]);
};

/** CreateBucket. Its optional CreateBucketConfiguration (the region) is read and not needed: every bucket is local. */
export const createBucket: Handler = async (call) => {
  await receiveSmall(call.request, MAX_CREATE_BODY_BYTES);
  await call.store.createBucket(call.bucket);
  return { status: 200, headers: { location: `/${call.bucket}` } };
};

export const headBucket: Handler = async (call) => {
  await call.store.requireBucket(call.bucket);
  return { status: 200, headers: { 'x-amz-bucket-region': call.region } };
};

export const deleteBucket: Handler = async (call) => {
  await call.store.deleteBucket(call.bucket);
  return { status: 204 };
};

/** GetBucketLocation: an empty constraint means us-east-1. */
export const getBucketLocation: Handler = async (call) => {
  await call.store.requireBucket(call.bucket);
  const constraint = call.region === 'us-east-1' ? '' : escapeXml(call.region);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${constraint}</LocationConstraint>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
};

/** DeleteObjects (POST ?delete): up to 1,000 keys; a missing key counts as deleted, as in S3. */
export const deleteObjects: Handler = async (call) => {
  await call.store.requireBucket(call.bucket);
  const request = parseDeleteRequest((await receiveSmall(call.request, MAX_XML_BYTES)).toString('utf8'));
  for (const key of request.keys) await call.store.delete(call.bucket, key);
  const deleted = request.quiet ? [] : request.keys.map((key): XmlNode => ['Deleted', [['Key', key]]]);
  return xmlReply('DeleteResult', deleted);
};

/** `<Delete><Quiet>true</Quiet><Object><Key>…</Key></Object>…</Delete>` */
export function parseDeleteRequest(xml: string): { quiet: boolean; keys: string[] } {
  const root = parseXml(xml);
  if (root.name !== 'Delete') throw malformedXml();
  const keys = root.children
    .filter((child) => child.name === 'Object')
    .map((object) => {
      const key = childOf(object, 'Key')?.text;
      if (key === undefined || key === '') throw malformedXml();
      return key;
    });
  if (keys.length === 0 || keys.length > MAX_DELETE_KEYS) throw malformedXml();
  return { quiet: childOf(root, 'Quiet')?.text.trim().toLowerCase() === 'true', keys };
}
