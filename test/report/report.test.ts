import { describe, expect, it } from 'vitest';
import { parseMeasurements } from '../../src/parse/measurements.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { twoFunctionResult } from '../helpers/results.js';

describe('report.md', () => {
  it('matches the committed snapshot for two builds with a failed cell', async () => {
    await expect(renderMarkdown(twoFunctionResult())).toMatchFileSnapshot('./__snapshots__/two-functions.md');
  });

  it('leads with the recommendation, its rule and the saving against the current memory', () => {
    const md = renderMarkdown(twoFunctionResult());
    const lines = md.split('\n');
    expect(lines[2]).toMatch(/^\*\*Recommended: `hasher-arm` at 512 MB with 20 MB chunks\*\*: \$[\d.]+ per million invocations, median 600 ms, p95 624 ms\.$/);
    expect(md).toContain('Chosen by: lowest cost^0.5 × duration^0.5');
    expect(md).toContain("That is the configuration it already has (512 MB).");
    expect(md).toMatch(/\| `hasher` \(x86_64\) \| 128 MB \| 20 MB \| 3 \| 4: Runtime\.OutOfMemory ×4 \|.*\| ✗ \|/);
  });

  it('renders the same bytes from the same result, also after a round trip through JSON', () => {
    const result = twoFunctionResult();
    const again = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(renderMarkdown(again)).toBe(renderMarkdown(result));
    expect(renderSamplesCsv(again)).toBe(renderSamplesCsv(result));
    expect(renderTerminal(again)).toBe(renderTerminal(result));
  });
});

describe('samples.csv', () => {
  it('has every invocation and reads back through tune analyze', () => {
    const result = twoFunctionResult();
    const csv = renderSamplesCsv(result);
    expect(csv.split('\n')[0]).toBe('function,memoryMb,chunkMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType,cold,warmup,requestId,timing.readMs');
    const back = parseMeasurements(csv, 'unused');
    expect(back).toHaveLength(result.samples.length);
    expect(back.map((s) => [s.function, s.memoryMb, s.chunkMb, s.durationMs, s.status, s.cold])).toEqual(
      result.samples.map((s) => [s.function, s.memoryMb, s.chunkMb, s.durationMs, s.status, s.cold]),
    );
  });
});
