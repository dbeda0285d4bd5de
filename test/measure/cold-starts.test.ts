import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { pricesFor } from '../../src/cost/prices.js';
import { LambdaGateway } from '../../src/lambda/gateway.js';
import { COLD_VARIABLE, coldVersionDescription } from '../../src/measure/cold.js';
import { Journal } from '../../src/measure/journal.js';
import { restoreFromJournal } from '../../src/measure/restore.js';
import { measure, type MeasureSpec, type ProgressEvent } from '../../src/measure/run.js';
import type { Sample } from '../../src/result/types.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let gateway: LambdaGateway;

beforeEach(async () => {
  t = await startTestPlatform({
    functions: [
      fixture('noop', { name: 'with-vars', memoryMb: 192, environment: { KEEP: '1', TABLE: 'orders' } }),
      fixture('noop', { name: 'bare' }),
      fixture('chunky', { timeoutS: 10 }),
    ],
  });
  gateway = new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50, settlePollMs: 50 });
});
afterEach(() => t.stop());

const spec = (overrides: Partial<MeasureSpec> = {}): MeasureSpec => ({
  functions: ['with-vars', 'bare'],
  memoryMb: [128, 256],
  axes: [],
  payload: {},
  invocations: 2,
  warmup: 0,
  concurrency: 2,
  coldStarts: 2,
  timings: [],
  maxConsecutiveFailures: 3,
  pricesOf: (snapshot) => pricesFor('us-east-1', snapshot.architecture),
  runId: 'coldtest',
  ...overrides,
});

function deps() {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-cold-')), 'journal.json'), {
    runId: 'coldtest',
    target: 'local',
    region: 'us-east-1',
    startedAt: 'now',
  });
  const events: ProgressEvent[] = [];
  const written: Sample[] = [];
  const signal = new AbortController().signal;
  return { gateway, journal, signal, events, written, onEvent: (e: ProgressEvent) => void events.push(e), onSample: (s: Sample) => void written.push(s) };
}

/** What the run must leave as it found it: memory, variables (exactly), and no versions. */
async function state(name: string) {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return { memoryMb: config.MemorySize, environment: config.Environment?.Variables, versions: versions.Versions?.map((v) => v.Version) };
}

describe('--cold on the local platform', () => {
  it('takes N cold samples a cell, each with its init duration, then deletes every version and restores the variables exactly', async () => {
    const before = { withVars: await state('with-vars'), bare: await state('bare') };
    expect(before.bare.environment).toEqual({});
    const d = deps();
    const outcome = await measure(spec(), d);
    expect(outcome.stoppedBy).toBeUndefined();

    const probes = outcome.samples.filter((s) => s.coldProbe === true);
    expect(probes).toHaveLength(2 * 2 * 2);
    for (const probe of probes) {
      expect(probe).toMatchObject({ cold: true, warmup: false, status: 'success' });
      expect(probe.initDurationMs).toBeGreaterThan(0);
    }
    // Each cold sample was the one invocation of a version of its own.
    const published = d.events.filter((e) => e.kind === 'cold-sample');
    expect(published).toHaveLength(8);

    const functions = ['with-vars', 'bare'].map((name) => ({ name, architecture: 'x86_64' as const, prices: pricesFor('us-east-1', 'x86_64') }));
    const { cells } = analyze(outcome.samples, { functions: ['with-vars', 'bare'], memoryMb: [128, 256], axes: [] }, functions, {
      strategy: 'balanced',
      weight: 0.5,
      percentile: 95,
    });
    expect(cells.map((c) => [c.id, c.cold.count, c.invocations])).toEqual([
      ['with-vars/128MB', 2, 2],
      ['with-vars/256MB', 2, 2],
      ['bare/128MB', 2, 2],
      ['bare/256MB', 2, 2],
    ]);
    for (const cell of cells) {
      expect(cell.cold.initDurationMs!.median).toBeGreaterThan(0);
      expect(cell.cold.totalDurationMs!.median).toBeCloseTo(cell.cold.initDurationMs!.median + cell.cold.durationMs!.median, -1);
    }

    expect(await state('with-vars')).toEqual(before.withVars);
    expect(await state('bare')).toEqual(before.bare);
    expect(d.journal.state).toBe('restored');
    // Once they are back, the journal keeps none of the variables (they may be secrets).
    expect(readFileSync(d.journal.file, 'utf8')).not.toMatch(/TABLE|orders/);
  });

  it('goes on from the cold samples an interrupted run already took', async () => {
    const first = await measure(spec({ functions: ['bare'], memoryMb: [128], coldStarts: 3 }), deps());
    const kept = first.samples.filter((s) => s.coldProbe !== true).concat(first.samples.filter((s) => s.coldProbe === true).slice(0, 1));
    const d = deps();
    const resumed = await measure(spec({ functions: ['bare'], memoryMb: [128], coldStarts: 3, prior: kept }), d);
    expect(resumed.samples.filter((s) => s.coldProbe === true)).toHaveLength(3);
    // The warm cell was complete: only the two missing cold samples were taken.
    expect(d.written).toHaveLength(2);
  });

  it('takes no cold samples of a cell that failed warm: it is never recommended', async () => {
    const outcome = await measure(spec({ functions: ['chunky'], memoryMb: [128], axes: [{ name: 'chunkSizeMb', values: [1, 100] }], coldStarts: 1 }), deps());
    const probes = outcome.samples.filter((s) => s.coldProbe === true);
    expect(probes.map((s) => s.params)).toEqual([{ chunkSizeMb: 1 }]);
    expect(outcome.samples.some((s) => s.params['chunkSizeMb'] === 100 && s.status === 'error')).toBe(true);
  });

  it('puts back the variables of a run that died between changing them and deleting its version', async () => {
    const before = await state('with-vars');
    const d = deps();
    d.journal.addFunction('with-vars', 'with-vars', 192, { KEEP: '1', TABLE: 'orders' });
    d.journal.environmentChanged('with-vars');
    await gateway.setMemory('with-vars', 256, { KEEP: '1', TABLE: 'orders', [COLD_VARIABLE]: 'coldtest-1' });
    d.journal.publishing('with-vars');
    await gateway.publish('with-vars', coldVersionDescription('coldtest', 256, 1), new Set());
    // The run dies here: $LATEST has the extra variable and a version the journal never heard of.
    const left = await state('with-vars');
    expect(left.environment).toMatchObject({ [COLD_VARIABLE]: 'coldtest-1' });
    expect(left.versions).toHaveLength(2);

    const journal = Journal.read(d.journal.file);
    expect(journal.needsRestore).toBe(true);
    const report = await restoreFromJournal(journal, gateway);
    expect(report.memoryRestored).toEqual(['with-vars → 192 MB and its environment variables']);
    expect(await state('with-vars')).toEqual(before);
    expect(Journal.read(d.journal.file).state).toBe('restored');
  });

  it('puts back "no variables" exactly, and a journal without an environment changes none', async () => {
    const d = deps();
    d.journal.addFunction('bare', 'bare', 128, {});
    d.journal.environmentChanged('bare');
    await gateway.setMemory('bare', 512, { [COLD_VARIABLE]: 'coldtest-1' });
    await restoreFromJournal(Journal.read(d.journal.file), gateway);
    expect((await state('bare')).environment).toEqual({});

    const plain = deps();
    plain.journal.addFunction('with-vars', 'with-vars', 192);
    expect(() => {
      plain.journal.environmentChanged('with-vars');
    }).toThrow(/no original environment/);
  });
});
