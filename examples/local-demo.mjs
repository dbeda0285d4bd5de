// The embedded platform from code: start it, then drive it with the unmodified AWS SDK.
// Invokes the bundled hasher at several memory sizes and prints what its REPORT lines say.
// `tune --local` (the tune command) does this properly: many invocations, statistics, the sweet spot.
import { InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { bundledBuckets, bundledFunctions } from '../dist/local/examples.js';
import { startPlatform } from '../dist/local/platform.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const MEMORY_MB = [128, 256, 512, 1024];
const CHUNK_MB = 10;
const OBJECT_MB = 20;

const platform = await startPlatform({ functions: bundledFunctions(), s3: { buckets: bundledBuckets(OBJECT_MB) } });
const lambda = new LambdaClient({ endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials });
console.log(`local platform at ${platform.endpoints.lambda} (CPU limits: ${platform.cpuLimit}); hashing a ${OBJECT_MB} MB object in ${CHUNK_MB} MB chunks\n`);
console.log('memory MB   cold ms   init ms   warm ms   MB/s   max memory MB');
try {
  for (const memoryMb of MEMORY_MB) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hasher', MemorySize: memoryMb }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'hasher' });
    const cold = await invoke();
    const warm = await invoke();
    console.log(
      [
        String(memoryMb).padStart(9),
        cold.durationMs.padStart(9),
        cold.initMs.padStart(9),
        warm.durationMs.padStart(9),
        warm.mbPerSecond.padStart(6),
        warm.maxMemoryMb.padStart(15),
      ].join(' '),
    );
  }
} finally {
  lambda.destroy();
  await platform.stop();
}

async function invoke() {
  const result = await lambda.send(new InvokeCommand({ FunctionName: 'hasher', Payload: JSON.stringify({ chunkSizeMb: CHUNK_MB }), LogType: 'Tail' }));
  const tail = Buffer.from(result.LogResult ?? '', 'base64').toString();
  const field = (name) => new RegExp(`${name}: ([\\d.]+)`).exec(tail)?.[1] ?? '-';
  const body = JSON.parse(Buffer.from(result.Payload).toString());
  if (result.FunctionError) throw new Error(`hasher failed: ${body.errorType}: ${body.errorMessage}`);
  return { durationMs: field('\tDuration'), initMs: field('Init Duration'), maxMemoryMb: field('Max Memory Used'), mbPerSecond: body.mbPerSecond.toFixed(1) };
}
