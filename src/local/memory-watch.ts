import { readMemoryMb } from './limits/proc.js';

const POLL_MS = 10;

/**
 * Holds a process to its function's memory: while an invocation runs it reads the peak resident
 * size every few ms and reports the first time it goes over. It keeps the highest peak seen, for
 * REPORT's Max Memory Used.
 */
export class MemoryWatch {
  private peakMb = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limitMb: number,
    private readonly pollMs = POLL_MS,
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

  /** The peak in whole MB, at least 1, read once more if the process is still there. */
  maxUsedMb(pid: number | undefined): number {
    if (pid !== undefined) this.sample(pid);
    return Math.max(1, Math.round(this.peakMb));
  }

  private sample(pid: number): number {
    const memory = readMemoryMb(pid);
    if (memory !== undefined) this.peakMb = Math.max(this.peakMb, memory.peakRssMb);
    return memory?.peakRssMb ?? 0;
  }
}
