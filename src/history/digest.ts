import { cellId, type TuneResult } from '../result/types.js';
import type { RecommendedConfig, RunDigest, RunShape, RunSource } from './types.js';

/** A result reduced to what the history needs, so the result itself can be let go. Pure. */
export function digestResult(result: TuneResult, source: RunSource): RunDigest {
  return {
    source,
    startedAt: result.run.startedAt,
    stoppedBy: result.run.stoppedBy,
    shape: shapeOf(result),
    recommended: recommendedOf(result),
    durationsMs: warmDurations(result),
  };
}

function shapeOf(result: TuneResult): RunShape {
  return {
    functions: result.functions.map((f) => ({ name: f.name, architecture: f.architecture })),
    axes: result.plan.axes.map((axis) => axis.name),
    region: result.run.region,
    // One payload, or one per file of a payload axis: either way, what each cell is invoked with.
    payloads: result.run.payloads ?? { '': result.run.payload },
  };
}

/** The sweet spot's cell and numbers; null when nothing was recommended (every cell failed). */
function recommendedOf(result: TuneResult): RecommendedConfig | null {
  const id = result.analysis.sweetSpot?.cellId;
  const cell = result.analysis.cells.find((c) => c.id === id);
  if (cell === undefined || cell.durationMs === null || cell.costPerMillionUsd === null) return null;
  return {
    cellId: cell.id,
    function: cell.function,
    memoryMb: cell.memoryMb,
    params: cell.params,
    medianMs: cell.durationMs.median,
    p95Ms: cell.durationMs.p95,
    costPerMillionUsd: cell.costPerMillionUsd,
  };
}

/** Each cell's warm, successful, measured durations, ascending: the samples its statistics came from. */
function warmDurations(result: TuneResult): Map<string, number[]> {
  const byCell = new Map<string, number[]>();
  for (const sample of result.samples) {
    if (sample.warmup || sample.cold || sample.status !== 'success') continue;
    const id = cellId(sample);
    let list = byCell.get(id);
    if (list === undefined) byCell.set(id, (list = []));
    list.push(sample.durationMs);
  }
  for (const list of byCell.values()) list.sort((a, b) => a - b);
  return byCell;
}
