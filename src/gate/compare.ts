import { mean, quantileSorted } from '../stats/library.js';
import { sortedCopy } from '../stats/summary.js';
import { invocationCostUsd } from '../cost/prices.js';
import { userError } from '../errors.js';
import { cellId, type Prices, type Sample, type TuneResult } from '../result/types.js';
import { describeRule, type MetricName, type Rule, type Statistic } from './rules.js';
import { fisherGreater, mannWhitneyGreater } from './tests.js';

export type Outcome = 'error' | 'warn' | 'noise' | 'pass' | 'skipped';

export interface Verdict {
  rule: string;
  cellId: string;
  metric: MetricName;
  unit: 'ms' | 'USD' | 'MB' | '%' | '';
  baseline: number | null;
  current: number | null;
  /** Change in the direction that is worse, in percent; null when the baseline is zero or missing. */
  changePercent: number | null;
  pValue: number | null;
  outcome: Outcome;
  reason: string;
  /** On a skipped check: why, the fewer of the two runs' sample counts, and how many each run needs. */
  skip?: { why: 'too-few' | 'underpowered'; samples: number; needed: number };
}

/** How the false alarm rate is held across the whole comparison, not per check. */
export interface Correction {
  method: 'holm';
  /** Checks that can fail the gate (relative rules at level error), tested as one family. */
  errorFamily: number;
  /** Checks that can only warn, tested as a family of their own. */
  warnFamily: number;
}

export interface GateReport {
  test: string;
  confidence: number;
  correction: Correction;
  /** fail: an error-level regression; inconclusive: no relative check could be judged; pass: neither. */
  status: 'pass' | 'fail' | 'inconclusive';
  /** When inconclusive: the invocations a cell needs for the checks to be judged. */
  invocationsNeeded?: number | undefined;
  /** When inconclusive: the error-level rules that could judge none of their cells (empty when no check at all could be judged). */
  blindRules?: string[] | undefined;
  verdicts: Verdict[];
  sweetSpot: { baseline: string | null; current: string | null; moved: boolean };
  cellsAdded: string[];
  cellsRemoved: string[];
  errors: number;
  warnings: number;
  skipped: number;
}

const MIN_SAMPLES = 3;
export const TEST_NAME = 'Mann–Whitney U, one-sided, on the raw samples (Fisher exact for error rates)';

/** A cell of the current run and the baseline's cell it is judged against (the same cell, unless told otherwise). */
export interface CellPair {
  /** How the verdicts name it. */
  id: string;
  baseline: string;
  current: string;
}

export interface CompareOptions {
  /** Which cells to judge against which; by default every cell the two runs share. */
  pairs?: readonly CellPair[] | undefined;
  /** Price each run at its own prices (two builds compared side by side), not both at the baseline's (one build over time). */
  ownPrices?: boolean | undefined;
}

/** A cell's samples, and those of them a duration is judged on: warm, measured and successful. */
interface CellSamples {
  all: readonly Sample[];
  warm: readonly Sample[];
}

/** One side of a check: a result and the samples of its cell that is judged. */
interface Side extends CellSamples {
  result: TuneResult;
}

/** Compares a run with a baseline under rules. Pure: the same two results and rules give the same report. */
export function compareResults(
  baseline: TuneResult,
  current: TuneResult,
  rules: readonly Rule[],
  confidence: number,
  options: CompareOptions = {},
): GateReport {
  if (options.pairs === undefined) assertComparable(baseline, current);
  const baseCells = new Set(baseline.analysis.cells.map((c) => c.id));
  const currentCells = new Set(current.analysis.cells.map((c) => c.id));
  const pairs = options.pairs ?? current.analysis.cells.filter((c) => baseCells.has(c.id)).map((c) => ({ id: c.id, baseline: c.id, current: c.id }));
  const recommended = current.analysis.sweetSpot?.cellId;
  // Grouped once: every rule looks at every cell, and a result may hold hundreds of thousands of samples.
  const baseSamples = samplesByCell(baseline.samples);
  const currentSamples = samplesByCell(current.samples);
  const judged: Judged[] = [];
  for (const rule of rules) {
    const chosen = rule.scope === 'recommended' ? pairs.filter((pair) => pair.current === recommended) : pairs;
    for (const pair of chosen) {
      const sides = {
        baseline: { result: baseline, ...(baseSamples.get(pair.baseline) ?? NO_SAMPLES) },
        current: { result: current, ...(currentSamples.get(pair.current) ?? NO_SAMPLES) },
      };
      judged.push(judge(rule, pair.id, sides, confidence, options.ownPrices === true));
    }
  }
  const verdicts = decide(judged, confidence);
  return {
    test: TEST_NAME,
    confidence,
    correction: {
      method: 'holm',
      errorFamily: judged.filter((j) => j.family === 'error').length,
      warnFamily: judged.filter((j) => j.family === 'warn').length,
    },
    ...gateStatus(judged, verdicts),
    verdicts,
    sweetSpot: sweetSpotChange(baseline.analysis.sweetSpot?.cellId ?? null, recommended ?? null, options.pairs),
    cellsAdded: options.pairs === undefined ? [...currentCells].filter((id) => !baseCells.has(id)) : [],
    cellsRemoved: options.pairs === undefined ? [...baseCells].filter((id) => !currentCells.has(id)) : [],
    errors: verdicts.filter((v) => v.outcome === 'error').length,
    warnings: verdicts.filter((v) => v.outcome === 'warn').length,
    skipped: verdicts.filter((v) => v.outcome === 'skipped').length,
  };
}

const NO_SAMPLES: CellSamples = { all: [], warm: [] };

function samplesByCell(samples: readonly Sample[]): Map<string, CellSamples> {
  const byCell = new Map<string, { all: Sample[]; warm: Sample[] }>();
  for (const sample of samples) {
    const id = cellId(sample);
    let cell = byCell.get(id);
    if (cell === undefined) byCell.set(id, (cell = { all: [], warm: [] }));
    cell.all.push(sample);
    if (!sample.warmup && !sample.cold && sample.status === 'success') cell.warm.push(sample);
  }
  return byCell;
}

/** Whether the recommendation moved: to another cell, or (for paired runs) to a cell not paired with the baseline's. */
function sweetSpotChange(baseline: string | null, current: string | null, pairs: readonly CellPair[] | undefined): GateReport['sweetSpot'] {
  const same = pairs === undefined ? baseline === current : pairs.some((pair) => pair.baseline === baseline && pair.current === current);
  return { baseline, current, moved: !same };
}

/** Two runs compare only when they measured the same thing the same way. */
function assertComparable(baseline: TuneResult, current: TuneResult): void {
  for (const [which, result] of [
    ['baseline', baseline],
    ['current run', current],
  ] as const) {
    if (result.run.stoppedBy !== undefined) {
      throw userError('INCOMPLETE_RUN', {
        which,
        why: result.run.stoppedBy === 'budget' ? 'its budget ran out' : 'it was interrupted',
        instead: 'the gate does not judge it',
      });
    }
  }
  const problems: string[] = [];
  const names = (r: TuneResult) =>
    r.functions
      .map((f) => f.name)
      .sort()
      .join(', ');
  if (names(baseline) !== names(current)) problems.push(`functions differ (baseline: ${names(baseline)}; current: ${names(current)})`);
  if (baseline.run.region !== current.run.region) problems.push(`regions differ (${baseline.run.region} vs ${current.run.region})`);
  for (const fn of current.functions) {
    const before = baseline.functions.find((f) => f.name === fn.name);
    if (before !== undefined && before.architecture !== fn.architecture)
      problems.push(`${fn.name} changed architecture (${before.architecture} → ${fn.architecture})`);
  }
  problems.push(...workloadDifferences(baseline, { axes: current.plan.axes, ...current.run }));
  if (problems.length > 0) {
    throw userError('NOT_COMPARABLE', { problems });
  }
}

interface Extracted {
  unit: Verdict['unit'];
  baseline: number[];
  current: number[];
  value: (values: readonly number[]) => number;
}

/** What every verdict on one rule and cell starts with. */
type VerdictBase = Pick<Verdict, 'rule' | 'cellId' | 'metric'>;

/**
 * A check before the whole comparison's correction: a relative rule's verdict over its threshold
 * is only provisional (`awaits`) until Holm's procedure says whether its p-value holds up among
 * all the checks of its family.
 */
interface Judged {
  verdict: Verdict;
  rule: Rule;
  /** The relative rules' checks with a p-value, by the level they can raise. */
  family?: 'error' | 'warn' | undefined;
  /** Over the threshold: the outcome if the test holds up after correction. */
  awaits?: { level: 'error' | 'warn'; pValue: number } | undefined;
}

/**
 * Holm's step-down procedure (Holm 1979) within each family: the k-th smallest of m p-values is
 * significant when it and every smaller one is below α / (m − k + 1). It holds the chance of any
 * false alarm across the family at α, where testing each check at α would let it grow with the
 * number of cells and rules.
 */
function decide(judged: readonly Judged[], confidence: number): Verdict[] {
  const alpha = Math.round((1 - confidence) * 1e9) / 1e9;
  const significant = new Set<Judged>();
  for (const family of ['error', 'warn'] as const) {
    const members = judged.filter((j) => j.family === family).sort((a, b) => (a.verdict.pValue ?? 1) - (b.verdict.pValue ?? 1));
    for (const [k, member] of members.entries()) {
      if ((member.verdict.pValue ?? 1) >= alpha / (members.length - k)) break;
      significant.add(member);
    }
  }
  return judged.map((j) => {
    if (j.awaits === undefined) return j.verdict;
    const p = j.awaits.pValue.toFixed(3);
    const family = judged.filter((other) => other.family === j.family).length;
    return significant.has(j)
      ? { ...j.verdict, outcome: j.awaits.level, reason: `a real change (p = ${p}, significant after Holm's correction over ${family} checks)` }
      : {
          ...j.verdict,
          outcome: 'noise',
          reason: `over the threshold, but not a real change at ${confidence * 100}% confidence over ${family} checks (p = ${p}, Holm)`,
        };
  });
}

/**
 * fail on any error-level regression; inconclusive when a relative rule that can fail the gate
 * could judge none of its cells (so a regression there would pass unseen), or when no relative
 * check at all could be judged.
 */
function gateStatus(judged: readonly Judged[], verdicts: readonly Verdict[]): Pick<GateReport, 'status' | 'invocationsNeeded' | 'blindRules'> {
  if (verdicts.some((v) => v.outcome === 'error')) return { status: 'fail' };
  const relative = judged.filter((j) => j.rule.threshold.kind === 'relative');
  const blind = (checks: readonly Judged[]) => checks.length > 0 && checks.every((j) => j.verdict.outcome === 'skipped');
  const blindRules = [...new Set(relative.filter((j) => j.rule.level === 'error').map((j) => j.verdict.rule))].filter((rule) =>
    blind(relative.filter((j) => j.verdict.rule === rule)),
  );
  if (blindRules.length === 0 && !blind(relative)) return { status: 'pass' };
  const needed = relative.reduce((most, j) => Math.max(most, j.verdict.skip?.needed ?? 0), 0);
  return { status: 'inconclusive', invocationsNeeded: needed, blindRules: blind(relative) ? [] : blindRules };
}

interface Sides {
  baseline: Side;
  current: Side;
}

function judge(rule: Rule, id: string, sides: Sides, confidence: number, ownPrices: boolean): Judged {
  const judged = judgeOne(rule, id, sides, confidence, ownPrices);
  if (rule.threshold.kind !== 'relative' || judged.pValue === null || judged.outcome === 'skipped') return { verdict: judged, rule };
  const family = rule.level;
  const over = judged.outcome !== 'pass';
  return { verdict: judged, rule, family, awaits: over ? { level: rule.level, pValue: judged.pValue } : undefined };
}

function judgeOne(rule: Rule, id: string, sides: Sides, confidence: number, ownPrices: boolean): Verdict {
  const base: VerdictBase = { rule: describeRule(rule), cellId: id, metric: rule.metric };
  if (rule.metric === 'errorRate') return judgeErrors(rule, sides, confidence, base);
  const data = extract(rule, sides, ownPrices);
  if (data.baseline.length < MIN_SAMPLES || data.current.length < MIN_SAMPLES) {
    const reason = `too few samples to compare (${data.baseline.length} and ${data.current.length})`;
    return skipped(base, data, confidence, 'too-few', { baseline: null, current: null, changePercent: null }, reason);
  }
  const before = data.value(data.baseline);
  const now = data.value(data.current);
  const worseBy = rule.worse === 'increase' ? now - before : before - now;
  const changePercent = before === 0 ? null : (worseBy / before) * 100;
  // From a baseline of zero any rise is an unbounded relative change.
  const exceeded =
    rule.threshold.kind === 'relative' ? (changePercent === null ? worseBy > 0 : changePercent > rule.threshold.percent) : now > rule.threshold.limit;
  // A relative check that could not show a change at this confidence judged nothing, over its threshold or not.
  if (rule.threshold.kind === 'relative' && !canReach(data.baseline.length, data.current.length, confidence)) {
    const reason = `${data.baseline.length} and ${data.current.length} samples cannot show a change at ${confidence * 100}% confidence; measure more invocations`;
    return skipped(base, data, confidence, 'underpowered', { baseline: before, current: now, changePercent }, reason);
  }
  const pValue = tailTest(rule, data);
  const significant = isSignificant(pValue, confidence);
  const outcome: Outcome = !exceeded ? 'pass' : rule.threshold.kind === 'absolute' || significant ? rule.level : 'noise';
  const reason =
    outcome === 'pass'
      ? 'within the threshold'
      : outcome === 'noise'
        ? `over the threshold, but not a real change at ${confidence * 100}% confidence (p = ${pValue.toFixed(3)})`
        : rule.threshold.kind === 'absolute'
          ? `over the limit of ${rule.threshold.limit}`
          : `a real change (p = ${pValue.toFixed(3)})`;
  return { ...base, unit: data.unit, baseline: before, current: now, changePercent, pValue, outcome, reason };
}

/** A check the samples cannot decide: too few to compare at all, or too few to ever reach the confidence. */
function skipped(
  base: VerdictBase,
  data: Extracted,
  confidence: number,
  why: NonNullable<Verdict['skip']>['why'],
  measured: Pick<Verdict, 'baseline' | 'current' | 'changePercent'>,
  reason: string,
): Verdict {
  return {
    ...base,
    unit: data.unit,
    ...measured,
    pValue: null,
    outcome: 'skipped',
    reason,
    skip: { why, samples: Math.min(data.baseline.length, data.current.length), needed: samplesNeeded(confidence) },
  };
}

function judgeErrors(rule: Rule, sides: Sides, confidence: number, base: VerdictBase): Verdict {
  const counts = ({ all }: Side) => {
    let failures = 0;
    let total = 0;
    for (const s of all) {
      if (s.warmup) continue;
      total++;
      if (s.status !== 'success') failures++;
    }
    return { failures, total };
  };
  const b = counts(sides.baseline);
  const c = counts(sides.current);
  if (rule.threshold.kind === 'relative') {
    const shape: Extracted = { unit: '%', baseline: Array<number>(b.total), current: Array<number>(c.total), value: () => 0 };
    if (b.total === 0 || c.total === 0)
      return skipped(
        base,
        shape,
        confidence,
        'too-few',
        { baseline: null, current: null, changePercent: null },
        `no invocations to compare (${b.total} and ${c.total})`,
      );
    if (!canReach(b.total, c.total, confidence)) {
      const reason = `${b.total} and ${c.total} invocations cannot show more errors at ${confidence * 100}% confidence; measure more invocations`;
      return skipped(base, shape, confidence, 'underpowered', { baseline: null, current: null, changePercent: null }, reason);
    }
  }
  const before = b.total === 0 ? 0 : (b.failures / b.total) * 100;
  const now = c.total === 0 ? 0 : (c.failures / c.total) * 100;
  const changePercent = before === 0 ? null : ((now - before) / before) * 100;
  const exceeded =
    rule.threshold.kind === 'relative' ? (changePercent === null ? now > 0 : changePercent > rule.threshold.percent) : now > rule.threshold.limit;
  const pValue = fisherGreater(b.failures, b.total, c.failures, c.total);
  const significant = isSignificant(pValue, confidence);
  // A limit is a limit: only relative rules wait for the test.
  const outcome: Outcome = !exceeded ? 'pass' : rule.threshold.kind === 'absolute' || significant ? rule.level : 'noise';
  const reason =
    outcome === 'pass'
      ? 'within the threshold'
      : outcome === 'noise'
        ? `more errors, but not beyond chance at ${confidence * 100}% confidence (p = ${pValue.toFixed(3)})`
        : `${c.failures} of ${c.total} failed against ${b.failures} of ${b.total}${rule.threshold.kind === 'absolute' ? `, over the limit of ${rule.threshold.limit}%` : ` (p = ${pValue.toFixed(3)})`}`;
  return { ...base, unit: '%', baseline: before, current: now, changePercent, pValue, outcome, reason };
}

/**
 * The test for the rule's statistic: a location test (Mann–Whitney U) for the median and the
 * mean; for a tail (p90, p95, p99), Fisher's exact test on how many samples of each run lie beyond
 * the baseline's own percentile, which sees a longer tail that a location test misses.
 */
function tailTest(rule: Rule, data: Extracted): number {
  const increase = rule.worse === 'increase';
  if (rule.statistic === 'p50' || rule.statistic === 'mean' || data.unit === 'USD' || rule.metric === 'maxMemory') {
    return increase ? mannWhitneyGreater(data.baseline, data.current) : mannWhitneyGreater(data.current, data.baseline);
  }
  const cut = data.value(data.baseline);
  const beyond = (values: readonly number[]) => {
    let count = 0;
    for (const v of values) if (increase ? v > cut : v < cut) count++;
    return count;
  };
  return fisherGreater(beyond(data.baseline), data.baseline.length, beyond(data.current), data.current.length);
}

/** The fewest samples each run needs, equal in number, for a change to be able to show at this confidence. */
function samplesNeeded(confidence: number): number {
  let n = MIN_SAMPLES;
  while (!canReach(n, n, confidence)) n++;
  return n;
}

/** Whether samples this small can reach the confidence at all: the most extreme split has p = 1 / C(n1 + n2, n1). */
function canReach(n1: number, n2: number, confidence: number): boolean {
  const logAlpha = Math.log(Math.round((1 - confidence) * 1e9) / 1e9);
  let logChoose = 0;
  // log C grows with every term, so once it is past the level the rest cannot bring it back.
  for (let i = 1; i <= Math.min(n1, n2); i++) {
    logChoose += Math.log(n1 + n2 - Math.min(n1, n2) + i) - Math.log(i);
    if (-logChoose < logAlpha) return true;
  }
  return -logChoose < logAlpha;
}

/** p below the significance level 1 − confidence, the level rounded so 0.95 means exactly 0.05. */
function isSignificant(pValue: number, confidence: number): boolean {
  return pValue < Math.round((1 - confidence) * 1e9) / 1e9;
}

function extract(rule: Rule, sides: Sides, ownPrices: boolean): Extracted {
  const { baseline, current } = sides;
  const sorted = sortedOnce();
  const summary = (statistic: Statistic) => (values: readonly number[]) =>
    statistic === 'mean' ? mean(values) : quantileSorted(sorted(values), Number(statistic.slice(1)) / 100);
  switch (rule.metric) {
    case 'duration':
      return { unit: 'ms', baseline: baseline.warm.map((s) => s.durationMs), current: current.warm.map((s) => s.durationMs), value: summary(rule.statistic) };
    case 'cost':
      // Over time both runs are priced at the baseline's prices: a price change is not a regression of the function.
      return {
        unit: 'USD',
        baseline: costs(baseline.warm, baseline.result),
        current: costs(current.warm, ownPrices ? current.result : baseline.result),
        value: (values) => mean(values),
      };
    case 'maxMemory':
      return {
        unit: 'MB',
        baseline: baseline.warm.map((s) => s.maxMemoryUsedMb),
        current: current.warm.map((s) => s.maxMemoryUsedMb),
        value: largest,
      };
    case 'coldStart': {
      const cold = ({ all }: Side) => all.flatMap((s) => (s.cold && s.initDurationMs !== undefined ? [s.initDurationMs] : []));
      return { unit: 'ms', baseline: cold(baseline), current: cold(current), value: summary(rule.statistic) };
    }
    default: {
      const name = rule.metric.slice('timing:'.length);
      const timing = (side: Side) => side.warm.flatMap((s) => s.timings[name] ?? []);
      return { unit: '', baseline: timing(baseline), current: timing(current), value: summary(rule.statistic) };
    }
  }
}

/** Values in order, each set sorted once: a statistic is asked of the same values more than once (the change, then a tail's cut). */
function sortedOnce(): (values: readonly number[]) => Float64Array {
  const known = new WeakMap<readonly number[], Float64Array>();
  return (values) => {
    let sorted = known.get(values);
    if (sorted === undefined) known.set(values, (sorted = sortedCopy(values)));
    return sorted;
  };
}

/** A loop, not a spread: a cell may hold more values than a call takes arguments. */
function largest(values: readonly number[]): number {
  let most = -Infinity;
  for (const v of values) most = Math.max(most, v);
  return most;
}

function costs(samples: readonly Sample[], pricedBy: TuneResult): number[] {
  return samples.map((s) => invocationCostUsd(s.billedDurationMs, s.memoryMb, pricesOf(pricedBy, s.function)));
}

function pricesOf(result: TuneResult, name: string): Prices {
  const info = result.functions.find((f) => f.name === name);
  if (info === undefined) throw new Error(`${name} has samples but is not among the functions of its result`);
  return info.prices;
}

/**
 * What can be told before a run is paid for: whether it will be comparable with the baseline (the
 * same functions, by name, the same axes and the same payload). The rest (region, architecture) is checked after.
 */
export function plannedComparable(baseline: TuneResult, plan: { functions: readonly string[] } & Workload): void {
  const bare = (name: string) => name.replace(/^.*:function:/, '');
  const names = (list: readonly string[]) => list.map(bare).sort().join(', ');
  const problems: string[] = [];
  const planned = names(plan.functions);
  const before = names(baseline.functions.map((f) => f.name));
  if (planned !== before) problems.push(`functions differ (baseline: ${before}; this run: ${planned})`);
  problems.push(...workloadDifferences(baseline, plan));
  if (problems.length > 0) throw userError('NOT_COMPARABLE', { problems });
}

/** What each cell is invoked with: the axes it varies (their values may differ: cells in only one run are skipped) and the payload. */
type Workload = Pick<TuneResult['plan'], 'axes'> & Pick<TuneResult['run'], 'payload' | 'payloads'>;

function workloadDifferences(baseline: TuneResult, other: Workload): string[] {
  const axes = (list: readonly { name: string }[]) =>
    list
      .map((axis) => axis.name)
      .sort()
      .join(', ') || 'none';
  const problems: string[] = [];
  if (axes(baseline.plan.axes) !== axes(other.axes)) problems.push(`the axes differ (baseline: ${axes(baseline.plan.axes)}; this run: ${axes(other.axes)})`);
  // With a payload axis, files of the same name must hold the same payload; a file in one run only is a cell the other lacks.
  const before = baseline.run.payloads ?? { '': baseline.run.payload };
  const after = other.payloads ?? { '': other.payload };
  const differ = Object.keys(after).filter((name) => Object.hasOwn(before, name) && canonical(before[name]) !== canonical(after[name]));
  if (differ.length > 0) problems.push(differ[0] === '' ? 'the payloads differ' : `the payloads differ (${differ.join(', ')})`);
  return problems;
}

/** JSON with keys in order, so the same payload written two ways compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
