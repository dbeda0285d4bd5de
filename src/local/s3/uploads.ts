import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReceivedBody } from './body.js';
import { entityTooSmall, invalidPart, invalidPartOrder, malformedXml, noSuchUpload } from './errors.js';
import type { ObjectProperties, ObjectStore, StoredObject } from './store.js';

export interface Upload extends ObjectProperties {
  uploadId: string;
  key: string;
  initiated: string;
}

export interface StoredPart {
  partNumber: number;
  /** MD5 hex, without quotes. */
  etag: string;
  size: number;
  lastModified: string;
}

/** S3's smallest part, except for the last one. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_META = /^(\d+)\.json$/;

/** Multipart uploads in progress: `uploads/<id>/upload.json`, and `<n>.bin` + `<n>.json` for each part. */
export class UploadStore {
  constructor(private readonly objects: ObjectStore) {}

  async create(bucket: string, key: string, properties: ObjectProperties): Promise<Upload> {
    await this.objects.requireBucket(bucket);
    const upload: Upload = { ...properties, uploadId: randomBytes(16).toString('hex'), key, initiated: new Date().toISOString() };
    await mkdir(this.#folder(bucket, upload.uploadId), { recursive: true });
    await writeFile(path.join(this.#folder(bucket, upload.uploadId), 'upload.json'), JSON.stringify(upload));
    return upload;
  }

  /** The upload `uploadId` of `key`; NoSuchUpload when it is not one (any more). */
  async get(bucket: string, key: string, uploadId: string): Promise<Upload> {
    await this.objects.requireBucket(bucket);
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    const text = await readFile(path.join(this.#folder(bucket, uploadId), 'upload.json'), 'utf8').catch(() => undefined);
    const upload = text === undefined ? undefined : (JSON.parse(text) as Upload);
    if (upload?.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  async putPart(bucket: string, upload: Upload, partNumber: number, incomingFile: string, body: ReceivedBody): Promise<StoredPart> {
    const folder = this.#folder(bucket, upload.uploadId);
    const part: StoredPart = { partNumber, etag: body.md5.toString('hex'), size: body.size, lastModified: new Date().toISOString() };
    await rename(incomingFile, path.join(folder, `${partNumber}.bin`));
    await writeFile(path.join(folder, `${partNumber}.json`), JSON.stringify(part));
    return part;
  }

  /** The parts uploaded so far, by part number. */
  async parts(bucket: string, upload: Upload): Promise<StoredPart[]> {
    const folder = this.#folder(bucket, upload.uploadId);
    const files = (await readdir(folder)).filter((file) => PART_META.test(file));
    const parts = await Promise.all(files.map(async (file) => JSON.parse(await readFile(path.join(folder, file), 'utf8')) as StoredPart));
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Joins the listed parts into the object, in order, and ends the upload. */
  async complete(bucket: string, upload: Upload, requested: readonly { partNumber: number; etag: string }[]): Promise<StoredObject> {
    const parts = chooseParts(await this.parts(bucket, upload), requested);
    const folder = this.#folder(bucket, upload.uploadId);
    const joined = await this.objects.incomingFile(bucket);
    await concatenate(
      parts.map((part) => path.join(folder, `${part.partNumber}.bin`)),
      joined,
    ).catch(async (error: unknown) => {
      await rm(joined, { force: true });
      throw error;
    });
    const md5s = Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex')));
    const object = await this.objects.commit(bucket, joined, {
      key: upload.key,
      contentType: upload.contentType,
      headers: upload.headers,
      metadata: upload.metadata,
      size: parts.reduce((sum, part) => sum + part.size, 0),
      etag: `${createHash('md5').update(md5s).digest('hex')}-${parts.length}`,
      lastModified: new Date().toISOString(),
    });
    await this.abort(bucket, upload);
    return object;
  }

  async abort(bucket: string, upload: Upload): Promise<void> {
    await rm(this.#folder(bucket, upload.uploadId), { recursive: true, force: true });
  }

  #folder(bucket: string, uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    return path.join(this.objects.layout.uploads(bucket), uploadId);
  }
}

/** The stored parts a CompleteMultipartUpload names, checked as S3 checks them: ascending, present, matching, big enough. */
export function chooseParts(stored: readonly StoredPart[], requested: readonly { partNumber: number; etag: string }[]): StoredPart[] {
  if (requested.length === 0) throw malformedXml();
  if (requested.some((wanted, i) => i > 0 && wanted.partNumber <= (requested[i - 1]?.partNumber ?? 0))) throw invalidPartOrder();
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const chosen = requested.map((wanted) => {
    const part = byNumber.get(wanted.partNumber);
    if (part === undefined || part.etag !== wanted.etag.replace(/"/g, '').toLowerCase()) throw invalidPart();
    return part;
  });
  if (chosen.slice(0, -1).some((part) => part.size < MIN_PART_BYTES)) throw entityTooSmall();
  return chosen;
}

/** Appends the files to a new file, a buffer at a time. */
async function concatenate(files: readonly string[], target: string): Promise<void> {
  const handle = await open(target, 'wx');
  try {
    for (const file of files) {
      for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) await handle.write(chunk as Buffer);
    }
  } finally {
    await handle.close();
  }
}
