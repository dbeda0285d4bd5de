import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ReceivedBody } from './body.js';
import { entityTooSmall, invalidPart, invalidPartOrder, malformedXml, noSuchUpload } from './errors.js';
import { createFile, openToRead, readText, writeNewFile } from './files.js';
import { KeyedSerial } from './serial.js';
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
  /** Its data file's name in the upload's folder: a fresh one for every upload of the part. */
  file: string;
}

/** S3's smallest part, except for the last one. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_META = /^(\d+)\.json$/;
const PART_DATA = /^\d+\.[0-9a-f]{16}\.bin$/;

/**
 * Multipart uploads in progress: `uploads/<id>/upload.json`, and for each part `<n>.json` naming its
 * data file `<n>.<random>.bin`. A part uploaded again gets a new data file; its metadata is replaced
 * by a rename, then the old data goes, one upload of a part at a time.
 */
export class UploadStore {
  /** Part swaps and completions of one upload, one at a time. */
  readonly #perUpload = new KeyedSerial();

  constructor(private readonly objects: ObjectStore) {}

  async create(bucket: string, key: string, properties: ObjectProperties): Promise<Upload> {
    await this.objects.requireBucket(bucket);
    const upload: Upload = { ...properties, uploadId: randomBytes(16).toString('hex'), key, initiated: new Date().toISOString() };
    await mkdir(this.#folder(bucket, upload.uploadId), { recursive: true, mode: 0o700 });
    await writeNewFile(path.join(this.#folder(bucket, upload.uploadId), 'upload.json'), JSON.stringify(upload));
    return upload;
  }

  /** The upload `uploadId` of `key`; NoSuchUpload when it is not one (any more). */
  async get(bucket: string, key: string, uploadId: string): Promise<Upload> {
    await this.objects.requireBucket(bucket);
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    const text = await readText(path.join(this.#folder(bucket, uploadId), 'upload.json')).catch(() => undefined);
    const upload = text === undefined ? undefined : (JSON.parse(text) as Upload);
    if (upload?.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  /** Makes the received bytes part `partNumber`, replacing (and then deleting) what was uploaded as that part before. */
  putPart(bucket: string, upload: Upload, partNumber: number, incomingFile: string, body: ReceivedBody): Promise<StoredPart> {
    const folder = this.#folder(bucket, upload.uploadId);
    const file = `${partNumber}.${randomBytes(8).toString('hex')}.bin`;
    const part: StoredPart = { partNumber, etag: body.md5.toString('hex'), size: body.size, lastModified: new Date().toISOString(), file };
    return this.#perUpload.run(upload.uploadId, async () => {
      const previous = await readPart(path.join(folder, `${partNumber}.json`));
      await rename(incomingFile, path.join(folder, file)).catch(async () => {
        await rm(incomingFile, { force: true });
        throw noSuchUpload(upload.uploadId);
      });
      await this.#replaceJson(bucket, path.join(folder, `${partNumber}.json`), part);
      if (previous !== undefined) await unlink(path.join(folder, previous.file)).catch(() => undefined);
      return part;
    });
  }

  /** The parts uploaded so far, by part number. */
  async parts(bucket: string, upload: Upload): Promise<StoredPart[]> {
    const folder = this.#folder(bucket, upload.uploadId);
    const files = (await readdir(folder)).filter((file) => PART_META.test(file));
    const parts = await Promise.all(files.map((file) => readPart(path.join(folder, file))));
    return parts.filter((part) => part !== undefined).sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Joins the listed parts into the object, in order, and ends the upload. */
  complete(bucket: string, upload: Upload, requested: readonly { partNumber: number; etag: string }[]): Promise<StoredObject> {
    return this.#perUpload.run(upload.uploadId, () => this.#complete(bucket, upload, requested));
  }

  async abort(bucket: string, upload: Upload): Promise<void> {
    await rm(this.#folder(bucket, upload.uploadId), { recursive: true, force: true });
  }

  async #complete(bucket: string, upload: Upload, requested: readonly { partNumber: number; etag: string }[]): Promise<StoredObject> {
    const parts = chooseParts(await this.parts(bucket, upload), requested);
    const folder = this.#folder(bucket, upload.uploadId);
    const joined = await this.objects.incomingFile(bucket);
    await concatenate(
      parts.map((part) => path.join(folder, part.file)),
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

  /** Writes the JSON to a new file and renames it over `file`: a reader sees the old document or the new one. */
  async #replaceJson(bucket: string, file: string, value: unknown): Promise<void> {
    const temporary = await this.objects.incomingFile(bucket);
    await writeNewFile(temporary, JSON.stringify(value));
    await rename(temporary, file);
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

/** A part's metadata, read back; anything that does not look like ours (or is missing) counts as no part. */
async function readPart(file: string): Promise<StoredPart | undefined> {
  const text = await readText(file).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const part = JSON.parse(text) as Partial<StoredPart> | null;
    const valid =
      typeof part?.partNumber === 'number' &&
      typeof part.etag === 'string' &&
      typeof part.size === 'number' &&
      typeof part.lastModified === 'string' &&
      typeof part.file === 'string' &&
      PART_DATA.test(part.file);
    return valid ? (part as StoredPart) : undefined;
  } catch {
    return undefined;
  }
}

/** Appends the files to a new file, a buffer at a time. */
async function concatenate(files: readonly string[], target: string): Promise<void> {
  const handle = await createFile(target);
  try {
    for (const file of files) {
      const source = await openToRead(file);
      for await (const chunk of source.createReadStream({ highWaterMark: 1024 * 1024 })) await handle.write(chunk as Buffer);
    }
  } finally {
    await handle.close();
  }
}
