import { describe, expect, it } from 'vitest';
import { compareResults, type GateReport } from '../../src/gate/compare.js';
import { renderGateMarkdown, renderGateTerminal } from '../../src/gate/render.js';
import { DEFAULT_RULES, parseRule, type Rule } from '../../src/gate/rules.js';
import { markdownCode, markdownTableCell, markdownText, visible } from '../../src/report/escape.js';
import { type CellSpec, durations, normal, resultOf, seeded } from '../helpers/gate.js';
import { HOSTILE, HOSTILE_TIMING } from '../report/hostile.js';
import { codeSpans, linesWithSteering, markdownSkeleton, tableCells } from '../report/markup.js';

/**
 * A baseline and a slower run of a function with this name and a timing of this name: flagged
 * checks, skipped ones (no cold starts), a cell added, a cell gone, and a rule on the timing.
 */
function gateReport(fn: string, timing: string): GateReport {
  const noise = normal(seeded(7));
  const cell = (memoryMb: number, meanMs: number, n = 20): CellSpec => ({
    memoryMb,
    durations: durations(noise, meanMs, 0.03, n),
    timings: (i) => ({ [timing]: meanMs / 2 + i }),
  });
  const baseline = resultOf([cell(512, 100), cell(1024, 60), cell(2048, 40, 3)], { fn });
  const current = resultOf([cell(256, 300), cell(512, 140), cell(1024, 84)], { fn });
  const timingRule: Rule = {
    metric: `timing:${timing}`,
    statistic: 'p50',
    worse: 'increase',
    threshold: { kind: 'relative', percent: 10 },
    level: 'warn',
    scope: 'all',
  };
  return compareResults(baseline, current, [...DEFAULT_RULES.map(parseRule), timingRule], 0.95);
}

describe('the gate with a hostile function and timing name', () => {
  const hostile = gateReport(HOSTILE, HOSTILE_TIMING);
  const ordinary = gateReport('f', 'readMs');

  it('prints to the terminal no escape sequence, bidi control or extra line', () => {
    for (const verbose of [false, true]) {
      const text = renderGateTerminal(hostile, verbose);
      expect(linesWithSteering(text)).toEqual([]);
      expect(text.split('\n')).toHaveLength(renderGateTerminal(ordinary, verbose).split('\n').length);
      expect(text).toContain(`✗ error  ${visible(`${HOSTILE}/512MB`)}  duration:p50 > 10% error:`);
      expect(text).toContain(`New cells (not in the baseline): ${visible(`${HOSTILE}/256MB`)}.`);
    }
  });

  it('writes Markdown with no added markup, line or table column', () => {
    for (const verbose of [false, true]) {
      const md = renderGateMarkdown(hostile, verbose);
      expect(linesWithSteering(md)).toEqual([]);
      expect(markdownSkeleton(md)).toEqual(markdownSkeleton(renderGateMarkdown(ordinary, verbose)));
      const rows = md.split('\n').filter((line) => line.startsWith('|'));
      expect(rows.length).toBeGreaterThan(3);
      expect(rows.map((row) => tableCells(row).length)).toEqual(rows.map(() => 7));
      expect(md).toContain(`| ❌ error | ${markdownTableCell(markdownText(`${HOSTILE}/512MB`))} | \`duration:p50 > 10% error\` |`);
      expect(codeSpans(md)).toContain(`timing:${visible(HOSTILE_TIMING)}:p50 > 10% warn`);
      expect(md).toContain(`- Cells gone since the baseline: ${markdownText(`${HOSTILE}/2048MB`)}.`);
    }
    expect(renderGateMarkdown(hostile, true)).toContain(`- Skipped ${markdownCode('coldStart:p50 > 25% warn')} for ${markdownText(`${HOSTILE}/512MB`)}:`);
  });
});
