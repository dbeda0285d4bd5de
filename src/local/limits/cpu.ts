import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CpuThrottle } from './cpu-throttle.js';
import { threadCpuNs } from './proc.js';

/** Memory that buys one full vCPU on Lambda. */
export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;
/** The scheduling period quotas are enforced over (CFS's `cpu.cfs_period_us`). */
export const CPU_PERIOD_MS = 20;

export type CpuLimitMode = 'auto' | 'cgroup' | 'throttle' | 'off';

/** The share of one CPU a function of this size gets: MemorySize / 1769, at most 6 and at most the host's cores. */
export function cpuShare(memoryMb: number, hostCores = availableParallelism()): number {
  return Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS, hostCores);
}

/** Limits one execution environment's CPU. */
export interface CpuLimiter {
  attach(pid: number): void;
  /** An invocation starts. */
  begin(): void;
  /** Its answer is in; resolves once the CPU time it used is paid for, as late as a kernel quota would have let it answer. */
  end(): Promise<void>;
  close(): void;
}

export interface CpuLimitBackend {
  readonly kind: 'cgroup-v2' | 'cgroup-v1' | 'throttle' | 'off';
  create(name: string, share: number): CpuLimiter;
  dispose(): void;
}

/** Picks how CPU is limited: the kernel's CFS quota through a cgroup where we may create one, else our own throttle. */
export function createCpuBackend(mode: CpuLimitMode): CpuLimitBackend {
  if (mode === 'off') return offBackend;
  if (mode === 'throttle') return throttleBackend();
  const cgroup = CgroupBackend.tryCreate();
  if (cgroup !== undefined) return cgroup;
  if (mode === 'cgroup') throw new Error('CPU limits by cgroup were asked for, but no writable cgroup CPU controller was found.');
  return threadCpuNs(process.pid) === undefined ? offBackend : throttleBackend();
}

const offBackend: CpuLimitBackend = {
  kind: 'off',
  create: () => ({ attach() {}, begin() {}, end: () => Promise.resolve(), close() {} }),
  dispose() {},
};

function throttleBackend(): CpuLimitBackend {
  return { kind: 'throttle', create: (_name, share) => new CpuThrottle(share, CPU_PERIOD_MS), dispose() {} };
}

/** CPU quotas by the kernel: a cgroup per environment under one of our own, v2 (`cpu.max`) or v1 (`cpu.cfs_quota_us`). */
class CgroupBackend implements CpuLimitBackend {
  private constructor(
    readonly kind: 'cgroup-v2' | 'cgroup-v1',
    private readonly root: string,
  ) {}

  static tryCreate(): CgroupBackend | undefined {
    for (const candidate of [CgroupBackend.v2Root(), CgroupBackend.v1Root()]) {
      if (candidate === undefined) continue;
      try {
        removeStaleGroups(path.dirname(candidate.root));
        mkdirSync(candidate.root, { recursive: true });
        const backend = new CgroupBackend(candidate.kind, candidate.root);
        backend.create('probe', 1).close();
        return backend;
      } catch {
        tryRmdir(candidate.root);
      }
    }
    return undefined;
  }

  private static v1Root(): { kind: 'cgroup-v1'; root: string } | undefined {
    const mount = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'].find((dir) => existsSync(path.join(dir, 'cpu.cfs_quota_us')));
    if (mount === undefined) return undefined;
    const own = ownCgroup((controllers) => controllers.split(',').includes('cpu'));
    return { kind: 'cgroup-v1', root: path.join(mount, own ?? '/', groupName()) };
  }

  private static v2Root(): { kind: 'cgroup-v2'; root: string } | undefined {
    const controllers = '/sys/fs/cgroup/cgroup.controllers';
    if (!existsSync(controllers) || !readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) return undefined;
    const own = ownCgroup((controllerList) => controllerList === '');
    return { kind: 'cgroup-v2', root: path.join('/sys/fs/cgroup', own ?? '/', groupName()) };
  }

  create(name: string, share: number): CpuLimiter {
    const dir = path.join(this.root, name);
    mkdirSync(dir);
    const periodUs = CPU_PERIOD_MS * 1000;
    const quotaUs = Math.max(1000, Math.round(share * periodUs));
    if (this.kind === 'cgroup-v2') {
      writeFileSync(path.join(this.root, 'cgroup.subtree_control'), '+cpu');
      writeFileSync(path.join(dir, 'cpu.max'), `${quotaUs} ${periodUs}`);
    } else {
      writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
    }
    return {
      attach: (pid) => {
        writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
      },
      begin() {},
      end: () => Promise.resolve(),
      close: () => {
        tryRmdir(dir);
      },
    };
  }

  dispose(): void {
    try {
      for (const entry of readdirSync(this.root)) tryRmdir(path.join(this.root, entry));
    } catch {
      // Already gone.
    }
    tryRmdir(this.root);
  }
}

/** One group per platform: several platforms may run in one process (tests do). */
function groupName(): string {
  return `lambda-tune-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** This process's cgroup path from /proc/self/cgroup, for the hierarchy whose controller list matches. */
function ownCgroup(matches: (controllers: string) => boolean): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, cgroupPath] = line.split(':');
      if (controllers !== undefined && cgroupPath !== undefined && matches(controllers)) return cgroupPath;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Groups left by platforms that died without cleaning up (their pid is gone). */
function removeStaleGroups(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^lambda-tune-(\d+)(-[0-9a-f]+)?$/.exec(entry);
    if (match === null || pidAlive(Number(match[1]))) continue;
    const dir = path.join(parent, entry);
    for (const child of readdirSync(dir, { withFileTypes: true })) if (child.isDirectory()) tryRmdir(path.join(dir, child.name));
    tryRmdir(dir);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty yet or already removed.
  }
}
