import { groupMemoryMb, type MemoryReading, readMemoryMb } from './limits/proc.js';
import type { ProcessGroup } from './limits/process-group.js';

const POLL_MS = 10;

/**
 * Holds an environment to its function's memory: while an invocation runs it reads, every few ms,
 * the memory of the runtime and of every process in its group (what the function started counts,
 * as a sandbox's memory does) and reports the first time it goes over. It keeps the highest seen,
 * for REPORT's Max Memory Used.
 */
export class MemoryWatch {
  private peakMb = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limitMb: number,
    private readonly pollMs = POLL_MS,
    private readonly read: (pid: number) => MemoryReading | undefined = readMemoryMb,
  ) {}

  /** Watches the runtime and what it started (the environment's group, whose looks also find what leaves it). */
  watch(group: ProcessGroup | undefined, onOverLimit: () => void): void {
    this.stop();
    if (group === undefined) return;
    this.timer = setInterval(() => {
      if (this.sample(group) <= this.limitMb) return;
      this.stop();
      onOverLimit();
    }, this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The peak in whole MB, at least 1, read once more if the processes are still there. */
  maxUsedMb(group: ProcessGroup | undefined): number {
    if (group !== undefined) this.sample(group);
    return Math.max(1, Math.round(this.peakMb));
  }

  private sample(group: ProcessGroup): number {
    const readings = group.members().flatMap((member) => this.read(member) ?? []);
    const usedMb = groupMemoryMb(readings) ?? 0;
    this.peakMb = Math.max(this.peakMb, usedMb);
    return usedMb;
  }
}
