import { describe, expect, it } from 'vitest';
import { groupMemoryMb, type MemoryReading } from '../../src/local/limits/proc.js';
import { parseStat, ProcessGroup, type ProcTable } from '../../src/local/limits/process-group.js';

/** A /proc with these processes (pid → parent and group), counting the stat reads. */
function fakeProc(processes: Map<number, { ppid: number; pgid: number }>) {
  const reads: number[] = [];
  const table: ProcTable = {
    pids: () => [...processes.keys()],
    parentAndGroup: (pid) => {
      reads.push(pid);
      return processes.get(pid);
    },
  };
  return { table, reads };
}

describe('ProcessGroup', () => {
  it('holds the leader, its group, and the children of members that left the group', () => {
    const processes = new Map([
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
    // Only the new process is read; a verdict stands while its pid lives.
    expect(reads).toEqual([105]);
  });

  it('goes on with what the leader started once the leader is gone', () => {
    const processes = new Map([
      [100, { ppid: 1, pgid: 100 }],
      [101, { ppid: 100, pgid: 100 }],
    ]);
    const group = new ProcessGroup(100, fakeProc(processes).table);
    expect(group.members()).toEqual([100, 101]);
    processes.delete(100);
    expect(group.members()).toEqual([101]);
  });

  it('reads parent and group from a stat line whose command holds spaces and parentheses', () => {
    expect(parseStat('4242 (my (odd) name) S 17 4242 4242 0 -1 4194560')).toEqual({ ppid: 17, pgid: 4242 });
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
