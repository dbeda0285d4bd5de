import { readdirSync, readFileSync } from 'node:fs';

/** One process's memory from `/proc/<pid>/status`, in MB. */
export interface MemoryReading {
  rssMb: number;
  /** The peak resident size (VmHWM). */
  peakRssMb: number;
  /** Resident memory of its own: anonymous and shared memory (RssAnon + RssShmem). */
  ownMb: number;
  /** Resident pages of files, the executable's and libraries' among them, mostly shared with other processes (RssFile). */
  fileMb: number;
}

/** Reads `/proc/<pid>/status` fields in MB; undefined where /proc is missing or the process is gone. */
export function readMemoryMb(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const rssKb = kbField(status, 'VmRSS');
  const peakKb = kbField(status, 'VmHWM');
  if (rssKb === undefined || peakKb === undefined) return undefined;
  const fileKb = kbField(status, 'RssFile') ?? 0;
  const anonKb = kbField(status, 'RssAnon');
  const ownKb = anonKb === undefined ? rssKb - fileKb : anonKb + (kbField(status, 'RssShmem') ?? 0);
  return { rssMb: rssKb / 1024, peakRssMb: peakKb / 1024, ownMb: ownKb / 1024, fileMb: fileKb / 1024 };
}

/**
 * The memory of several processes together, as a sandbox's memory counts it: each one's own memory
 * once, and the file pages they share (the same executable, the same libraries) once, taken as the
 * most any of them maps. Never less than the peak any one of them reached. Undefined when all are gone.
 */
export function groupMemoryMb(readings: readonly MemoryReading[]): number | undefined {
  if (readings.length === 0) return undefined;
  const peakMb = Math.max(...readings.map((reading) => reading.peakRssMb));
  if (readings.length === 1) return peakMb;
  const ownMb = readings.reduce((sum, reading) => sum + reading.ownMb, 0);
  return Math.max(peakMb, ownMb + Math.max(...readings.map((reading) => reading.fileMb)));
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

/** The CPU time of the threads of all these processes, by thread id (unique across processes); undefined when all are gone. */
export function processesThreadCpuNs(pids: readonly number[]): Map<string, number> | undefined {
  let found = false;
  const cpuNs = new Map<string, number>();
  for (const pid of pids) {
    const threads = threadCpuNs(pid);
    if (threads === undefined) continue;
    found = true;
    for (const [tid, ns] of threads) cpuNs.set(tid, ns);
  }
  return found ? cpuNs : undefined;
}

/**
 * The CPU time of what `read` reads (a process's or a process group's threads) since the meter
 * started, in ms, summed thread by thread: what a thread has used is counted as it is seen, so a
 * thread or process that ends takes nothing already counted with it (a plain sum over the live
 * threads would go down).
 */
export class CpuMeter {
  private seenNs: Map<string, number>;
  private totalNs = 0;

  constructor(private readonly read: () => Map<string, number> | undefined) {
    this.seenNs = read() ?? new Map<string, number>();
  }

  /** Undefined once what it meters is gone. */
  readMs(): number | undefined {
    const cpuNs = this.read();
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
