import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, describeRule, parseRule } from '../../src/gate/rules.js';

describe('rules', () => {
  it('reads relative and absolute thresholds, levels and scopes', () => {
    expect(parseRule('duration:p95 > 10% error')).toEqual({
      metric: 'duration',
      statistic: 'p95',
      worse: 'increase',
      threshold: { kind: 'relative', percent: 10 },
      level: 'error',
      scope: 'all',
    });
    expect(parseRule('cost > 5% warn recommended')).toMatchObject({
      metric: 'cost',
      threshold: { kind: 'relative', percent: 5 },
      level: 'warn',
      scope: 'recommended',
    });
    expect(parseRule('maxMemory > 900')).toMatchObject({ metric: 'maxMemory', threshold: { kind: 'absolute', limit: 900 }, level: 'error' });
    expect(parseRule('timing:mbPerSecond:p50 < 10% warn')).toMatchObject({ metric: 'timing:mbPerSecond', statistic: 'p50', worse: 'decrease' });
    expect(parseRule('coldStart:mean > 25%')).toMatchObject({ metric: 'coldStart', statistic: 'mean' });
  });

  it('says what is wrong with a rule it cannot read', () => {
    expect(() => parseRule('latency > 10%')).toThrow(/latency is not a metric/);
    expect(() => parseRule('duration < 10%')).toThrow(/only gets worse by going up/);
    expect(() => parseRule('timing:x < 5')).toThrow(/needs a relative threshold/);
    expect(() => parseRule('duration > ten')).toThrow(/does not read as/);
  });

  it('has defaults that parse and describe themselves back', () => {
    for (const text of DEFAULT_RULES) expect(describeRule(parseRule(text))).toBe(text);
  });
});
