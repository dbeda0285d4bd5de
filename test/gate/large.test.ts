import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/gate/compare.js';
import { DEFAULT_RULES, parseRule } from '../../src/gate/rules.js';
import { durations, normal, resultOf, seeded } from '../helpers/gate.js';

/** Cells as large as a long load test gives: more values than a function call takes as arguments. */
const SAMPLES = 150_000;

describe('a cell of 150,000 samples', () => {
  const noise = normal(seeded(11));
  const cell = (meanMs: number, failures: number) => ({
    memoryMb: 1024,
    durations: durations(noise, meanMs, 0.1, SAMPLES),
    maxMemoryUsedMb: 120,
    failures,
    timings: (i: number) => ({ readMs: 40 + (i % 50) }),
    coldInitMs: [250, 260, 270],
  });
  const rules = DEFAULT_RULES.map(parseRule);

  it('is analysed', () => {
    const result = resultOf([cell(200, 0)]);
    expect(result.analysis.cells[0]).toMatchObject({ invocations: SAMPLES, errors: 0 });
    expect(result.analysis.cells[0]?.durationMs?.median).toBeCloseTo(200, -1);
  });

  it('passes the gate against a run like it, and fails it against one 15% slower with more errors', () => {
    const baseline = resultOf([cell(200, 0)]);
    expect(compareResults(baseline, resultOf([cell(200, 0)]), rules, 0.95).status).toBe('pass');
    const slower = compareResults(baseline, resultOf([cell(230, 1_500)]), rules, 0.95);
    expect(slower.status).toBe('fail');
    expect(slower.verdicts.filter((v) => v.outcome === 'error').map((v) => v.metric)).toEqual(expect.arrayContaining(['duration', 'errorRate']));
  });
});
