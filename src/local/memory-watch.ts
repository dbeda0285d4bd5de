import { groupMemoryMb, type MemoryReading, readMemoryMb } from './limits/proc.js';
import { ProcessGroup } from './limits/process-group.js';

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
  private group: ProcessGroup | undefined;

  constructor(
    private readonly limitMb: number,
    private readonly pollMs = POLL_MS,
    private readonly read: (pid: number) => MemoryReading | undefined = readMemoryMb,
  ) {}

  watch(pid: number | undefined, onOverLimit: () => void): void {
    this.stop();
    if (pid === undefined) return;
    this.timer = setInterval(() => {
      if (this.sample(pid) <= this.limitMb) return;
      this.stop();
      onOverLimit();
    }, this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The peak in whole MB, at least 1, read once more if the processes are still there. */
  maxUsedMb(pid: number | undefined): number {
    if (pid !== undefined) this.sample(pid);
    return Math.max(1, Math.round(this.peakMb));
  }

  private sample(pid: number): number {
    if (this.group?.leader !== pid) this.group = new ProcessGroup(pid);
    const readings = this.group.members().flatMap((member) => this.read(member) ?? []);
    const usedMb = groupMemoryMb(readings) ?? 0;
    this.peakMb = Math.max(this.peakMb, usedMb);
    return usedMb;
  }
}
