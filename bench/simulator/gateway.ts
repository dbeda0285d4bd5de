/**
 * A Lambda that runs a synthetic workload: the same Gateway the engine measures AWS through, so a
 * trial runs the real engine (publishing, cold starts, warm-ups, REPORT parsing, analysis) in
 * microseconds an invocation. Each version keeps warm environments; an invocation that finds none
 * idle starts one (a cold start, with Init Duration). It counts what measuring spent, in GB-seconds
 * billed, cold starts' INIT included.
 */
import type { Encounters, FunctionSnapshot, Gateway, InvokeOutcome, VersionInfo, VersionSnapshot } from '../../src/lambda/gateway.js';
import { stream } from './random.js';
import type { Workload } from './workloads.js';

const INIT_MS = 180;

interface Version {
  memoryMb: number;
  description: string;
  idle: number;
}

export class SimulatedGateway implements Gateway {
  /** GB-seconds billed for every invocation so far. */
  gbSeconds = 0;
  invocations = 0;
  private latestMemoryMb = 1024;
  private readonly published = new Map<string, Version>();
  private nextVersion = 1;
  /** Per cell: warm invocations so far; the first `warmup` of them are warm-ups, drawn from a stream of their own. */
  private readonly warmCounts = new Map<string, number>();
  private requests = 0;

  constructor(
    private readonly workload: Workload,
    private readonly trial: string,
    private readonly warmup: number,
  ) {}

  async describe(name: string): Promise<FunctionSnapshot> {
    return {
      name,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      memoryMb: this.latestMemoryMb,
      timeoutS: 900,
      architecture: 'x86_64',
      logGroup: `/aws/lambda/${name}`,
      existingVersions: [],
      environment: {},
    };
  }

  async describeVersion(name: string, qualifier: string): Promise<VersionSnapshot> {
    const version = this.published.get(qualifier);
    return {
      name,
      version: qualifier,
      memoryMb: version?.memoryMb ?? this.latestMemoryMb,
      timeoutS: 900,
      architecture: 'x86_64',
      logGroup: `/aws/lambda/${name}`,
    };
  }

  async versions(): Promise<VersionInfo[]> {
    return [...this.published].map(([version, v]) => ({ version, description: v.description }));
  }

  async setMemory(_name: string, memoryMb: number): Promise<void> {
    this.latestMemoryMb = memoryMb;
  }

  async publish(_name: string, description: string): Promise<{ version: string; created: boolean }> {
    const version = String(this.nextVersion++);
    this.published.set(version, { memoryMb: this.latestMemoryMb, description, idle: 0 });
    return { version, created: true };
  }

  async waitActive(): Promise<void> {}

  async deleteVersion(_name: string, version: string): Promise<void> {
    this.published.delete(version);
  }

  async invoke(_name: string, qualifier: string, payload: string): Promise<InvokeOutcome> {
    const version = this.published.get(qualifier);
    if (version === undefined) throw new Error(`No version ${qualifier}`);
    const chunkMb = Number((JSON.parse(payload) as { chunkSizeMb?: unknown }).chunkSizeMb ?? 1);
    const cold = version.idle === 0;
    if (!cold) version.idle--;
    // The environment is busy until the answer comes back: invocations launched meanwhile find it taken.
    await new Promise((resolve) => setImmediate(resolve));
    const requestId = `sim-${++this.requests}`;
    const report = this.run(version.memoryMb, chunkMb, cold, requestId);
    if (report.ok) version.idle++;
    return { requestId, functionError: report.ok ? undefined : 'Unhandled', payload: '{}', tailLines: [report.line], tailTruncated: false };
  }

  async findLogLines(): Promise<string[]> {
    return [];
  }

  encounters(): Encounters {
    return { retried: 0, throttled: 0, logLookups: 0 };
  }

  /** One invocation's REPORT line, and whether its environment survived it. */
  private run(memoryMb: number, chunkMb: number, cold: boolean, requestId: string): { ok: boolean; line: string } {
    const median = this.workload.medianMs(memoryMb, chunkMb);
    const durationMs = median === 'out-of-memory' ? 40 : median * this.workload.noise(this.noiseFor(memoryMb, chunkMb, cold));
    const billedMs = Math.ceil(durationMs);
    const initMs = cold ? INIT_MS : 0;
    this.invocations++;
    this.gbSeconds += ((billedMs + Math.ceil(initMs)) / 1000) * (memoryMb / 1024);
    const usedMb = median === 'out-of-memory' ? memoryMb : Math.round(this.workload.maxMemoryUsedMb(memoryMb, chunkMb));
    const init = cold ? `\tInit Duration: ${initMs.toFixed(2)} ms` : '';
    const status = median === 'out-of-memory' ? '\tStatus: error\tError Type: Runtime.OutOfMemory' : '';
    const line = `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedMs} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: ${usedMb} MB${init}${status}\t`;
    return { ok: median !== 'out-of-memory', line };
  }

  /** The cell's next draw: warm-ups, measurements and cold starts each from a stream of their own. */
  private noiseFor(memoryMb: number, chunkMb: number, cold: boolean): () => number {
    const cell = `${memoryMb}/${chunkMb}`;
    if (cold) return stream(`${this.trial}/${cell}/cold/${this.requests}`);
    const count = this.warmCounts.get(cell) ?? 0;
    this.warmCounts.set(cell, count + 1);
    const kind = count < this.warmup ? `warmup/${count}` : `measured/${count - this.warmup}`;
    return stream(`${this.trial}/${cell}/${kind}`);
  }
}
