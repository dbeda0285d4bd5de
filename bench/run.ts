/**
 * The platform's benchmark: how faithfully it limits CPU by memory size, and what it adds to
 * an invocation. Run with `npm run bench`; quote its table, not single timings.
 */
import http from 'node:http';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { quantileSorted } from 'simple-statistics';
import { localFunctionSchema } from '../src/config/local-config.js';
import { startPlatform } from '../src/local/platform.js';
import { packageRoot } from '../src/package-root.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'functions');
const FIDELITY_MEMORY_MB = [128, 256, 512, 1024, 1769];
const FIDELITY_TOLERANCE = 0.15;
const FIDELITY_REPEATS = 3;
const SPIN_ROUNDS = 2500;
const OVERHEAD_INVOCATIONS = 1000;
const OVERHEAD_TARGET_MS = 3;

const median = (values: number[]) => quantileSorted([...values].sort((a, b) => a - b), 0.5);
const fixed = (value: number, digits = 2) => value.toFixed(digits);

async function main(): Promise<void> {
  const cpuMode = (process.argv.find((arg) => arg.startsWith('--cpu-limit='))?.split('=')[1] ?? 'auto') as 'auto' | 'throttle';
  const functions = [
    ...FIDELITY_MEMORY_MB.map((memoryMb) => localFunctionSchema.parse({ name: `spin-${memoryMb}`, handler: path.join(FIXTURES, 'spin.handler'), memoryMb, timeoutS: 120 })),
    localFunctionSchema.parse({ name: 'noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 1769 }),
  ];
  const platform = await startPlatform({ functions, port: 0, s3: false, cpuLimit: cpuMode });
  const client = new LambdaClient({ endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials });
  let failed = false;
  try {
    console.log(`lambda-tune platform benchmark  (CPU limits: ${platform.cpuLimit}, node ${process.version})\n`);
    failed = (await fidelity(client)) || failed;
    failed = (await overhead(client, platform.endpoints.lambda)) || failed;
  } finally {
    client.destroy();
    await platform.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

/** A CPU-bound handler at each size: its duration relative to 1769 MB should be 1769 / memory. */
async function fidelity(client: LambdaClient): Promise<boolean> {
  const durations = new Map<number, number>();
  for (const memoryMb of FIDELITY_MEMORY_MB) {
    const name = `spin-${memoryMb}`;
    await client.send(new InvokeCommand({ FunctionName: name, Payload: '{"rounds":10}' }));
    const runs: number[] = [];
    for (let i = 0; i < FIDELITY_REPEATS; i++) runs.push(await reportedDurationMs(client, name, SPIN_ROUNDS));
    durations.set(memoryMb, median(runs));
  }
  const reference = durations.get(1769)!;
  console.log('CPU fidelity: CPU-bound handler, median of 3 warm runs');
  console.log('memory MB   duration ms   ratio to 1769   expected   error    within ±15%');
  let failed = false;
  for (const memoryMb of FIDELITY_MEMORY_MB) {
    const ratio = durations.get(memoryMb)! / reference;
    const expected = 1769 / memoryMb;
    const error = ratio / expected - 1;
    const ok = Math.abs(error) <= FIDELITY_TOLERANCE;
    failed ||= !ok;
    console.log(
      `${String(memoryMb).padStart(9)}   ${fixed(durations.get(memoryMb)!, 1).padStart(11)}   ${fixed(ratio).padStart(13)}   ${fixed(expected).padStart(8)}   ${`${fixed(error * 100, 1)}%`.padStart(6)}   ${ok ? 'yes' : 'NO'}`,
    );
  }
  console.log('');
  return failed;
}

async function reportedDurationMs(client: LambdaClient, name: string, rounds: number): Promise<number> {
  const result = await client.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ rounds }), LogType: 'Tail' }));
  const tail = Buffer.from(result.LogResult ?? '', 'base64').toString();
  const match = /\tDuration: ([\d.]+) ms/.exec(tail);
  if (match === null) throw new Error(`no REPORT for ${name}:\n${tail}`);
  return Number(match[1]);
}

/** Round trips of a warm no-op invocation: through the SDK, and as bare HTTP to see the platform alone. */
async function overhead(client: LambdaClient, endpoint: string): Promise<boolean> {
  const viaSdk = await timed(OVERHEAD_INVOCATIONS, () => client.send(new InvokeCommand({ FunctionName: 'noop', Payload: '{}' })));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const viaHttp = await timed(OVERHEAD_INVOCATIONS, () => rawInvoke(agent, endpoint));
  agent.destroy();
  console.log(`Overhead: warm no-op invoke round trip, ${OVERHEAD_INVOCATIONS} sequential invocations`);
  console.log('client        p50 ms   p90 ms   p99 ms   invocations/s');
  for (const [label, samples] of [['AWS SDK v3', viaSdk], ['bare HTTP', viaHttp]] as const) {
    const sorted = [...samples.latencies].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(12)}  ${fixed(quantileSorted(sorted, 0.5)).padStart(6)}   ${fixed(quantileSorted(sorted, 0.9)).padStart(6)}   ${fixed(quantileSorted(sorted, 0.99)).padStart(6)}   ${fixed(samples.perSecond, 0).padStart(13)}`,
    );
  }
  const p50 = quantileSorted([...viaSdk.latencies].sort((a, b) => a - b), 0.5);
  const ok = p50 < OVERHEAD_TARGET_MS;
  console.log(`\np50 through the SDK ${fixed(p50)} ms: ${ok ? 'under' : 'OVER'} the ${OVERHEAD_TARGET_MS} ms target`);
  return !ok;
}

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
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

await main();
