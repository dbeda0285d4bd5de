import { readdirSync, readFileSync } from 'node:fs';

/** Reads `/proc/<pid>/status` fields in MB; undefined where /proc is missing or the process is gone. */
export function readMemoryMb(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const rssKb = kbField(status, 'VmRSS');
  const peakKb = kbField(status, 'VmHWM');
  if (rssKb === undefined || peakKb === undefined) return undefined;
  return { rssMb: rssKb / 1024, peakRssMb: peakKb / 1024 };
}

function kbField(status: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Each thread's CPU time in ns, by thread id: its `schedstat` (time on a CPU, precise to the ns).
 * Covers the thread pool and GC threads too. Undefined where /proc is missing or the process is gone.
 */
export function threadCpuNs(pid: number): Map<string, number> | undefined {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const cpuNs = new Map<string, number>();
  for (const tid of threads) {
    try {
      cpuNs.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return cpuNs;
}

/**
 * A process's CPU time since the meter started, in ms, summed thread by thread: what a thread has
 * used is counted as it is seen, so a thread that ends takes nothing already counted with it (a
 * plain sum over the live threads would go down).
 */
export class CpuMeter {
  private seenNs: Map<string, number>;
  private totalNs = 0;

  constructor(
    private readonly pid: number,
    private readonly read: (pid: number) => Map<string, number> | undefined = threadCpuNs,
  ) {
    this.seenNs = read(pid) ?? new Map<string, number>();
  }

  /** Undefined once the process is gone. */
  readMs(): number | undefined {
    const cpuNs = this.read(this.pid);
    if (cpuNs === undefined) return undefined;
    for (const [tid, ns] of cpuNs) {
      const seen = this.seenNs.get(tid) ?? 0;
      // Less than seen: the id was reused by a new thread, whose time all counts.
      this.totalNs += ns >= seen ? ns - seen : ns;
    }
    this.seenNs = cpuNs;
    return this.totalNs / 1e6;
  }
}
