import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';

/** A running digest over a body, read out base64 as S3's `x-amz-checksum-*` headers carry it. */
export interface BodyDigest {
  update(bytes: Buffer): void;
  base64(): string;
}

/** The checksum algorithms S3 accepts; only some of them can be computed here. */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** A digest for `algorithm`, or undefined when this Node cannot compute it (CRC32C, CRC64NVME): such a checksum is taken on trust. */
export function checksumDigest(algorithm: ChecksumAlgorithm): BodyDigest | undefined {
  if (algorithm === 'sha1' || algorithm === 'sha256') return hashDigest(createHash(algorithm));
  if (algorithm === 'crc32' && typeof zlib.crc32 === 'function') return crc32Digest();
  return undefined;
}

export function hashDigest(hash: Hash): BodyDigest {
  return {
    update: (bytes) => hash.update(bytes),
    base64: () => hash.copy().digest('base64'),
  };
}

function crc32Digest(): BodyDigest {
  let value = 0;
  return {
    update: (bytes) => {
      value = zlib.crc32(bytes, value);
    },
    base64: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}
