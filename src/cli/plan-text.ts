import type { TuneConfig } from '../config/tune-config.js';
import { pricesFor } from '../cost/prices.js';
import type { Gateway } from '../lambda/gateway.js';
import { describeFunctions } from '../measure/describe.js';
import { valueText } from '../plan/axes.js';
import { invocationsPerCell, planCells, worstCaseUsd } from '../plan/plan.js';
import { formatUsd } from '../report/format.js';
import type { Target } from './target.js';

/**
 * The plan and what it could cost, read-only: it describes the functions (refusing, as the run
 * would, an alias whose code $LATEST does not hold) but changes nothing.
 */
export async function describePlan(
  config: TuneConfig,
  gateway: Pick<Gateway, 'describe' | 'describeVersion'>,
  target: Pick<Target, 'kind' | 'region'>,
): Promise<string> {
  const described = await describeFunctions(gateway, config.functions, { coldStarts: config.coldStarts ?? 0 });
  const facts = described.map((s) => ({ name: s.name, timeoutS: s.timeoutS, prices: pricesFor(target.region, s.architecture, config.prices) }));
  const plan = { ...config, functions: described.map((s) => s.name) };
  const cells = planCells(plan).length;
  const where = target.kind === 'local' ? 'the local platform' : `AWS ${target.region}`;
  const axes = config.axes.map((axis) => `${axis.name} ${axis.values.map(valueText).join(', ')}`).join(' × ') || 'the payload as given';
  const budget = config.budgetUsd === undefined ? '' : ` Budget: ${formatUsd(config.budgetUsd)}; the run stops before exceeding it.`;
  return [
    `Plan: ${config.functions.join(', ')} × memory ${memoryText(config)} × ${axes} = ${cells} cells,`,
    `  ${adaptiveSaves(config) ? 'at most' : 'about'} ${cells * invocationsPerCell(config)} invocations (${perCellText(config)}), ${config.concurrency} at a time, on ${where}.`,
    ...samplingText(config),
    ...coldText(config, cells),
    ...pauseText(config),
    `  Cost: at most ${formatUsd(worstCaseUsd(plan, config, facts))} if every invocation ran to its timeout (and every cold start's INIT to its limit); usually a small fraction of that.${budget}`,
    '',
  ].join('\n');
}

function memoryText(config: TuneConfig): string {
  const range = config.memoryRange;
  if (range === undefined) return `${config.memoryMb.join(', ')} MB`;
  return `${range.fromMb}..${range.toMb} MB in ${range.stepMb} MB steps (${config.memoryMb.length} sizes)`;
}

/** Whether adaptive sampling may take fewer than the plan: it may stop a cell between the least and the most, or search a range. */
function adaptiveSaves(config: TuneConfig): boolean {
  return config.sampling === 'adaptive' && ((config.minInvocations ?? 3) < config.invocations || config.memoryRange !== undefined);
}

/** Adaptive sampling takes fewer than the plan: say how it decides, and that a range is searched. */
function samplingText(config: TuneConfig): string[] {
  if (!adaptiveSaves(config)) return [];
  const precision = `${Math.round((config.precision ?? 0.05) * 1000) / 10}%`;
  const search =
    config.memoryRange === undefined ? '' : ' The range is searched: a few sizes are measured, where a model of duration against memory puts the optimum.';
  return [
    `  Sampling adaptively: each cell until its median is known to ±${precision} or it cannot be the sweet spot (${Math.min(config.minInvocations ?? 3, config.invocations)} to ${config.invocations} measured).${search}`,
  ];
}

function perCellText(config: TuneConfig): string {
  const cold = config.coldStarts ?? 0;
  const coldPart = cold > 0 ? ` + ${cold} cold start${cold === 1 ? '' : 's'}` : '';
  return `${config.warmup} warm-up + ${config.invocations} measured${coldPart} per cell, plus each version's first cold start`;
}

/** Each --cold sample costs an update, a version and its deletion: worth saying before a long run. */
function coldText(config: TuneConfig, cells: number): string[] {
  const cold = config.coldStarts ?? 0;
  if (cold === 0) return [];
  return [
    `  Cold starts: ${cells * cold}, one at a time after the warm invocations, each on a version published for it alone (a new value of LAMBDA_TUNE_COLD on $LATEST) and deleted after; $LATEST gets its variables back at the end.`,
  ];
}

function pauseText(config: TuneConfig): string[] {
  const ms = config.sleepMs ?? 0;
  if (ms === 0) return [];
  return [`  Pauses: each of a cell's ${config.concurrency} workers waits ${ms} ms after every invocation it makes (--concurrency 1 spaces them all).`];
}
