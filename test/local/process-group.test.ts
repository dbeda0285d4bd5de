import { describe, expect, it } from 'vitest';
import { groupMemoryMb, type MemoryReading } from '../../src/local/limits/proc.js';
import { parseStat, ProcessGroup, type ProcTable } from '../../src/local/limits/process-group.js';

type Processes = Map<number, { ppid: number; pgid: number; startTicks?: number }>;

/** A /proc with these processes (pid → parent, group, start time), counting the stat reads and keeping the signals sent. */
function fakeProc(processes: Processes, onSignal: (id: number, signal: NodeJS.Signals) => void = () => undefined) {
  const reads: number[] = [];
  const signals: string[] = [];
  const table: ProcTable = {
    pids: () => [...processes.keys()],
    stat: (pid) => {
      reads.push(pid);
      const entry = processes.get(pid);
      return entry === undefined ? undefined : { ppid: entry.ppid, pgid: entry.pgid, startTicks: entry.startTicks ?? 1 };
    },
    kill: (id, signal) => {
      signals.push(`${signal} ${id}`);
      onSignal(id, signal);
      return true;
    },
  };
  return { table, reads, signals };
}

describe('ProcessGroup', () => {
  it('holds the leader, its group, and the children of members that left the group', () => {
    const processes: Processes = new Map([
      [1, { ppid: 0, pgid: 1 }],
      [100, { ppid: 1, pgid: 100 }],
      [101, { ppid: 100, pgid: 100 }],
      [102, { ppid: 101, pgid: 102 }],
      [103, { ppid: 1, pgid: 50 }],
      [104, { ppid: 102, pgid: 102 }],
    ]);
    const { table, reads } = fakeProc(processes);
    const group = new ProcessGroup(100, table);
    expect(group.members()).toEqual([100, 101, 102, 104]);
    processes.delete(101);
    processes.set(105, { ppid: 104, pgid: 102 });
    reads.length = 0;
    expect(group.members()).toEqual([100, 102, 104, 105]);
    // The members are read again (their pid must still name them); of the others only the new one.
    expect(reads.sort()).toEqual([100, 102, 104, 105]);
  });

  it('goes on with what the leader started once the leader is gone', () => {
    const processes: Processes = new Map([
      [100, { ppid: 1, pgid: 100 }],
      [101, { ppid: 100, pgid: 100 }],
    ]);
    const group = new ProcessGroup(100, fakeProc(processes).table);
    expect(group.members()).toEqual([100, 101]);
    processes.delete(100);
    expect(group.members()).toEqual([101]);
  });

  it('signals the group, and each member that left it by its pid', () => {
    const processes: Processes = new Map([
      [100, { ppid: 1, pgid: 100 }],
      [101, { ppid: 100, pgid: 100 }],
      [102, { ppid: 100, pgid: 102 }],
      [103, { ppid: 102, pgid: 102 }],
    ]);
    const { table, signals } = fakeProc(processes);
    new ProcessGroup(100, table).signal('SIGCONT');
    expect(signals).toEqual(['SIGCONT -100', 'SIGCONT 102', 'SIGCONT 103']);
  });

  it('never takes a pid that a member had, and that now names a later process, for a member', () => {
    const processes: Processes = new Map([
      [100, { ppid: 1, pgid: 100 }],
      [102, { ppid: 100, pgid: 102, startTicks: 5 }],
    ]);
    const { table, signals } = fakeProc(processes);
    const group = new ProcessGroup(100, table);
    expect(group.members()).toEqual([100, 102]);
    // 102 ended, and its pid went to someone else's process between two looks.
    processes.set(102, { ppid: 1, pgid: 900, startTicks: 9 });
    group.signal('SIGKILL');
    expect(group.members()).toEqual([100]);
    expect(signals).toEqual(['SIGKILL -100']);
  });

  it('stops until no member is left running: one started in a new session while the others were stopped is stopped too', () => {
    const processes: Processes = new Map([
      [100, { ppid: 1, pgid: 100 }],
      [101, { ppid: 100, pgid: 101 }],
    ]);
    let started = false;
    const { table, signals } = fakeProc(processes, (id, signal) => {
      // 101 forks 102 into a session of its own just before its SIGSTOP lands.
      if (id === 101 && signal === 'SIGSTOP' && !started) {
        started = true;
        processes.set(102, { ppid: 101, pgid: 102 });
      }
    });
    new ProcessGroup(100, table).kill();
    expect(signals).toEqual(['SIGSTOP -100', 'SIGSTOP 101', 'SIGSTOP -100', 'SIGSTOP 101', 'SIGSTOP 102', 'SIGKILL -100', 'SIGKILL 101', 'SIGKILL 102']);
  });

  it('reads parent, group and start time from a stat line whose command holds spaces and parentheses', () => {
    // /proc/<pid>/stat of a bash, its command name changed.
    const stat =
      '5418 (my (odd) name) R 5416 5416 17516 0 -1 4194368 0 0 0 0 0 0 0 0 20 0 1 0 1008361 4833280 128 18446744073709551615 93947111399424 93947112188829 140737175695200 0 0 0 81922 0 81920 0 0 0 17 1 0 0 0 0 0';
    expect(parseStat(stat)).toEqual({ ppid: 5416, pgid: 5416, startTicks: 1008361 });
  });
});

describe('groupMemoryMb', () => {
  const reading = (ownMb: number, fileMb: number, peakRssMb = ownMb + fileMb): MemoryReading => ({ rssMb: ownMb + fileMb, peakRssMb, ownMb, fileMb });

  it("is one process's peak resident size", () => {
    expect(groupMemoryMb([reading(30, 20, 80)])).toBe(80);
    expect(groupMemoryMb([])).toBeUndefined();
  });

  it('counts each process its own memory and the files they share once', () => {
    // Two node processes: 30 and 200 MB of their own, the same 40 MB executable mapped by both.
    expect(groupMemoryMb([reading(30, 40), reading(200, 40)])).toBe(270);
    // Never below the peak one of them reached alone.
    expect(groupMemoryMb([reading(30, 40, 400), reading(20, 40)])).toBe(400);
  });
});
