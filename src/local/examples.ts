import path from 'node:path';
import type { LocalFunctionConfig } from '../config/local-config.js';
import { packageRoot } from '../package-root.js';
import type { SeedBucket } from './s3.js';

export const EXAMPLE_BUCKET = 'lambda-tune-examples';
export const EXAMPLE_KEY = 'random.bin';
export const EXAMPLE_OBJECT_MB = 100;
/** `tune --local` seeds less: a tuning run reads the object hundreds of times. */
export const TUNE_OBJECT_MB = 32;

/** What the platform serves with no config: the bundled example functions. */
export function bundledFunctions(): LocalFunctionConfig[] {
  const examples = path.join(packageRoot(), 'examples');
  return [
    {
      name: 'hasher',
      handler: path.join(examples, 'hasher', 'index.handler'),
      runtime: 'nodejs20.x',
      description: 'Streams an S3 object in chunks and hashes it with SHA-1.',
      memoryMb: 1024,
      timeoutS: 120,
      environment: { HASHER_BUCKET: EXAMPLE_BUCKET, HASHER_KEY: EXAMPLE_KEY },
      logFormat: 'Text',
      architecture: 'x86_64',
    },
    {
      name: 'hasher-py',
      handler: path.join(examples, 'hasher-py', 'app.handler'),
      // Served by the host's python3, whatever its version; boto3 comes from its site-packages.
      runtime: 'python3.12',
      description: 'The hasher in Python: streams an S3 object in chunks with boto3 and hashes it with SHA-1.',
      memoryMb: 1024,
      timeoutS: 120,
      environment: { HASHER_BUCKET: EXAMPLE_BUCKET, HASHER_KEY: EXAMPLE_KEY },
      logFormat: 'Text',
      architecture: 'x86_64',
    },
    {
      name: 's3-copy',
      handler: path.join(examples, 's3-copy', 'index.handler'),
      runtime: 'nodejs20.x',
      description: 'Copies an S3 object through the function in parts: serially, with async I/O, or with a thread pool.',
      memoryMb: 1024,
      timeoutS: 120,
      environment: { COPY_BUCKET: EXAMPLE_BUCKET, COPY_KEY: EXAMPLE_KEY },
      logFormat: 'Text',
      architecture: 'x86_64',
    },
    {
      name: 'prefetch-reader',
      handler: path.join(examples, 'prefetch-reader', 'index.handler'),
      runtime: 'nodejs20.x',
      description: 'Reads an S3 object in blocks, some prefetched while it hashes the current one.',
      memoryMb: 1024,
      timeoutS: 120,
      environment: { READER_BUCKET: EXAMPLE_BUCKET, READER_KEY: EXAMPLE_KEY },
      logFormat: 'Text',
      architecture: 'x86_64',
    },
  ];
}

export function bundledBuckets(objectMb = EXAMPLE_OBJECT_MB): SeedBucket[] {
  return [{ name: EXAMPLE_BUCKET, objects: [{ key: EXAMPLE_KEY, sizeMb: objectMb }] }];
}
