import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneConfig } from '../../src/config/tune-config.js';
import { runTune, type TuneDeps } from '../../src/engine/run-tune.js';
import { rangeSizes } from '../../src/plan/memory-range.js';
import { readResult, RESULT_FILE } from '../../src/result/files.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { writeReports } from '../../src/report/write.js';
import { ShapedGateway } from '../helpers/shaped-gateway.js';

const range = { fromMb: 128, toMb: 3008, stepMb: 64 };

const config = (overrides: Partial<TuneConfig> = {}): TuneConfig => ({
  functions: ['f'],
  memoryMb: rangeSizes(range),
  memoryRange: range,
  axes: [],
  payload: {},
  invocations: 10,
  warmup: 1,
  concurrency: 4,
  timings: [],
  timingSpecs: [],
  selection: { strategy: 'balanced', weight: 0.5, percentile: 95 },
  prices: { billInit: true },
  sampling: 'adaptive',
  precision: 0.05,
  minInvocations: 3,
  ...overrides,
});

function deps(gateway: ShapedGateway): TuneDeps {
  return {
    gateway,
    target: { kind: 'aws', region: 'us-east-1', profile: undefined },
    out: mkdtempSync(path.join(tmpdir(), 'lambda-tune-adaptive-engine-')),
    onEvent: () => undefined,
    onInterrupt: () => () => undefined,
  };
}

// CPU-bound: 20 ms + 400 ms of CPU at one vCPU (1,769 MB).
const cpuBound = (memoryMb: number) => 20 + (400 * 1769) / Math.min(memoryMb, 1769);

describe('a memory range, searched', () => {
  it('measures a few sizes, says why each, records the plan as what it measured, and reads back', async () => {
    const gateway = new ShapedGateway(cpuBound);
    const d = deps(gateway);
    const result = await runTune(config(), d);
    const search = result.run.sampling?.memorySearch;
    expect(search?.measured.slice(0, 4).map((m) => [m.memoryMb, m.reason])).toEqual([
      [128, 'probe'],
      [384, 'probe'],
      [1024, 'probe'],
      [3008, 'probe'],
    ]);
    const measured = search?.measured.map((m) => m.memoryMb) ?? [];
    expect(measured.length).toBeLessThan(15);
    expect(result.plan.memoryMb).toEqual([...measured].sort((a, b) => a - b));
    expect(gateway.published).toHaveLength(measured.length);
    expect(Object.keys(result.run.sampling?.stoppedBecause ?? {})).toHaveLength(measured.length);
    expect(result.run.sampling?.fixedPlanInvocations).toBe(46 * 11);
    expect(result.run.sampling?.invocations).toBeLessThan(46 * 11 * 0.2);
    writeReports(result, d.out, ['json']);
    expect(readResult(path.join(d.out, RESULT_FILE)).run.sampling).toEqual(result.run.sampling);
  });

  it('shows why each cell stopped and what adaptive sampling saved', async () => {
    const result = await runTune(config(), deps(new ShapedGateway(cpuBound)));
    const terminal = renderTerminal(result);
    expect(terminal).toMatch(/stopped/);
    expect(terminal).toMatch(
      /Adaptive sampling \(median within ±5% at 95%, 3 to 10 invocations a cell\): \d+ invocations where the fixed plan makes 506; \d+ saved/,
    );
    expect(terminal).toMatch(/Memory searched over 128\.\.3008 MB in 64 MB steps \(46 sizes\): measured \d+, in order: 128 MB \(probe\), 384 MB \(probe\)/);
    expect(renderMarkdown(result)).toMatch(/- Adaptive sampling/);
  });

  it('measures every size of the range with --sampling fixed, and records no sampling', async () => {
    const gateway = new ShapedGateway(cpuBound);
    const result = await runTune(
      config({ sampling: 'fixed', memoryRange: { fromMb: 128, toMb: 384, stepMb: 128 }, memoryMb: [128, 256, 384], invocations: 2 }),
      deps(gateway),
    );
    expect(gateway.published).toHaveLength(3);
    expect(result.run.sampling).toBeUndefined();
    expect(result.plan.memoryMb).toEqual([128, 256, 384]);
  });
});
