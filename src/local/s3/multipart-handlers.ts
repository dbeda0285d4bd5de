import { receiveSmall } from './body.js';
import { checkKeyLength, checksumHeader, type Handler, MAX_XML_BYTES, receiveIncoming, type S3Call, xmlReply } from './call.js';
import { invalidArgument, malformedXml } from './errors.js';
import { propertiesFrom, quoteEtag } from './headers.js';
import type { Upload } from './uploads.js';
import type { XmlNode } from './xml.js';
import { childOf, parseXml } from './xml-parse.js';

const MAX_PARTS = 10_000;

export const createMultipartUpload: Handler = async (call) => {
  checkKeyLength(call.key);
  const upload = await call.uploads.create(call.bucket, call.key, propertiesFrom(call.request.headers));
  return xmlReply('InitiateMultipartUploadResult', [
    ['Bucket', call.bucket],
    ['Key', call.key],
    ['UploadId', upload.uploadId],
  ]);
};

export const uploadPart: Handler = async (call) => {
  const partNumber = integerParameter(call, 'partNumber', 1, MAX_PARTS, 'Part number must be an integer between 1 and 10000, inclusive');
  const upload = await currentUpload(call);
  const { file, body } = await receiveIncoming(call);
  const part = await call.uploads.putPart(call.bucket, upload, partNumber, file, body);
  return { status: 200, headers: { etag: quoteEtag(part.etag), ...checksumHeader(body.checksum) } };
};

export const completeMultipartUpload: Handler = async (call) => {
  const upload = await currentUpload(call);
  const parts = parseCompleteRequest((await receiveSmall(call.request, MAX_XML_BYTES)).toString('utf8'));
  const object = await call.uploads.complete(call.bucket, upload, parts);
  const host = call.request.headers.host ?? 'localhost';
  return xmlReply('CompleteMultipartUploadResult', [
    ['Location', `http://${host}/${call.bucket}/${encodeURIComponent(call.key).replace(/%2F/g, '/')}`],
    ['Bucket', call.bucket],
    ['Key', call.key],
    ['ETag', quoteEtag(object.etag)],
  ]);
};

export const abortMultipartUpload: Handler = async (call) => {
  await call.uploads.abort(call.bucket, await currentUpload(call));
  return { status: 204 };
};

/** ListParts, paged by `max-parts` and `part-number-marker`. */
export const listParts: Handler = async (call) => {
  const upload = await currentUpload(call);
  const maxParts = integerParameter(call, 'max-parts', 0, Number.MAX_SAFE_INTEGER, 'max-parts must be a non-negative integer', 1000);
  const marker = integerParameter(call, 'part-number-marker', 0, MAX_PARTS, 'part-number-marker must be an integer between 0 and 10000', 0);
  const after = (await call.uploads.parts(call.bucket, upload)).filter((part) => part.partNumber > marker);
  const page = after.slice(0, Math.min(maxParts, 1000));
  const truncated = page.length < after.length;
  return xmlReply('ListPartsResult', [
    ['Bucket', call.bucket],
    ['Key', call.key],
    ['UploadId', upload.uploadId],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', truncated ? page[page.length - 1]?.partNumber : undefined],
    ['MaxParts', maxParts],
    ['IsTruncated', truncated],
    ['StorageClass', 'STANDARD'],
    ...page.map((part): XmlNode => [
      'Part',
      [
        ['PartNumber', part.partNumber],
        ['LastModified', part.lastModified],
        ['ETag', quoteEtag(part.etag)],
        ['Size', part.size],
      ],
    ]),
  ]);
};

function currentUpload(call: S3Call): Promise<Upload> {
  return call.uploads.get(call.bucket, call.key, call.query.get('uploadId') ?? '');
}

function integerParameter(call: S3Call, name: string, min: number, max: number, message: string, fallback?: number): number {
  const text = call.query.get(name);
  if (text === null && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === null || !/^\d{1,15}$/.test(text) || value < min || value > max) throw invalidArgument(message, name, text ?? '');
  return value;
}

/** `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…</CompleteMultipartUpload>` */
export function parseCompleteRequest(xml: string): { partNumber: number; etag: string }[] {
  const root = parseXml(xml);
  if (root.name !== 'CompleteMultipartUpload') throw malformedXml();
  const parts = root.children.filter((child) => child.name === 'Part');
  if (parts.length > MAX_PARTS) throw malformedXml();
  return parts.map((part) => {
    const partNumber = childOf(part, 'PartNumber')?.text.trim() ?? '';
    const etag = childOf(part, 'ETag')?.text.trim();
    if (!/^\d{1,5}$/.test(partNumber) || etag === undefined) throw malformedXml();
    return { partNumber: Number(partNumber), etag };
  });
}
