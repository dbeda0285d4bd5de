// A copy thread of index.mjs: its own S3 client, one part at a time.
import { parentPort } from 'node:worker_threads';
import { S3Client } from '@aws-sdk/client-s3';
import { copyPart } from './index.mjs';

const s3 = new S3Client({});

parentPort.on('message', async ({ id, job }) => {
  try {
    parentPort.postMessage({ id, part: await copyPart(s3, job) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
