import { createHash, randomFillSync } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { S3Error } from './errors.js';
import { createFile } from './files.js';
import type { ObjectStore } from './store.js';

export interface SeedObject {
  key: string;
  sizeMb: number;
}

export interface SeedBucket {
  name: string;
  objects: SeedObject[];
}

const WRITE_BLOCK_BYTES = 4 * 1024 * 1024;

/** Creates the bucket if needed and gives each object random bytes of its size, unless one of that size is already there. */
export async function seedBucket(store: ObjectStore, bucket: SeedBucket): Promise<void> {
  await store.createBucket(bucket.name).catch((error: unknown) => {
    if (!(error instanceof S3Error && error.code === 'BucketAlreadyOwnedByYou')) throw error;
  });
  for (const object of bucket.objects) {
    const bytes = Math.round(object.sizeMb * 1024 * 1024);
    // Objects are kept on disk between runs; random content of the right size is all a seed needs.
    if ((await store.find(bucket.name, object.key))?.size === bytes) continue;
    await seedObject(store, bucket.name, object.key, bytes);
  }
}

/** Writes the random bytes straight to disk, a block at a time, hashing as it goes. */
async function seedObject(store: ObjectStore, bucket: string, key: string, bytes: number): Promise<void> {
  const file = await store.incomingFile(bucket);
  const md5 = createHash('md5');
  const handle = await createFile(file);
  try {
    const block = Buffer.allocUnsafe(Math.min(WRITE_BLOCK_BYTES, bytes));
    for (let written = 0; written < bytes; written += block.length) {
      const chunk = block.subarray(0, Math.min(block.length, bytes - written));
      randomFillSync(chunk);
      md5.update(chunk);
      await handle.write(chunk);
    }
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
  const properties = { contentType: 'application/octet-stream', headers: {}, metadata: {} };
  await store.commit(bucket, file, { key, ...properties, size: bytes, etag: md5.digest('hex'), lastModified: new Date().toISOString() });
}
