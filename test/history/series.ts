import type { TuneResult } from '../../src/result/types.js';
import { type CellSpec, durations, normal, resultOf, seeded } from '../helpers/gate.js';

/** Two memory sizes × two chunk sizes: the cells every run of a series measures. */
export const GRID = [
  { memoryMb: 256, chunkMb: 10, meanMs: 1200 },
  { memoryMb: 256, chunkMb: 20, meanMs: 1100 },
  { memoryMb: 512, chunkMb: 10, meanMs: 650 },
  { memoryMb: 512, chunkMb: 20, meanMs: 610 },
] as const;

/** A result of function `hasher` started on day `day` of November 2026, its cells as given. */
export function resultOn(day: number, cells: CellSpec[], fn = 'hasher'): TuneResult {
  const result = resultOf(cells, { fn });
  const startedAt = new Date(Date.UTC(2026, 10, day, 10, 0, 0)).toISOString();
  return { ...result, run: { ...result.run, startedAt, finishedAt: startedAt } };
}

/**
 * `runs` results of the grid with 5% noise from a fixed seed; from run `shiftAt` (1 for the first)
 * on, the cell `shifted` (index into GRID) runs `factor` times as long.
 */
export function series(runs: number, options: { seed?: number; shiftAt?: number; shifted?: number; factor?: number; samples?: number } = {}): TuneResult[] {
  const noise = normal(seeded(options.seed ?? 7));
  return Array.from({ length: runs }, (_, i) => {
    const cells = GRID.map((cell, index) => {
      const factor = options.shiftAt !== undefined && i + 1 >= options.shiftAt && index === options.shifted ? (options.factor ?? 1) : 1;
      return { memoryMb: cell.memoryMb, chunkMb: cell.chunkMb, durations: durations(noise, cell.meanMs * factor, 0.05, options.samples ?? 20) };
    });
    return resultOn(i + 1, cells);
  });
}
