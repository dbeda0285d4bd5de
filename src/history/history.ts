import { compareRuns, SHIFT_TEST, type ShiftSettings } from './shifts.js';
import type { History, HistoryRun, RunDigest, SkippedSource } from './types.js';

/**
 * The trend over runs already in order, oldest first: each run's recommendation, and each run
 * compared with the one before it. Pure. Linear in the runs: every run meets only its predecessor.
 */
export function buildHistory(
  ordered: readonly RunDigest[],
  settings: ShiftSettings & { orderedBy: History['orderedBy'] },
  skipped: readonly SkippedSource[] = [],
): History {
  const runs = ordered.map((digest, i) => historyRun(digest, ordered[i - 1], i + 1, settings));
  return {
    test: SHIFT_TEST,
    confidence: settings.confidence,
    minChangePercent: settings.minChangePercent,
    orderedBy: settings.orderedBy,
    runs,
    changePoints: runs.filter((run) => run.comparison.status === 'compared' && run.comparison.changePoint).map((run) => run.number),
    skipped: [...skipped],
  };
}

function historyRun(digest: RunDigest, previous: RunDigest | undefined, number: number, settings: ShiftSettings): HistoryRun {
  return {
    number,
    origin: digest.source.origin,
    commit: digest.source.commit,
    startedAt: digest.startedAt,
    stoppedBy: digest.stoppedBy,
    functions: digest.shape.functions.map((f) => f.name),
    recommended: digest.recommended,
    recommendationChanged: previous === undefined || previous.recommended?.cellId !== digest.recommended?.cellId,
    comparison: previous === undefined ? { status: 'first' } : compareRuns(previous, digest, settings),
  };
}
