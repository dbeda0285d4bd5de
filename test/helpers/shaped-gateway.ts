import type { FunctionSnapshot, Gateway, InvokeOutcome, VersionInfo, VersionSnapshot } from '../../src/lambda/gateway.js';

/**
 * A Lambda whose durations depend on memory and chunk size alone (a little seeded noise), and which
 * notes how many cells were in flight on a version at once.
 */
export class ShapedGateway implements Gateway {
  invocations = 0;
  published: string[] = [];
  deleted: string[] = [];
  mixedOnVersion = 0;
  private memory = 256;
  private readonly memoryOf = new Map<string, number>();
  private readonly running = new Map<string, Map<number, number>>();

  constructor(private readonly durationOf: (memoryMb: number, chunkMb: number) => number | 'oom') {}

  async describe(name: string): Promise<FunctionSnapshot> {
    return { name, arn: `arn:${name}`, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}`, existingVersions: [] };
  }
  async describeVersion(name: string, qualifier: string): Promise<VersionSnapshot> {
    return { name, version: qualifier, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}` };
  }
  async versions(): Promise<VersionInfo[]> {
    return this.published.filter((v) => !this.deleted.includes(v)).map((version) => ({ version, description: 'lambda-tune test:' }));
  }
  async setMemory(_name: string, memoryMb: number): Promise<void> {
    this.memory = memoryMb;
  }
  async publish(): Promise<{ version: string; created: boolean }> {
    const version = String(this.published.length + 1);
    this.published.push(version);
    this.memoryOf.set(version, this.memory);
    return { version, created: true };
  }
  async waitActive(): Promise<void> {}
  async deleteVersion(_name: string, version: string): Promise<void> {
    this.deleted.push(version);
  }
  async invoke(_name: string, qualifier: string, payload: string): Promise<InvokeOutcome> {
    const memoryMb = this.memoryOf.get(qualifier) ?? 0;
    const chunkMb = (JSON.parse(payload) as { chunkSizeMb: number }).chunkSizeMb;
    const running = this.running.get(qualifier) ?? new Map<number, number>();
    this.running.set(qualifier, running);
    running.set(chunkMb, (running.get(chunkMb) ?? 0) + 1);
    if (running.size > 1) this.mixedOnVersion++;
    const n = ++this.invocations;
    await new Promise((resolve) => setTimeout(resolve, 1));
    running.set(chunkMb, (running.get(chunkMb) ?? 1) - 1);
    if (running.get(chunkMb) === 0) running.delete(chunkMb);
    const base = this.durationOf(memoryMb, chunkMb);
    const durationMs = base === 'oom' ? 20 : base * (1 + 0.01 * Math.sin(n * 12.9898));
    const tail = base === 'oom' ? '\tStatus: error\tError Type: Runtime.OutOfMemory' : '';
    const report = `REPORT RequestId: r${n}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 60 MB${tail}\t`;
    return { requestId: `r${n}`, functionError: base === 'oom' ? 'Unhandled' : undefined, payload: '{}', tailLines: [report], tailTruncated: false };
  }
  async findLogLines(): Promise<string[]> {
    return [];
  }
  encounters() {
    return { retried: 0, throttled: 0, logLookups: 0 };
  }
}
