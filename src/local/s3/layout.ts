import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { noSuchBucket } from './errors.js';

/**
 * Where things live under the S3 root:
 *   <root>/<bucket>/objects/<sha256 of key>.json        the object's metadata, naming its data file
 *   <root>/<bucket>/objects/<sha256 of key>.<id>.bin    the object's bytes
 *   <root>/<bucket>/uploads/<upload id>/…                multipart uploads in progress
 *   <root>/<bucket>/incoming/…                           bodies being received, and files being written
 * Keys never become paths: a key is hashed, so `../../etc/passwd` is as harmless as any other.
 */
export class Layout {
  constructor(readonly root: string) {}

  /** A bucket's folder; a name that is not a valid bucket name can name no bucket, so it never reaches the file system. */
  bucket(bucket: string): string {
    if (!isValidBucketName(bucket)) throw noSuchBucket(bucket);
    return path.join(this.root, bucket);
  }

  objects(bucket: string): string {
    return path.join(this.bucket(bucket), 'objects');
  }

  objectMeta(bucket: string, key: string): string {
    return path.join(this.objects(bucket), `${keyDigest(key)}.json`);
  }

  /** A fresh name for a new version of an object's bytes. */
  newObjectData(bucket: string, key: string): string {
    return path.join(this.objects(bucket), `${keyDigest(key)}.${randomBytes(8).toString('hex')}.bin`);
  }

  uploads(bucket: string): string {
    return path.join(this.bucket(bucket), 'uploads');
  }

  incoming(bucket: string): string {
    return path.join(this.bucket(bucket), 'incoming');
  }

  /** A new, unused file name in the bucket's incoming folder. */
  incomingFile(bucket: string): string {
    return path.join(this.incoming(bucket), randomBytes(12).toString('hex'));
  }
}

/** Metadata files are named after the SHA-256 of the key; anything else in the folder is not an object. */
export const META_FILE = /^[0-9a-f]{64}\.json$/;

export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** S3's naming rules for general purpose buckets: 3–63 of a-z 0-9 . -, a letter or digit at each end, no `..`, not an IP address. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}
