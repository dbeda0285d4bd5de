import { describe, expect, it } from 'vitest';
import { historyChart } from '../../src/history/chart.js';
import { digestResult } from '../../src/history/digest.js';
import { buildHistory } from '../../src/history/history.js';
import { renderHistoryMarkdown } from '../../src/history/markdown.js';
import { renderHistoryTerminal } from '../../src/history/terminal.js';
import type { History } from '../../src/history/types.js';
import { visible } from '../../src/report/escape.js';
import { HOSTILE, HOSTILE_WORDS, ORDINARY, resultWith } from '../report/hostile.js';
import { codeSpans, linesWithSteering, markdownSkeleton, STEERING } from '../report/markup.js';
import { resultOn, series, GRID } from './series.js';
import { durations, normal, seeded } from '../helpers/gate.js';

function historyOf(results: Parameters<typeof digestResult>[0][], origins = results.map((_, i) => `run-${i + 1}/result.json`)): History {
  const digests = results.map((result, i) => digestResult(result, { origin: origins[i]! }));
  return buildHistory(digests, { confidence: 0.95, minChangePercent: 5, orderedBy: 'startedAt' }, [
    { origin: 'bad/result.json', reason: 'plan: expected an object' },
  ]);
}

describe('rendering a history', () => {
  /** The same numbers under other words: a history of three runs with a change point, a run not comparable and a skipped file. */
  function historyWith(words: typeof ORDINARY): History {
    const noise = normal(seeded(3));
    const cells = (factor: number) => GRID.map((c) => ({ memoryMb: c.memoryMb, chunkMb: c.chunkMb, durations: durations(noise, c.meanMs * factor, 0.05) }));
    const results = [resultOn(1, cells(1), words.fn), resultOn(2, cells(1.5), words.fn), resultWith(words)];
    return historyOf(results, ['a', `b${words.fn}`, 'c']);
  }

  it('adds no markup, line or table column to report-history.md, and no control character anywhere', () => {
    const hostile = historyWith(HOSTILE_WORDS);
    expect(hostile.changePoints).toEqual([2]);
    const markdown = renderHistoryMarkdown(hostile);
    expect(linesWithSteering(markdown)).toEqual([]);
    expect(markdownSkeleton(markdown)).toEqual(markdownSkeleton(renderHistoryMarkdown(historyWith(ORDINARY))));
    expect(codeSpans(markdown)).toContain(`${visible(HOSTILE)}/512MB/chunkSizeMb=20`);
    expect(codeSpans(markdown)).toContain(`b${visible(HOSTILE)}`);
    const terminal = renderHistoryTerminal(hostile);
    expect(linesWithSteering(terminal)).toEqual([]);
    expect(terminal.split('\n')).toHaveLength(renderHistoryTerminal(historyWith(ORDINARY)).split('\n').length);
    expect(terminal).toContain(visible(HOSTILE));
    expect(JSON.stringify(historyChart(hostile))).not.toMatch(STEERING);
  });

  it('lists the runs that are not comparable and those skipped, in the terminal and in Markdown', () => {
    const history = historyOf([series(1)[0]!, resultWith(ORDINARY)]);
    const terminal = renderHistoryTerminal(history);
    expect(terminal).toMatch(
      /^✗ Run 2 \(2026-11-21 10:00\) is not comparable with run 1: functions differ \(hasher → hasher, hasher-arm\); the payloads differ\.$/m,
    );
    expect(terminal).toContain('Skipped 1 file that is not a valid result:\n    bad/result.json: plan: expected an object');
    const markdown = renderHistoryMarkdown(history);
    expect(markdown).toContain(
      '## Not compared with the run before\n\n- Run 2 (2026-11-21 10:00, `run-2/result.json`): functions differ (hasher → hasher, hasher-arm); the payloads differ.',
    );
    expect(markdown).toMatch(/^\| 2 \| 2026-11-21 10:00 \| .* \| not comparable \|$/m);
    expect(markdown).toContain('# lambda-tune history: `hasher`, `hasher-arm`');
  });

  it('draws the recommended configuration over runs, named where it changes, with the change points marked', () => {
    const history = historyOf(series(6, { shiftAt: 4, shifted: 3, factor: 1.2 }));
    const config = historyChart(history) as { type: string; data: { labels: string[]; datasets: { label: string; data: unknown[] }[] } };
    expect(config.type).toBe('line');
    expect(config.data.labels).toEqual([
      '2026-11-01 10:00',
      '2026-11-02 10:00',
      '2026-11-03 10:00',
      '2026-11-04 10:00',
      '2026-11-05 10:00',
      '2026-11-06 10:00',
    ]);
    const [duration, cost, changes] = config.data.datasets;
    expect((duration!.data as { label: string }[]).map((p) => p.label)).toEqual([
      'hasher 512 MB, chunkSizeMb=20',
      '',
      '',
      'hasher 512 MB, chunkSizeMb=10',
      '',
      '',
    ]);
    expect(cost!.data.every((y) => typeof y === 'number')).toBe(true);
    expect(changes!.data.map((y) => y !== null)).toEqual([false, false, false, true, false, false]);
  });
});

describe('a run that stopped early', () => {
  it('is compared over the cells it measured, and the table says it stopped', () => {
    const [first, second] = series(2);
    const stopped = { ...second!, run: { ...second!.run, stoppedBy: 'budget' as const } };
    const history = historyOf([first!, stopped]);
    expect(history.runs[1]!.comparison.status).toBe('compared');
    expect(renderHistoryTerminal(history)).toMatch(/^2 {2}2026-11-02 10:00 .* {2}stopped early \(budget\)$/m);
  });
});
