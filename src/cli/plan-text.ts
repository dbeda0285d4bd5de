import type { TuneConfig } from '../config/tune-config.js';
import { pricesFor } from '../cost/prices.js';
import type { Gateway } from '../lambda/gateway.js';
import { valueText } from '../plan/axes.js';
import { invocationsPerCell, planCells, worstCaseUsd } from '../plan/plan.js';
import { formatUsd } from '../report/format.js';
import type { Target } from './target.js';

/** The plan and what it could cost, read-only: it describes the functions but changes nothing. */
export async function describePlan(config: TuneConfig, gateway: Pick<Gateway, 'describe'>, target: Pick<Target, 'kind' | 'region'>): Promise<string> {
  const facts = [];
  for (const name of config.functions) {
    const snapshot = await gateway.describe(name);
    facts.push({ name, timeoutS: snapshot.timeoutS, prices: pricesFor(target.region, snapshot.architecture, config.prices) });
  }
  const cells = planCells(config).length;
  const perCell = invocationsPerCell(config);
  const where = target.kind === 'local' ? 'the local platform' : `AWS ${target.region}`;
  const axes = config.axes.map((axis) => `${axis.name} ${axis.values.map(valueText).join(', ')}`).join(' × ') || 'the payload as given';
  const budget = config.budgetUsd === undefined ? '' : ` Budget: ${formatUsd(config.budgetUsd)}; the run stops before exceeding it.`;
  return [
    `Plan: ${config.functions.join(', ')} × memory ${config.memoryMb.join(', ')} MB × ${axes} = ${cells} cells,`,
    `  about ${cells * perCell} invocations (${config.warmup} warm-up + ${config.invocations} measured per cell, plus cold starts), ${config.concurrency} at a time, on ${where}.`,
    `  Cost: at most ${formatUsd(worstCaseUsd(config, config, facts))} if every invocation ran to its timeout; usually a small fraction of that.${budget}`,
    '',
  ].join('\n');
}
