import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';
import type { ProgressEvent } from '../../src/measure/run.js';
import type { Sample } from '../../src/result/types.js';

const sample = { function: 'f', memoryMb: 512, params: { chunkSizeMb: 1 } } as unknown as Sample;
const events: ProgressEvent[] = [
  { kind: 'version', function: 'f', memoryMb: 512, version: '3', created: true },
  { kind: 'sample', cellId: 'f/512MB/chunkSizeMb=1', sample, done: 1, total: 4, spentUsd: 0.0001 },
  { kind: 'warning', message: 'slow logs' },
  { kind: 'cell-done', cellId: 'f/512MB/chunkSizeMb=1', samples: 4 },
  { kind: 'stopped', reason: 'budget', budgetUsd: 0.5 },
];

function shown(live: boolean): string {
  let text = '';
  const reporter = progressReporter({ stderrIsTty: live, stderr: { write: (chunk: string) => (text += chunk) } });
  for (const event of events) reporter.onEvent(event);
  reporter.done();
  return text;
}

describe('the progress of a run', () => {
  it('writes plain lines to a log, one per step, and no bar', () => {
    expect(shown(false).split('\n')).toEqual([
      'f: version 3 at 512 MB',
      'warning: slow logs',
      'f/512MB/chunkSizeMb=1: 4 measured',
      'Stopped before exceeding the budget of $0.500; the result holds what was measured.',
      '',
    ]);
  });

  it('keeps one live bar on a terminal, cleared before any line and at the end', () => {
    const text = shown(true);
    expect(text).toContain('[██████░░░░░░░░░░░░░░░░░░] 1/4  f/512MB/chunkSizeMb=1');
    expect(text).not.toContain('version 3');
    expect(text.indexOf('\r\x1b[2Kwarning: slow logs')).toBeGreaterThan(0);
    expect(text.endsWith('the result holds what was measured.\n')).toBe(true);
  });
});
