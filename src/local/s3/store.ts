import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ChecksumAlgorithm } from './checksum.js';
import { bucketAlreadyOwnedByYou, bucketNotEmpty, invalidBucketName, noSuchBucket, noSuchKey } from './errors.js';
import { readText, writeNewFile } from './files.js';
import { isValidBucketName, Layout, META_FILE } from './layout.js';
import { compareKeys } from './listing.js';
import { KeyedSerial } from './serial.js';

/** What the client set on an object besides its bytes. */
export interface ObjectProperties {
  contentType: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires: by lower-case name. */
  headers: Record<string, string>;
  /** `x-amz-meta-*` values by the lower-case name after the prefix. */
  metadata: Record<string, string>;
}

export interface StoredObject extends ObjectProperties {
  key: string;
  size: number;
  /** Without the quotes: MD5 hex, or for a multipart upload the MD5 of the parts' MD5s and `-<parts>`. */
  etag: string;
  lastModified: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  /** The data file's name in the objects folder. */
  file: string;
}

const DATA_FILE = /^[0-9a-f]{64}\.[0-9a-f]{16}\.bin$/;
/** Metadata files read at once while listing, to stay clear of the process's file limit. */
const LIST_BATCH = 64;

/** Buckets and objects on disk. One platform owns a root at a time. */
export class ObjectStore {
  readonly layout: Layout;
  /** Commits and deletes of one key, one at a time: each swaps the metadata and then removes the data it replaced. */
  readonly #perKey = new KeyedSerial();

  constructor(root: string) {
    this.layout = new Layout(root);
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const entries = await readdir(this.layout.root).catch(() => []);
    const names = entries.filter(isValidBucketName).sort();
    const created = await Promise.all(names.map((name) => stat(this.layout.objects(name)).catch(() => undefined)));
    return names.flatMap((name, i) => {
      const info = created[i];
      return info?.isDirectory() === true ? [{ name, created: info.birthtime }] : [];
    });
  }

  async createBucket(bucket: string): Promise<void> {
    if (!isValidBucketName(bucket)) throw invalidBucketName(bucket);
    if (await this.bucketExists(bucket)) throw bucketAlreadyOwnedByYou(bucket);
    await mkdir(this.layout.incoming(bucket), { recursive: true });
    await mkdir(this.layout.uploads(bucket), { recursive: true });
    await mkdir(this.layout.objects(bucket), { recursive: true });
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.requireBucket(bucket);
    const files = await readdir(this.layout.objects(bucket));
    if (files.some((file) => META_FILE.test(file))) throw bucketNotEmpty(bucket);
    await rm(this.layout.bucket(bucket), { recursive: true, force: true });
  }

  async bucketExists(bucket: string): Promise<boolean> {
    if (!isValidBucketName(bucket)) return false;
    const info = await stat(this.layout.objects(bucket)).catch(() => undefined);
    return info?.isDirectory() === true;
  }

  async requireBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw noSuchBucket(bucket);
  }

  /** The object's metadata, or undefined when there is no such key. */
  async find(bucket: string, key: string): Promise<StoredObject | undefined> {
    const text = await readText(this.layout.objectMeta(bucket, key)).catch(() => undefined);
    const object = text === undefined ? undefined : parseStoredObject(text);
    return object?.key === key ? object : undefined;
  }

  async head(bucket: string, key: string): Promise<StoredObject> {
    await this.requireBucket(bucket);
    const object = await this.find(bucket, key);
    if (object === undefined) throw noSuchKey(key);
    return object;
  }

  dataPath(bucket: string, object: StoredObject): string {
    return path.join(this.layout.objects(bucket), object.file);
  }

  /** Every object in the bucket, in S3's key order. */
  async list(bucket: string): Promise<StoredObject[]> {
    await this.requireBucket(bucket);
    const dir = this.layout.objects(bucket);
    const files = (await readdir(dir)).filter((file) => META_FILE.test(file));
    const objects: StoredObject[] = [];
    for (let i = 0; i < files.length; i += LIST_BATCH) {
      const texts = await Promise.all(files.slice(i, i + LIST_BATCH).map((file) => readText(path.join(dir, file)).catch(() => undefined)));
      for (const text of texts) {
        const object = text === undefined ? undefined : parseStoredObject(text);
        if (object !== undefined) objects.push(object);
      }
    }
    return objects.sort((a, b) => compareKeys(a.key, b.key));
  }

  /**
   * Makes the bytes in `incomingFile` the object `key`. The metadata file names the data file and is
   * replaced by a rename, so a reader sees the old object or the new one, never half of each; the
   * data it replaced goes after the swap. Commits of one key run one at a time, so none is orphaned.
   */
  commit(bucket: string, incomingFile: string, object: Omit<StoredObject, 'file'>): Promise<StoredObject> {
    return this.#perKey.run(`${bucket}/${object.key}`, async () => {
      const data = this.layout.newObjectData(bucket, object.key);
      const stored: StoredObject = { ...object, file: path.basename(data) };
      const previous = await this.find(bucket, object.key);
      await rename(incomingFile, data);
      await this.#writeMeta(bucket, stored);
      if (previous !== undefined) await unlink(this.dataPath(bucket, previous)).catch(() => undefined);
      return stored;
    });
  }

  /** Removes the object; like S3, quietly when there is none. */
  delete(bucket: string, key: string): Promise<void> {
    return this.#perKey.run(`${bucket}/${key}`, async () => {
      const object = await this.find(bucket, key);
      if (object === undefined) return;
      await unlink(this.layout.objectMeta(bucket, key)).catch(() => undefined);
      await unlink(this.dataPath(bucket, object)).catch(() => undefined);
    });
  }

  /** A fresh file name to receive bytes into, in the bucket's incoming folder. */
  async incomingFile(bucket: string): Promise<string> {
    await mkdir(this.layout.incoming(bucket), { recursive: true });
    return this.layout.incomingFile(bucket);
  }

  async #writeMeta(bucket: string, object: StoredObject): Promise<void> {
    const temporary = await this.incomingFile(bucket);
    await writeNewFile(temporary, JSON.stringify(object));
    await rename(temporary, this.layout.objectMeta(bucket, object.key));
  }
}

/** Our own metadata file, read back; anything that does not look like one counts as no object. */
function parseStoredObject(text: string): StoredObject | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredObject> | null;
    const valid =
      typeof value?.key === 'string' &&
      typeof value.size === 'number' &&
      typeof value.etag === 'string' &&
      typeof value.lastModified === 'string' &&
      typeof value.file === 'string' &&
      DATA_FILE.test(value.file);
    return valid ? ({ contentType: 'binary/octet-stream', headers: {}, metadata: {}, ...value } as StoredObject) : undefined;
  } catch {
    return undefined;
  }
}
