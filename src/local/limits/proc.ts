import { readFileSync } from 'node:fs';

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

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time of all the process's threads, in ms: utime + stime from `/proc/<pid>/stat`, in clock
 * ticks of 10 ms. Coarse per reading, exact over time, which is what a quota needs.
 */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

export function procAvailable(): boolean {
  return readMemoryMb(process.pid) !== undefined && readCpuMs(process.pid) !== undefined;
}
