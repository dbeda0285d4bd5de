import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedBucket, type SeedBucket } from './s3/seed.js';
import { s3RequestListener } from './s3/server.js';
import { ObjectStore } from './s3/store.js';

export type { SeedBucket, SeedObject } from './s3/seed.js';

/** Credentials the functions get for S3. Any signature is accepted, so these only have to exist, never the host's own. */
export const S3_CREDENTIALS = { accessKeyId: 'lambda-tune-s3', secretAccessKey: 'lambda-tune-s3' } as const;

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the platform's own S3 on loopback, serving the buckets under `directory`, and seeds the configured buckets with random objects. */
export async function startS3(options: { host: string; directory: string; buckets: SeedBucket[]; region: string }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const store = new ObjectStore(options.directory);
  for (const bucket of options.buckets) await seedBucket(store, bucket);
  const address = () => ({ host: options.host, port: (server.address() as AddressInfo | null)?.port ?? 0 });
  const server: http.Server = http.createServer(s3RequestListener({ root: options.directory, region: options.region, address }));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${urlHost(options.host)}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
