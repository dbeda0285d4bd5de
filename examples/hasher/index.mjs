// Streams an S3 object in ranged reads of `chunkSizeMb` and hashes it with SHA-1.
// The workload lambda-tune was born from: memory buys CPU for hashing, chunk size trades
// request overhead against memory. Runs unchanged on AWS and on the local platform.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

const s3 = new S3Client({});
const MB = 1024 * 1024;

export const handler = async (event = {}) => {
  const bucket = event.bucket ?? process.env.HASHER_BUCKET;
  const key = event.key ?? process.env.HASHER_KEY;
  const chunkSizeMb = Number(event.chunkSizeMb ?? 10);
  if (!bucket || !key) throw new Error('Give "bucket" and "key" in the payload, or set HASHER_BUCKET and HASHER_KEY.');
  if (!(chunkSizeMb > 0)) throw new Error(`chunkSizeMb must be a positive number, got ${event.chunkSizeMb}`);

  const started = performance.now();
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  const chunkBytes = Math.max(1, Math.round(chunkSizeMb * MB));
  const hash = createHash('sha1');
  let readMs = 0;
  let hashMs = 0;
  let chunks = 0;
  for (let offset = 0; offset < size; offset += chunkBytes) {
    const last = Math.min(offset + chunkBytes, size) - 1;
    const readStarted = performance.now();
    const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${last}` }));
    const bytes = await part.Body.transformToByteArray();
    const hashStarted = performance.now();
    hash.update(bytes);
    readMs += hashStarted - readStarted;
    hashMs += performance.now() - hashStarted;
    chunks += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const mbPerSecond = size / MB / seconds;
  // One line for people reading the logs, and the same timings as CloudWatch embedded metric
  // format, which lambda-tune (and CloudWatch) pick up without configuration.
  console.log(
    `hashed bytes=${size} chunks=${chunks} seconds=${seconds.toFixed(3)} readMs=${readMs.toFixed(1)} hashMs=${hashMs.toFixed(1)} mbPerSecond=${mbPerSecond.toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: 'lambda-tune/hasher',
            Dimensions: [['chunkSizeMb']],
            Metrics: [
              { Name: 'readMs', Unit: 'Milliseconds' },
              { Name: 'hashMs', Unit: 'Milliseconds' },
              { Name: 'mbPerSecond', Unit: 'None' },
            ],
          },
        ],
      },
      chunkSizeMb: String(chunkSizeMb),
      readMs: Math.round(readMs * 10) / 10,
      hashMs: Math.round(hashMs * 10) / 10,
      mbPerSecond: Math.round(mbPerSecond * 100) / 100,
    }),
  );
  return { digest: hash.digest('hex'), bytes: size, chunks, chunkSizeMb, seconds, readMs, hashMs, mbPerSecond };
};
