import type { CpuLimiter } from './cpu.js';
import { CpuMeter, processesThreadCpuNs } from './proc.js';
import { ProcessGroup } from './process-group.js';

/** What the throttle reaches outside itself: a clock, and the environment's processes. Tests pass their own. */
export interface ThrottleDeps {
  now: () => number;
  /** The runtime `pid` and every process it started, metered and signalled together. */
  processes: (pid: number) => ThrottledProcesses;
}

export interface ThrottledProcesses {
  /** Their CPU time in ms since the meter started; undefined once all are gone. */
  readMs(): number | undefined;
  /** Stops or continues them all. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
}

/** How often the throttle looks while an invocation runs. */
const TICK_MS = 2;

const systemDeps: ThrottleDeps = {
  now: () => performance.now(),
  processes: (pid) => {
    const group = new ProcessGroup(pid);
    const meter = new CpuMeter(() => processesThreadCpuNs(group.members()));
    return {
      readMs: () => meter.readMs(),
      signal: (signal) => {
        group.signal(signal);
      },
    };
  },
};

/**
 * A CPU quota enforced from outside the process: a token bucket refilled at `share` ms of CPU per
 * wall-clock ms, holding at most one period's quota. Each time it looks it charges the CPU time the
 * environment's processes (the runtime and what it started) have used since the last look; in debt,
 * they are stopped (SIGSTOP to the process group and to what left it) until the debt is repaid. A late look only delays the stop: the time is still charged. It also looks as an invocation
 * starts (charging what ran between invocations) and as it ends: an invocation ends once its CPU is
 * paid for, so it lasts as long as a kernel quota would have made it last.
 */
export class CpuThrottle implements CpuLimiter {
  private readonly capMs: number;
  private creditMs: number;
  private lastWallMs = 0;
  private lastCpuMs = 0;
  private processes: ThrottledProcesses | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly share: number,
    periodMs: number,
    private readonly deps: ThrottleDeps = systemDeps,
    private readonly tickMs = TICK_MS,
  ) {
    this.capMs = share * periodMs;
    this.creditMs = this.capMs;
  }

  attach(pid: number): void {
    this.processes = this.deps.processes(pid);
    this.lastWallMs = this.deps.now();
    this.lastCpuMs = 0;
  }

  begin(): void {
    if (this.processes !== undefined) this.tick();
  }

  async end(): Promise<void> {
    this.cancelTick();
    for (let pauseMs = this.look(); pauseMs > 0; pauseMs = this.look()) {
      this.hold(true);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    this.hold(false);
  }

  close(): void {
    this.cancelTick();
    this.hold(false);
    this.processes = undefined;
  }

  /** One accounting step at a look; returns how long the process must stop to repay its debt (0: none). */
  account(wallMs: number, cpuMs: number): number {
    const elapsedMs = wallMs - this.lastWallMs;
    const usedMs = cpuMs - this.lastCpuMs;
    this.lastWallMs = wallMs;
    this.lastCpuMs = cpuMs;
    this.creditMs = Math.min(this.creditMs + this.share * elapsedMs, this.capMs) - usedMs;
    return this.creditMs < 0 ? -this.creditMs / this.share : 0;
  }

  private look(): number {
    const cpuMs = this.processes?.readMs();
    return cpuMs === undefined ? 0 : this.account(this.deps.now(), cpuMs);
  }

  /** Looks, stops or continues the process, and looks again after its pause or after a tick. */
  private readonly tick = (): void => {
    const pauseMs = this.look();
    this.hold(pauseMs > 0);
    this.timer = setTimeout(this.tick, pauseMs > 0 ? pauseMs : this.tickMs);
  };

  private cancelTick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private hold(stop: boolean): void {
    if (this.processes === undefined || stop === this.stopped) return;
    this.stopped = stop;
    this.processes.signal(stop ? 'SIGSTOP' : 'SIGCONT');
  }
}
