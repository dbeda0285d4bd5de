// Reads an S3 object in blocks of `blockMb`, keeping `prefetch` more blocks on their way while it
// hashes the current one (SHA-256), so reading and hashing overlap. More blocks in flight hide
// the latency of each GET but hold more memory; bigger blocks mean fewer requests but a longer
// wait for the first. The sweet spot moves with memory, which buys both CPU and room.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

const MB = 1024 * 1024;
const s3 = new S3Client({});

export const handler = async (event = {}) => {
  const bucket = event.bucket ?? process.env.READER_BUCKET;
  const key = event.key ?? process.env.READER_KEY;
  const blockMb = Number(event.blockMb ?? 4);
  const prefetch = Math.max(0, Math.floor(Number(event.prefetch ?? 2)));
  if (!bucket || !key) throw new Error('Give "bucket" and "key" in the payload, or set READER_BUCKET and READER_KEY.');
  if (!(blockMb > 0)) throw new Error(`blockMb must be a positive number, got ${event.blockMb}`);

  const started = performance.now();
  const size = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  const blockBytes = Math.max(1, Math.round(blockMb * MB));
  const blocks = Math.ceil(size / blockBytes);
  const fetchBlock = (index) => {
    const start = index * blockBytes;
    const end = Math.min(start + blockBytes, size) - 1;
    return s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` })).then((part) => part.Body.transformToByteArray());
  };

  const hash = createHash('sha256');
  const inFlight = [];
  let requested = 0;
  let waitMs = 0;
  for (let index = 0; index < blocks; index++) {
    // Keep the current block and `prefetch` more requested.
    while (requested < blocks && requested <= index + prefetch) inFlight.push(fetchBlock(requested++));
    const waitStarted = performance.now();
    const bytes = await inFlight.shift();
    waitMs += performance.now() - waitStarted;
    hash.update(bytes);
  }
  const readMs = performance.now() - started;
  console.log(`read bytes=${size} blocks=${blocks} blockMb=${blockMb} prefetch=${prefetch} readMs=${readMs.toFixed(1)} waitMs=${waitMs.toFixed(1)}`);
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: 'lambda-tune/prefetch-reader',
            Dimensions: [[]],
            Metrics: [{ Name: 'readMs' }, { Name: 'waitMs' }, { Name: 'mbPerSecond' }, { Name: 'blocks' }],
          },
        ],
      },
      readMs: Math.round(readMs * 10) / 10,
      waitMs: Math.round(waitMs * 10) / 10,
      mbPerSecond: Math.round((size / MB / (readMs / 1000)) * 100) / 100,
      blocks,
    }),
  );
  return { bytes: size, blocks, sha256: hash.digest('hex') };
};
