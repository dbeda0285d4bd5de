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
 * CPU time of all the process's threads, in ms: the sum of each thread's `schedstat` (its time on
 * a CPU, in nanoseconds). Precise, and it counts the thread pool and GC threads too.
 */
export function readCpuMs(pid: number): number | undefined {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let totalNs = 0;
  for (const tid of threads) {
    try {
      totalNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]);
    } catch {
      // The thread ended between listing and reading: its time is no longer counted anywhere.
    }
  }
  return totalNs / 1e6;
}
