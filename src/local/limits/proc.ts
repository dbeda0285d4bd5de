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

/** CPU time the process's main thread has had, in ms, from `/proc/<pid>/schedstat` (nanoseconds). */
export function readCpuMs(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ', 1)[0];
    return first === undefined ? undefined : Number(first) / 1e6;
  } catch {
    return undefined;
  }
}

export function procAvailable(): boolean {
  return readMemoryMb(process.pid) !== undefined && readCpuMs(process.pid) !== undefined;
}
