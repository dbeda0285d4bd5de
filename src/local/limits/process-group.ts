import { readdirSync, readFileSync } from 'node:fs';

/** What a process's `/proc/<pid>/stat` says of it. */
export interface ProcStat {
  ppid: number;
  pgid: number;
  /** When it started, in clock ticks after boot: with the pid, it names one process (a reused pid starts later). */
  startTicks: number;
}

/** What the group reads from /proc, and how it signals; tests pass their own. */
export interface ProcTable {
  /** The ids of every process there is. */
  pids(): number[];
  /** A process's parent, process group and start time, or undefined once it is gone. */
  stat(pid: number): ProcStat | undefined;
  /** Sends a signal to a process (a positive id) or a process group (a negative one); false when there is none. */
  kill(id: number, signal: NodeJS.Signals): boolean;
}

export const procTable: ProcTable = {
  pids: () => {
    try {
      return readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return [];
    }
  },
  stat: (pid) => {
    try {
      return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
  kill: (id, signal) => {
    try {
      process.kill(id, signal);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * `pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
 * cutime cstime priority nice threads itrealvalue starttime …` (proc(5)): the command may hold
 * spaces and parentheses, so fields count from its last ')'.
 */
export function parseStat(stat: string): ProcStat | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [ppid, pgid, startTicks] = [fields[1], fields[2], fields[19]];
  if (ppid === undefined || pgid === undefined || startTicks === undefined) return undefined;
  return { ppid: Number(ppid), pgid: Number(pgid), startTicks: Number(startTicks) };
}

/** How many times stopping looks again for processes started while it stopped the others. */
const STOP_ROUNDS = 10;

interface Verdict {
  member: boolean;
  startTicks: number;
}

/**
 * The processes of one execution environment: its runtime, which leads its own process group (and
 * session), everything in that group, and the children of members that left it (setpgid, setsid:
 * Python's `start_new_session`, Node's `detached`). Each look lists /proc and reads the processes
 * it has not seen, and its members again: a member whose pid now names another process (a later
 * start time) is judged anew, so a reused pid is never taken for a member. A process that leaves
 * the group before it is first seen, or is started by one that did, is not counted: cgroups
 * (`limits.cpu: cgroup`) have no such gap for CPU time.
 */
export class ProcessGroup {
  private readonly verdicts = new Map<number, Verdict>();

  constructor(
    readonly leader: number,
    private readonly proc: ProcTable = procTable,
  ) {}

  /** The live members, the leader first when it is still there. */
  members(): number[] {
    return [...this.look().keys()];
  }

  /** Sends a signal to the leader's group and to each member that has left it. */
  signal(signal: NodeJS.Signals): void {
    this.signalMembers(signal);
  }

  /**
   * Stops every member: stops them and looks again, until a look finds no process it had not
   * stopped (a stopped process starts no other).
   */
  stop(): void {
    for (let round = 0; round < STOP_ROUNDS; round += 1) {
      const stopped = this.signalMembers('SIGSTOP');
      if (this.members().every((pid) => stopped.has(pid))) return;
    }
  }

  /** Kills every member, stopped first so that none starts another meanwhile. */
  kill(): void {
    this.stop();
    this.signal('SIGKILL');
  }

  /** Signals the group and the members outside it; returns the members it found. */
  private signalMembers(signal: NodeJS.Signals): Set<number> {
    this.proc.kill(-this.leader, signal);
    const members = this.look();
    for (const [pid, stat] of members) if (stat.pgid !== this.leader) this.proc.kill(pid, signal);
    return new Set(members.keys());
  }

  /** The live members, the leader first, each with what /proc says of it now. */
  private look(): Map<number, ProcStat> {
    const pids = this.proc.pids().sort((a, b) => a - b);
    const live = new Set(pids);
    for (const pid of this.verdicts.keys()) if (!live.has(pid)) this.verdicts.delete(pid);
    const members = new Map<number, ProcStat>();
    // Parents before children: a process's pid is higher than its parent's (until pids wrap around).
    for (const pid of [this.leader, ...pids.filter((pid) => pid !== this.leader)]) {
      const stat = this.memberStat(pid);
      if (stat !== undefined) members.set(pid, stat);
    }
    return members;
  }

  /** A member's stat, read afresh; undefined for a process that is not one (which is read once, then remembered). */
  private memberStat(pid: number): ProcStat | undefined {
    const verdict = this.verdicts.get(pid);
    if (verdict?.member === false) return undefined;
    const stat = this.proc.stat(pid);
    if (stat === undefined) return undefined;
    if (verdict?.startTicks === stat.startTicks) return stat;
    // First seen, or its pid now names a later process. The leader is the first process seen under its pid.
    const member = (pid === this.leader && verdict === undefined) || stat.pgid === this.leader || this.verdicts.get(stat.ppid)?.member === true;
    this.verdicts.set(pid, { member, startTicks: stat.startTicks });
    return member ? stat : undefined;
  }
}
