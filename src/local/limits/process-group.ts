import { readdirSync, readFileSync } from 'node:fs';

/** What the group reads from /proc; tests pass their own. */
export interface ProcTable {
  /** The ids of every process there is. */
  pids(): number[];
  /** A process's parent and process group, or undefined once it is gone. */
  parentAndGroup(pid: number): { ppid: number; pgid: number } | undefined;
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
  parentAndGroup: (pid) => {
    try {
      return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
};

/** `pid (comm) state ppid pgrp …`: the command may hold spaces and parentheses, so fields count from its last ')'. */
export function parseStat(stat: string): { ppid: number; pgid: number } | undefined {
  const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ppid === undefined || pgid === undefined ? undefined : { ppid: Number(ppid), pgid: Number(pgid) };
}

/**
 * The processes of one execution environment: its runtime, which leads its own process group (and
 * session), everything in that group, and the children of members that left it (setpgid, setsid).
 * Each look lists /proc and reads only the processes it has not seen: one outside the session
 * cannot join the group later, so a verdict stands until its pid goes away. A process that leaves
 * the group before it is first seen, or is started by one that did, is not counted: cgroups
 * (`limits.cpu: cgroup`) have no such gap.
 */
export class ProcessGroup {
  private readonly verdicts = new Map<number, boolean>();

  constructor(
    readonly leader: number,
    private readonly proc: ProcTable = procTable,
  ) {}

  /** The live members, the leader first when it is still there. */
  members(): number[] {
    const pids = this.proc.pids().sort((a, b) => a - b);
    const live = new Set(pids);
    for (const pid of this.verdicts.keys()) if (!live.has(pid)) this.verdicts.delete(pid);
    for (const pid of pids) if (!this.verdicts.has(pid)) this.verdicts.set(pid, this.belongs(pid));
    const members = pids.filter((pid) => this.verdicts.get(pid) === true && pid !== this.leader);
    return live.has(this.leader) ? [this.leader, ...members] : members;
  }

  private belongs(pid: number): boolean {
    if (pid === this.leader) return true;
    const ids = this.proc.parentAndGroup(pid);
    return ids !== undefined && (ids.pgid === this.leader || this.verdicts.get(ids.ppid) === true);
  }
}
