import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { describeRule, parseRule, type Rule, type Statistic } from '../../src/gate/rules.js';
import { anyText, holds, mostly, unlessExpected } from './check.js';

const FIXED = ['duration', 'cost', 'maxMemory', 'errorRate', 'coldStart'] as const;
const STATISTICS: readonly Statistic[] = ['p50', 'p90', 'p95', 'p99', 'mean'];
/** The metrics describeRule writes a statistic for; the others compare every sample whatever the statistic. */
const hasStatistic = (metric: string) => metric === 'duration' || metric === 'coldStart' || metric.startsWith('timing:');

/** Whitespace as `\s` reads it, unicode spaces included. */
const space = (minLength: number) => fc.string({ unit: fc.constantFrom(' ', '\t', '\u00a0', '\u2003', '\ufeff'), minLength, maxLength: 3 });

/** A threshold as someone might type it: 5, 05.50, 5., .5, 0.0000001, or more digits than a double holds. */
const numberText = fc.oneof(
  fc.stringMatching(/^\d{1,6}(\.\d{0,6})?$/),
  fc.stringMatching(/^\.\d{1,8}$/),
  fc.stringMatching(/^0\.0{5,30}[1-9]\d{0,3}$/),
  fc.stringMatching(/^[1-9]\d{15,30}$/),
  fc.stringMatching(/^[1-9]\d{300,320}$/),
);

interface RuleText {
  text: string;
  /** The rule it means, or undefined when its number is beyond a double. */
  rule: Rule | undefined;
}

/** Any rule parseRule should accept, written with any spacing, with the Rule it means. */
const ruleText: fc.Arbitrary<RuleText> = fc
  .record({
    metric: fc.oneof(
      fc.constantFrom(...FIXED),
      fc.stringMatching(/^[A-Za-z_][\w.-]{0,12}$/).map((name) => `timing:${name}`),
    ),
    statistic: fc.option(fc.constantFrom(...STATISTICS), { nil: undefined }),
    decrease: fc.boolean(),
    relative: fc.boolean(),
    number: numberText,
    level: fc.option(fc.constantFrom('warn' as const, 'error' as const), { nil: undefined }),
    scope: fc.option(fc.constantFrom('all' as const, 'recommended' as const), { nil: undefined }),
    gaps: fc.array(space(0), { minLength: 6, maxLength: 6 }),
  })
  .map(({ metric, statistic, decrease, relative, number, level, scope, gaps }) => {
    const worse = decrease && relative && metric.startsWith('timing:') ? 'decrease' : 'increase';
    const [g0, g1, g2, g3, g4, g5] = gaps as [string, string, string, string, string, string];
    const text = [
      g0,
      metric,
      statistic === undefined ? '' : `:${statistic}`,
      g1,
      worse === 'decrease' ? '<' : '>',
      g2,
      number,
      relative ? '%' : '',
      level === undefined ? '' : `${g3}${level}`,
      scope === undefined ? '' : `${g4}${scope}`,
      g5,
    ].join('');
    const value = Number(number);
    const rule: Rule | undefined = Number.isFinite(value)
      ? {
          metric: metric as Rule['metric'],
          statistic: statistic ?? 'p50',
          worse,
          threshold: relative ? { kind: 'relative', percent: value } : { kind: 'absolute', limit: value },
          level: level ?? 'error',
          scope: scope ?? 'all',
        }
      : undefined;
    return { text, rule };
  });

const isBadRule = (error: unknown) => error instanceof UserError && error.code === 'BAD_RULE';

/** describeRule's text parses back to the rule (its statistic aside where the metric has none), and describes itself. */
function expectCanonical(rule: Rule): void {
  const canonical = describeRule(rule);
  const again = parseRule(canonical);
  expect(again).toEqual(hasStatistic(rule.metric) ? rule : { ...rule, statistic: 'p50' });
  expect(describeRule(again)).toBe(canonical);
}

/** Text in a rule's order, each part mostly right and sometimes a word from elsewhere in a rule, or nothing. */
const ruleSoup = fc
  .tuple(
    mostly(fc.constantFrom(...FIXED, 'timing:x', 'timing:a.b-c'), fc.constantFrom('latency', 'timing:', 'timing:9', 'Duration', '')),
    mostly(fc.constantFrom('', ':p50', ':p99', ':mean'), fc.constantFrom(':p42', ':', 'p95', ': p50')),
    space(0),
    mostly(fc.constantFrom('>', '<'), fc.constantFrom('>=', '=', '', '=>')),
    space(0),
    mostly(numberText, fc.constantFrom('-5', '1e5', '.', '..', '1.2.3', 'ten', '0x10', '')),
    mostly(fc.constantFrom('%', ''), fc.constantFrom('%%', ' %', 'pct')),
    space(0),
    mostly(fc.constantFrom('', 'warn', 'error'), fc.constantFrom('fail', 'warning', 'ERROR')),
    space(0),
    mostly(fc.constantFrom('', 'all', 'recommended'), fc.constantFrom('some', 'recommend', 'all all')),
  )
  .map((parts) => parts.join(''));

export function ruleProperties(): void {
  describe('gate rules', () => {
    it('any well-formed rule text parses to the rule it means, or says its number is too big', () => {
      holds(
        fc.property(ruleText, ({ text, rule }) => {
          if (rule === undefined) expect(() => parseRule(text)).toThrow(/is not a number/);
          else expect(parseRule(text)).toEqual(rule);
        }),
        10_000,
      );
    });

    it('describeRule of any rule is a canonical text that parses back to it', () => {
      holds(
        fc.property(ruleText, ({ rule }) => {
          if (rule !== undefined) expectCanonical(rule);
        }),
        8_000,
      );
    });

    it('any text gives a rule that describes itself back, or a BAD_RULE UserError', () => {
      holds(
        fc.property(fc.oneof(anyText(60), ruleSoup), (text) => {
          const rule = unlessExpected(() => parseRule(text), isBadRule);
          if (rule === undefined) return;
          const value = rule.threshold.kind === 'relative' ? rule.threshold.percent : rule.threshold.limit;
          expect(Number.isFinite(value) && value >= 0).toBe(true);
          expect(rule.worse === 'increase' || (rule.metric.startsWith('timing:') && rule.threshold.kind === 'relative')).toBe(true);
          expectCanonical(rule);
        }),
        10_000,
      );
    });

    it('counterexamples the properties found: thresholds String() writes with an exponent describe in plain digits', () => {
      expect(describeRule(parseRule('duration > 0.0000001%'))).toBe('duration:p50 > 0.0000001% error');
      const huge = `1${'0'.repeat(300)}`;
      expect(describeRule(parseRule(`cost > ${huge}`))).toBe(`cost > ${huge} error`);
      expect(parseRule(describeRule(parseRule('timing:x < 0.00000015%')))).toMatchObject({ threshold: { kind: 'relative', percent: 1.5e-7 } });
    });
  });
}
