import { type UserError, userError } from '../errors.js';

/** What a rule watches. Each built-in metric knows which way is worse: up. A timing says so itself. */
export type MetricName = 'duration' | 'cost' | 'maxMemory' | 'errorRate' | 'coldStart' | `timing:${string}`;
export type Statistic = 'p50' | 'p90' | 'p95' | 'p99' | 'mean';

export interface Rule {
  metric: MetricName;
  /** For duration, cold start and timings: which figure of the samples is compared. */
  statistic: Statistic;
  /** 'increase': bigger is worse; 'decrease': smaller is worse (a throughput timing). */
  worse: 'increase' | 'decrease';
  /** A relative change (10 = 10%) or an absolute limit on the current value, in the metric's unit. */
  threshold: { kind: 'relative'; percent: number } | { kind: 'absolute'; limit: number };
  level: 'warn' | 'error';
  scope: 'all' | 'recommended';
}

export const DEFAULT_RULES: readonly string[] = [
  'duration:p50 > 10% error',
  'duration:p95 > 20% warn',
  'cost > 10% error',
  'maxMemory > 20% warn',
  'errorRate > 10% error',
  'coldStart:p50 > 25% warn',
];

const STATISTICS = new Set<Statistic>(['p50', 'p90', 'p95', 'p99', 'mean']);
const FIXED = new Set(['duration', 'cost', 'maxMemory', 'errorRate', 'coldStart']);

/**
 * Reads a rule written as `METRIC[:STAT] > N%` (relative change) or `METRIC[:STAT] > N`
 * (absolute limit), then optionally `warn|error` and `all|recommended`. Timings may use `<`
 * when smaller is worse: `timing:mbPerSecond:p50 < 10%`.
 */
export function parseRule(text: string): Rule {
  const match = /^\s*(timing:[A-Za-z_][\w.-]*?|[A-Za-z]+)(?::(p50|p90|p95|p99|mean))?\s*([<>])\s*([\d.]+)(%?)\s*(warn|error)?\s*(all|recommended)?\s*$/.exec(
    text,
  );
  if (match === null) throw bad(text, 'it does not read as METRIC[:STAT] > N[%] [warn|error] [all|recommended]');
  const [, metricText, statisticText, operator, numberText, percent, levelText, scopeText] = match;
  const metric = metricText as MetricName;
  if (!FIXED.has(metric) && !metric.startsWith('timing:'))
    throw bad(text, `${metric} is not a metric (duration, cost, maxMemory, errorRate, coldStart, timing:NAME)`);
  const value = Number(numberText);
  if (!Number.isFinite(value)) throw bad(text, `${numberText} is not a number`);
  const worse = operator === '<' ? 'decrease' : 'increase';
  if (worse === 'decrease' && !metric.startsWith('timing:')) throw bad(text, `${metric} only gets worse by going up; write ">"`);
  if (worse === 'decrease' && percent !== '%') throw bad(text, 'a "<" rule needs a relative threshold such as 10%');
  const statistic = (statisticText ?? 'p50') as Statistic;
  if (!STATISTICS.has(statistic)) throw bad(text, `${statistic} is not one of p50, p90, p95, p99, mean`);
  return {
    metric,
    statistic,
    worse,
    threshold: percent === '%' ? { kind: 'relative', percent: value } : { kind: 'absolute', limit: value },
    level: (levelText ?? 'error') as Rule['level'],
    scope: (scopeText ?? 'all') as Rule['scope'],
  };
}

export function describeRule(rule: Rule): string {
  const stat = ['duration', 'coldStart'].includes(rule.metric) || rule.metric.startsWith('timing:') ? `:${rule.statistic}` : '';
  const threshold = rule.threshold.kind === 'relative' ? `${plainNumber(rule.threshold.percent)}%` : plainNumber(rule.threshold.limit);
  return `${rule.metric}${stat} ${rule.worse === 'increase' ? '>' : '<'} ${threshold} ${rule.level}${rule.scope === 'recommended' ? ' recommended' : ''}`;
}

/** A threshold in the digits a rule is written in: String(1e-7) is "1e-7" and String(1e21) "1e+21", which no rule reads. */
export function plainNumber(value: number): string {
  const text = String(value);
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, lead = '', rest = '', exponent = ''] = match;
  const digits = lead + rest;
  const point = 1 + Number(exponent);
  return point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : digits.padEnd(point, '0');
}

function bad(text: string, why: string): UserError {
  return userError('BAD_RULE', { rule: text, why });
}
