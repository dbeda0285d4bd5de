import { badFlag } from '../errors.js';
import type { Optimize, SelectionOptions, Strategy } from '../result/types.js';
import { decimal, type NumberFlag } from './numbers.js';

const STRATEGIES: readonly Strategy[] = ['balanced', 'cost', 'speed'];
const PERCENTILES = [50, 90, 95, 99] as const;
const OPTIMIZE: readonly Optimize[] = ['warm', 'cold'];

export interface SelectionFlags {
  strategy: string;
  weight: NumberFlag;
  maxDurationMs?: NumberFlag | undefined;
  percentile: NumberFlag;
  /** warm (the default) or cold; commands without the flag judge warm. */
  optimize?: string | undefined;
}

/** How the sweet spot is chosen, checked the same way for `tune` and `tune analyze`. */
export function selectionFromFlags(flags: SelectionFlags): SelectionOptions {
  const weight = decimal('--weight', flags.weight);
  const maxDurationMs = decimal('--max-duration-ms', flags.maxDurationMs);
  const percentileFlag = decimal('--percentile', flags.percentile);
  const strategy = STRATEGIES.find((s) => s === flags.strategy);
  if (strategy === undefined) throw badFlag('--strategy', `must be balanced, cost or speed (got ${flags.strategy}).`, 'balanced is the default.');
  if (!(weight >= 0 && weight <= 1)) {
    throw badFlag('--weight', `must be between 0 and 1 (got ${weight}).`, 'It is the weight of cost against speed for --strategy balanced; 0.5 by default.');
  }
  const percentile = PERCENTILES.find((p) => p === percentileFlag);
  if (percentile === undefined)
    throw badFlag('--percentile', `must be 50, 90, 95 or 99 (got ${percentileFlag}).`, 'It is the percentile --max-duration-ms applies to.');
  positive('--max-duration-ms', maxDurationMs);
  const optimize = OPTIMIZE.find((o) => o === (flags.optimize ?? 'warm'));
  if (optimize === undefined)
    throw badFlag('--optimize', `must be warm or cold (got ${flags.optimize ?? ''}).`, 'It says whether the strategy judges warm invocations or cold starts.');
  return { strategy, weight, maxDurationMs, percentile, optimize };
}

/** An optional flag that, when given, must be a positive finite number. */
export function positive(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw badFlag(flag, `must be a positive number (got ${value}).`, 'See tune --help.');
  return value;
}
