import type { StopReason, TuneResult } from '../result/types.js';
import { formatMb } from './format.js';

/** Why a cell got no more invocations, in the words of the tables. */
export const STOP_WORDS: Record<StopReason, string> = {
  precise: 'precise',
  dominated: 'dominated',
  'out-of-running': 'out of the running',
  max: 'max',
  failed: 'failed',
};

export const STOP_LEGEND =
  'stopped: precise (median known to the precision asked) · dominated (surely slower and dearer than another cell) · out of the running (cannot be the sweet spot) · max (had --invocations) · failed';

/**
 * What adaptive sampling did, in plain lines: the invocations it made against the fixed plan's,
 * and with a searched memory range which sizes it measured and why. None for the fixed plan.
 */
export function samplingLines(result: TuneResult): string[] {
  const sampling = result.run.sampling;
  if (sampling === undefined) return [];
  const { invocations, fixedPlanInvocations: planned } = sampling;
  const saved = planned - invocations;
  const rule = `median within ±${formatPercent(sampling.precision)} at 95%, ${sampling.minInvocations} to ${result.run.invocationsPerCell} invocations a cell`;
  const lines = [
    `Adaptive sampling (${rule}): ${invocations} invocations where the fixed plan makes ${planned}; ${saved >= 0 ? `${saved} saved (${formatPercent(saved / Math.max(1, planned))})` : `${-saved} more`}.`,
  ];
  const search = sampling.memorySearch;
  if (search !== undefined) {
    const count = Math.floor((search.toMb - search.fromMb) / search.stepMb) + 1 + ((search.toMb - search.fromMb) % search.stepMb === 0 ? 0 : 1);
    // The parameters name the column searched; with one column they say nothing.
    const columns = new Set(search.measured.map((m) => `${m.function} ${JSON.stringify(m.params)}`));
    const measured = search.measured.map((m) => `${formatMb(m.memoryMb)}${columns.size > 1 ? columnText(m.params) : ''} (${m.reason})`);
    lines.push(
      `Memory searched over ${search.fromMb}..${search.toMb} MB in ${search.stepMb} MB steps (${count} sizes): measured ${search.measured.length}, in order: ${measured.join(', ')}.`,
    );
  }
  return lines;
}

function columnText(params: Record<string, unknown>): string {
  const names = Object.keys(params);
  return names.length === 0 ? '' : ` ${names.map((name) => `${name}=${String(params[name])}`).join(',')}`;
}

function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
