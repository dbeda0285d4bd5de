// Copies an S3 object through the function, part by part (a ranged GET, then UploadPart), in one
// of three ways: `serial` (one part after another), `async` (`workers` parts in flight on the
// event loop) or `threads` (`workers` worker threads, each with its own client). Which is best
// depends on how much CPU the memory size buys: threads need cores, async needs only sockets.
// The copy is deleted afterwards, so a tuning run leaves the bucket as it found it.
import { Worker } from 'node:worker_threads';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

const MB = 1024 * 1024;
const s3 = new S3Client({});

/** Moves one part: read its byte range from the source, upload it as part `number` of the copy. */
export async function copyPart(client, job) {
  const source = await client.send(new GetObjectCommand({ Bucket: job.bucket, Key: job.key, Range: `bytes=${job.start}-${job.end}` }));
  const body = await source.Body.transformToByteArray();
  const part = await client.send(new UploadPartCommand({ Bucket: job.bucket, Key: job.target, UploadId: job.uploadId, PartNumber: job.number, Body: body }));
  return { PartNumber: job.number, ETag: part.ETag };
}

export const handler = async (event = {}, context) => {
  const bucket = event.bucket ?? process.env.COPY_BUCKET;
  const key = event.key ?? process.env.COPY_KEY;
  const mode = event.mode ?? 'serial';
  const workers = Math.max(1, Number(event.workers ?? 4));
  const partMb = Math.max(5, Number(event.partMb ?? 8));
  if (!bucket || !key) throw new Error('Give "bucket" and "key" in the payload, or set COPY_BUCKET and COPY_KEY.');
  if (!RUNNERS[mode]) throw new Error(`mode must be serial, async or threads, got ${mode}`);

  const started = performance.now();
  const size = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  const target = `copies/${context.awsRequestId}`;
  const { UploadId: uploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: target }));
  const jobs = partJobs(size, partMb * MB).map((range, i) => ({ ...range, number: i + 1, bucket, key, target, uploadId }));
  const parts = await RUNNERS[mode](jobs, workers);
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: target, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: target }));
  const copyMs = performance.now() - started;
  console.log(`copied bytes=${size} parts=${jobs.length} mode=${mode} workers=${workers} copyMs=${copyMs.toFixed(1)}`);
  console.log(JSON.stringify(metrics({ copyMs, mbPerSecond: size / MB / (copyMs / 1000) })));
  return { bytes: size, parts: jobs.length, mode, workers };
};

function partJobs(size, partBytes) {
  const ranges = [];
  for (let start = 0; start < size; start += partBytes) ranges.push({ start, end: Math.min(start + partBytes, size) - 1 });
  return ranges;
}

const RUNNERS = {
  serial: async (jobs) => {
    const parts = [];
    for (const job of jobs) parts.push(await copyPart(s3, job));
    return parts;
  },
  async: async (jobs, workers) => {
    const parts = [];
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) parts.push(await copyPart(s3, jobs[next++]));
    };
    await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
    return parts.sort((a, b) => a.PartNumber - b.PartNumber);
  },
  threads: async (jobs, workers) => {
    const pool = threadPool(Math.min(workers, jobs.length));
    const parts = await Promise.all(jobs.map((job, i) => pool[i % pool.length].run(job)));
    return parts.sort((a, b) => a.PartNumber - b.PartNumber);
  },
};

// Threads outlive an invocation: a warm environment keeps its pool, as a real function would.
const threads = [];
function threadPool(size) {
  while (threads.length < size) threads.push(copyThread());
  return threads.slice(0, size);
}

function copyThread() {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url));
  worker.unref();
  const waiting = new Map();
  let nextId = 0;
  let queue = Promise.resolve();
  worker.on('message', ({ id, part, error }) => {
    const done = waiting.get(id);
    waiting.delete(id);
    if (error) done.reject(new Error(error));
    else done.resolve(part);
  });
  // One part at a time per thread: a thread is a worker, not a queue of sockets.
  const run = (job) => {
    const result = queue.then(
      () =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          waiting.set(id, { resolve, reject });
          worker.postMessage({ id, job });
        }),
    );
    queue = result.catch(() => undefined);
    return result;
  };
  return { run };
}

function metrics(values) {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: 'lambda-tune/s3-copy', Dimensions: [[]], Metrics: Object.keys(values).map((Name) => ({ Name, Unit: 'None' })) }],
    },
    ...Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Math.round(value * 10) / 10])),
  };
}
