import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver accepts requests signed with these; functions get them, never the host's credentials. */
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface SeedObject {
  key: string;
  sizeMb: number;
}

export interface SeedBucket {
  name: string;
  objects: SeedObject[];
}

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts an S3-compatible server on loopback and creates the seeded buckets and random objects. */
export async function startS3(options: { host: string; directory: string; buckets: SeedBucket[]; region: string }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ address: options.host, port: 0, directory: options.directory, silent: true });
  const address = await server.run();
  const endpoint = `http://${urlHost(options.host)}:${address.port}`;
  const client = new S3Client({ endpoint, region: options.region, credentials: S3_CREDENTIALS, forcePathStyle: true });
  try {
    for (const bucket of options.buckets) await seedBucket(client, bucket);
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: async () => {
      await server.close();
    },
  };
}

async function seedBucket(client: S3Client, bucket: SeedBucket): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket.name })).catch((error: unknown) => {
    const name = error instanceof Error ? error.name : undefined;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  });
  for (const object of bucket.objects) {
    const bytes = Math.round(object.sizeMb * 1024 * 1024);
    const existing = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: object.key })).catch(() => undefined);
    // Objects are kept on disk between runs; random content of the right size is all a seed needs.
    if (existing?.ContentLength === bytes) continue;
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: object.key, Body: randomBytes(bytes) }));
  }
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
