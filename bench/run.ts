/**
 * The platform's benchmark: how faithfully it limits CPU by memory size, and what it adds to
 * an invocation. Run with `npm run bench`; quote its table, not single timings.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { quantileSorted } from 'simple-statistics';
import { localFunctionSchema } from '../src/config/local-config.js';
import { pricesFor } from '../src/cost/prices.js';
import { embeddedMetrics } from '../src/parse/timings.js';
import { LambdaGateway } from '../src/lambda/gateway.js';
import { Journal } from '../src/measure/journal.js';
import { measure } from '../src/measure/run.js';
import { samplesWriter } from '../src/result/files.js';
import { startPlatform } from '../src/local/platform.js';
import { findPythonInterpreter } from '../src/local/python-interpreter.js';
import { packageRoot } from '../src/package-root.js';
import { startupBench } from './startup.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'functions');
const FIDELITY_MEMORY_MB = [128, 256, 512, 1024, 1769];
const FIDELITY_TOLERANCE = 0.15;
const FIDELITY_REPEATS = 5;
const SPIN_ROUNDS = 1500;
const OVERHEAD_INVOCATIONS = 1000;
const OVERHEAD_TARGET_MS = 3;
const ENGINE_INVOCATIONS = 2000;
const ENGINE_CONCURRENCY = 8;
const ENGINE_TARGET_RATIO = 0.9;
/** The Python hasher at two sizes, reading an object of its own from the platform's S3. */
const PYTHON_HASHER_MEMORY_MB = [256, 1024] as const;
const PYTHON_HASHER_OBJECT_MB = 32;
const PYTHON_HASHER_CHUNK_MB = 10;
const PYTHON_HASHER_BUCKET = 'lambda-tune-bench';

const median = (values: number[]) =>
  quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const fixed = (value: number, digits = 2) => value.toFixed(digits);

async function main(): Promise<void> {
  const cpuMode = (process.argv.find((arg) => arg.startsWith('--cpu-limit='))?.split('=')[1] ?? 'auto') as 'auto' | 'throttle';
  const functions = [
    ...FIDELITY_MEMORY_MB.map((memoryMb) =>
      localFunctionSchema.parse({ name: `spin-${memoryMb}`, handler: path.join(FIXTURES, 'spin.handler'), memoryMb, timeoutS: 120 }),
    ),
    localFunctionSchema.parse({ name: 'noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 1769 }),
    localFunctionSchema.parse({ name: 'engine-noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 128 }),
    ...PYTHON_HASHER_MEMORY_MB.map((memoryMb) => pythonHasher(memoryMb)),
  ];
  // Before the platform starts, so nothing else of the bench competes with the processes it times.
  let failed = startupBench();
  if (process.argv.includes('--startup-only')) {
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const s3 = { directory: mkdtempSync(path.join(tmpdir(), 'lambda-tune-bench-s3-')), buckets: [pythonHasherBucket()] };
  const platform = await startPlatform({ functions, port: 0, s3, cpuLimit: cpuMode });
  const client = new LambdaClient({ endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials });
  try {
    console.log(`lambda-tune platform benchmark  (CPU limits: ${platform.cpuLimit}, node ${process.version})\n`);
    failed = (await fidelity(client)) || failed;
    await pythonFidelity(client);
    failed = (await overheadOfServedPlatform()) || failed;
    const logs = new CloudWatchLogsClient({ endpoint: platform.endpoints.logs, region: platform.region, credentials: platform.credentials });
    failed = (await engineThroughput(client, logs)) || failed;
    logs.destroy();
  } finally {
    client.destroy();
    await platform.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

/**
 * A CPU-bound handler at each size: its duration relative to 1769 MB should be 1769 / memory.
 * Repeats go round the sizes in turn, so a change in the host's speed touches every size alike.
 * The achieved share (the handler's CPU time over its wall time) shows the limiter alone.
 */
async function fidelity(client: LambdaClient): Promise<boolean> {
  const runs = new Map<number, { durationMs: number; share: number }[]>(FIDELITY_MEMORY_MB.map((m) => [m, []]));
  for (const memoryMb of FIDELITY_MEMORY_MB) await client.send(new InvokeCommand({ FunctionName: `spin-${memoryMb}`, Payload: '{"rounds":10}' }));
  for (let i = 0; i < FIDELITY_REPEATS; i++) {
    for (const memoryMb of FIDELITY_MEMORY_MB) runs.get(memoryMb)!.push(await spin(client, `spin-${memoryMb}`, SPIN_ROUNDS));
  }
  const durations = new Map(FIDELITY_MEMORY_MB.map((m) => [m, median(runs.get(m)!.map((r) => r.durationMs))]));
  const reference = durations.get(1769)!;
  console.log(`CPU fidelity: CPU-bound handler, median of ${FIDELITY_REPEATS} warm runs taken in turn`);
  console.log('memory MB   duration ms   ratio to 1769   expected   error    within ±15%   CPU share got   expected');
  let failed = false;
  for (const memoryMb of FIDELITY_MEMORY_MB) {
    const ratio = durations.get(memoryMb)! / reference;
    const expected = 1769 / memoryMb;
    const error = ratio / expected - 1;
    const ok = Math.abs(error) <= FIDELITY_TOLERANCE;
    failed ||= !ok;
    const share = median(runs.get(memoryMb)!.map((r) => r.share));
    console.log(
      `${String(memoryMb).padStart(9)}   ${fixed(durations.get(memoryMb)!, 1).padStart(11)}   ${fixed(ratio).padStart(13)}   ${fixed(expected).padStart(8)}   ${`${fixed(error * 100, 1)}%`.padStart(6)}   ${(ok ? 'yes' : 'NO').padStart(11)}   ${fixed(share, 3).padStart(13)}   ${fixed(Math.min(1, memoryMb / 1769), 3).padStart(8)}`,
    );
  }
  console.log('');
  return failed;
}

function pythonHasher(memoryMb: number) {
  return localFunctionSchema.parse({
    name: `hasher-py-${memoryMb}`,
    handler: path.join(packageRoot(), 'examples', 'hasher-py', 'app.handler'),
    runtime: 'python3.12',
    memoryMb,
    timeoutS: 120,
    environment: { HASHER_BUCKET: PYTHON_HASHER_BUCKET, HASHER_KEY: 'random.bin' },
  });
}

function pythonHasherBucket() {
  return { name: PYTHON_HASHER_BUCKET, objects: [{ key: 'random.bin', sizeMb: PYTHON_HASHER_OBJECT_MB }] };
}

/**
 * The Python runtime's CPU fidelity: the Python hasher (boto3 reads, SHA-1) warm at 256 MB over
 * 1024 MB, which should be 1024 / 256 = 4 as far as it is CPU-bound. The platform's S3 serves its
 * reads outside the function's share, so its duration falls short of 4; its hashing alone (the
 * hashMs it logs) is all CPU. Informative: it does not fail the bench.
 */
async function pythonFidelity(client: LambdaClient): Promise<void> {
  const python = await findPythonInterpreter('python3');
  if (python === undefined) {
    console.log('Python CPU fidelity: skipped, no python3 (3.9 or newer) on PATH.\n');
    return;
  }
  const payload = JSON.stringify({ chunkSizeMb: PYTHON_HASHER_CHUNK_MB });
  const runs = new Map<number, { durationMs: number; hashMs: number }[]>(PYTHON_HASHER_MEMORY_MB.map((m) => [m, []]));
  for (const memoryMb of PYTHON_HASHER_MEMORY_MB) await client.send(new InvokeCommand({ FunctionName: `hasher-py-${memoryMb}`, Payload: payload }));
  for (let i = 0; i < FIDELITY_REPEATS; i++) {
    for (const memoryMb of PYTHON_HASHER_MEMORY_MB) {
      const result = await client.send(new InvokeCommand({ FunctionName: `hasher-py-${memoryMb}`, Payload: payload, LogType: 'Tail' }));
      if (result.FunctionError !== undefined) throw new Error(`hasher-py-${memoryMb} failed: ${Buffer.from(result.Payload ?? []).toString()}`);
      const tail = Buffer.from(result.LogResult ?? '', 'base64').toString();
      const hashMs = tail.split('\n').reduce((found, line) => embeddedMetrics(line)['hashMs'] ?? found, Number.NaN);
      runs.get(memoryMb)!.push({ durationMs: reportedDuration(tail, `hasher-py-${memoryMb}`), hashMs });
    }
  }
  const medianOf = (memoryMb: number, key: 'durationMs' | 'hashMs') => median(runs.get(memoryMb)!.map((run) => run[key]));
  console.log(
    `Python CPU fidelity: hasher-py (Python ${python.version}, boto3, ${PYTHON_HASHER_CHUNK_MB} MB chunks of a ${PYTHON_HASHER_OBJECT_MB} MB object), median of ${FIDELITY_REPEATS} warm runs taken in turn`,
  );
  console.log('memory MB   duration ms   hashMs');
  for (const memoryMb of PYTHON_HASHER_MEMORY_MB) {
    console.log(
      `${String(memoryMb).padStart(9)}   ${fixed(medianOf(memoryMb, 'durationMs'), 1).padStart(11)}   ${fixed(medianOf(memoryMb, 'hashMs'), 1).padStart(6)}`,
    );
  }
  const [small, large] = PYTHON_HASHER_MEMORY_MB;
  const expected = large / small;
  for (const [label, key] of [
    ['duration', 'durationMs'],
    ['hashMs', 'hashMs'],
  ] as const) {
    const ratio = medianOf(small, key) / medianOf(large, key);
    const error = ratio / expected - 1;
    console.log(
      `${label} ${small} MB / ${large} MB = ${fixed(ratio)} (expected ${fixed(expected)} when CPU-bound; ${fixed(error * 100, 1)}%, ${Math.abs(error) <= FIDELITY_TOLERANCE ? 'within' : 'outside'} ±${FIDELITY_TOLERANCE * 100}%)`,
    );
  }
  console.log('');
}

async function spin(client: LambdaClient, name: string, rounds: number): Promise<{ durationMs: number; share: number }> {
  const result = await client.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ rounds }), LogType: 'Tail' }));
  const body = JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString()) as { cpuMs: number; wallMs: number };
  return { durationMs: reportedDuration(Buffer.from(result.LogResult ?? '', 'base64').toString(), name), share: body.cpuMs / body.wallMs };
}

function reportedDuration(tail: string, name: string): number {
  const match = /\tDuration: ([\d.]+) ms/.exec(tail);
  if (match === null) throw new Error(`no REPORT for ${name}:\n${tail}`);
  return Number(match[1]);
}

/** The platform as users run it, `tune local` in its own process, so client and platform do not share an event loop. */
async function overheadOfServedPlatform(): Promise<boolean> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-bench-'));
  const config = path.join(dir, 'tune.config.json');
  writeFileSync(
    config,
    JSON.stringify({ local: { functions: [{ name: 'noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 1769 }], s3: { buckets: [] } } }),
  );
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'tune.js'), 'local', '--port', '0', '--json', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const endpoints = JSON.parse(line) as { lambda: string };
  const client = new LambdaClient({ endpoint: endpoints.lambda, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    const failed = await overhead(client, endpoints.lambda);
    await sdkAlone();
    return failed;
  } finally {
    client.destroy();
    child.kill('SIGTERM');
  }
}

/** What the SDK costs by itself: the same Invoke against a server that answers at once. */
async function sdkAlone(): Promise<void> {
  const server = http.createServer((_req, res) => {
    _req.resume();
    _req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const samples = await timed(OVERHEAD_INVOCATIONS, () => client.send(new InvokeCommand({ FunctionName: 'noop', Payload: '{}' })));
  const p50 = quantileSorted(
    [...samples.latencies].sort((a, b) => a - b),
    0.5,
  );
  console.log(
    `The SDK alone, against a server that answers at once: p50 ${fixed(p50)} ms, so the platform adds about ${fixed(Math.max(0, lastSdkP50 - p50))} ms through the SDK.`,
  );
  client.destroy();
  server.close();
}

let lastSdkP50 = 0;

/** Round trips of a warm no-op invocation: through the SDK, and as bare HTTP to see the platform alone. */
async function overhead(client: LambdaClient, endpoint: string): Promise<boolean> {
  const viaSdk = await timed(OVERHEAD_INVOCATIONS, () => client.send(new InvokeCommand({ FunctionName: 'noop', Payload: '{}' })));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const viaHttp = await timed(OVERHEAD_INVOCATIONS, () => rawInvoke(agent, endpoint));
  agent.destroy();
  console.log(`Overhead: warm no-op invoke round trip to \`tune local\` in its own process, ${OVERHEAD_INVOCATIONS} sequential invocations`);
  console.log('client        p50 ms   p90 ms   p99 ms   invocations/s');
  for (const [label, samples] of [
    ['AWS SDK v3', viaSdk],
    ['bare HTTP', viaHttp],
  ] as const) {
    const sorted = [...samples.latencies].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(12)}  ${fixed(quantileSorted(sorted, 0.5)).padStart(6)}   ${fixed(quantileSorted(sorted, 0.9)).padStart(6)}   ${fixed(quantileSorted(sorted, 0.99)).padStart(6)}   ${fixed(samples.perSecond, 0).padStart(13)}`,
    );
  }
  lastSdkP50 = quantileSorted(
    [...viaSdk.latencies].sort((a, b) => a - b),
    0.5,
  );
  // The platform's own overhead is the bare HTTP round trip: the SDK's signing and parsing are the client's cost, measured below.
  const p50 = quantileSorted(
    [...viaHttp.latencies].sort((a, b) => a - b),
    0.5,
  );
  const ok = p50 < OVERHEAD_TARGET_MS;
  console.log(`\nThe platform's round trip (bare HTTP) p50 ${fixed(p50)} ms: ${ok ? 'under' : 'OVER'} the ${OVERHEAD_TARGET_MS} ms target`);
  return !ok;
}

/** The tune engine against a bare SDK loop, both at the same concurrency on the same warm environments. */
async function engineThroughput(client: LambdaClient, logs: CloudWatchLogsClient): Promise<boolean> {
  const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'engine-noop' }));
  await sleep(300);
  // Taken in turn, three rounds each, so a slower or faster spell of the host touches both alike.
  const bareRuns: number[] = [];
  const engineRuns: number[] = [];
  for (let round = 0; round < 3; round++) {
    bareRuns.push(await bareLoop(client, Version!));
    engineRuns.push(await engineRun(client, logs));
  }
  const bare = median(bareRuns);
  const engine = median(engineRuns);
  const ratio = engine / bare;
  console.log(
    `\nEngine throughput: ${ENGINE_INVOCATIONS} warm no-op invocations at concurrency ${ENGINE_CONCURRENCY} (both with LogType Tail), median of 3 rounds in turn`,
  );
  console.log('runner              invocations/s');
  console.log(`bare SDK loop       ${fixed(bare, 0).padStart(13)}`);
  console.log(`tune engine         ${fixed(engine, 0).padStart(13)}`);
  const ok = ratio >= ENGINE_TARGET_RATIO;
  console.log(`engine / bare = ${fixed(ratio * 100, 1)}%: ${ok ? 'at least' : 'BELOW'} the ${ENGINE_TARGET_RATIO * 100}% target`);
  return !ok;
}

async function bareLoop(client: LambdaClient, version: string): Promise<number> {
  const payload = JSON.stringify({});
  for (let i = 0; i < ENGINE_CONCURRENCY * 4; i++)
    await client.send(new InvokeCommand({ FunctionName: 'engine-noop', Qualifier: version, Payload: payload, LogType: 'Tail' }));
  let remaining = ENGINE_INVOCATIONS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ENGINE_CONCURRENCY }, async () => {
      while (remaining-- > 0) await client.send(new InvokeCommand({ FunctionName: 'engine-noop', Qualifier: version, Payload: payload, LogType: 'Tail' }));
    }),
  );
  return ENGINE_INVOCATIONS / ((performance.now() - started) / 1000);
}

/** Times the engine's invocation phase: from its first sample to its last (publishing and waiting are not invoking). */
async function engineRun(client: LambdaClient, logs: CloudWatchLogsClient): Promise<number> {
  const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-bench-'));
  const journal = Journal.create(path.join(out, 'journal.json'), { runId: 'bench', target: 'local', region: 'us-east-1', startedAt: new Date().toISOString() });
  const stamps: number[] = [];
  const outcome = await measure(
    {
      functions: ['engine-noop'],
      memoryMb: [128],
      axes: [],
      payload: {},
      invocations: ENGINE_INVOCATIONS,
      warmup: ENGINE_CONCURRENCY * 4,
      concurrency: ENGINE_CONCURRENCY,
      timings: [],
      maxConsecutiveFailures: 3,
      pricesOf: (snapshot) => pricesFor('us-east-1', snapshot.architecture),
      runId: 'bench',
    },
    {
      gateway: new LambdaGateway(client, logs),
      journal,
      onSample: samplesWriter(out),
      onEvent: (event) => {
        if (event.kind === 'sample' && !event.sample.warmup) stamps.push(performance.now());
      },
      signal: new AbortController().signal,
    },
  );
  const measured = outcome.samples.filter((s) => !s.warmup).length;
  return (measured - 1) / ((stamps.at(-1)! - stamps[0]!) / 1000);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(count: number, call: () => Promise<unknown>): Promise<{ latencies: number[]; perSecond: number }> {
  for (let i = 0; i < 50; i++) await call();
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call();
    latencies.push(performance.now() - t0);
  }
  return { latencies, perSecond: count / ((performance.now() - started) / 1000) };
}

function rawInvoke(agent: http.Agent, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}/2015-03-31/functions/noop/invocations`, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`status ${res.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end('{}');
  });
}

await main();
