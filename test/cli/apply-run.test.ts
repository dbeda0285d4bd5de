import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/gate/compare.js';
import {
  expectNoStack,
  found,
  FUNCTION,
  freshDir,
  memoryOf,
  ORIGINAL_MB,
  readApplyJournal,
  readResultIn,
  recommendedMb,
  reset,
  RUN,
  startApplyPlatform,
  tuneOn,
} from '../helpers/apply.js';
import { FIXTURES, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startApplyPlatform();
});
afterAll(() => t.stop());
beforeEach(() => reset(t));

describe('tune --apply', () => {
  it('sets the recommended memory on $LATEST, says so in one line, and is undone only when asked', async () => {
    const out = freshDir('apply-latest');
    const run = await tuneOn(t, [...RUN, '--out', out, '--apply', '--yes']);
    expectNoStack(run);
    expect(run.status, run.stderr).toBe(0);
    const memoryMb = recommendedMb(readResultIn(out));
    expect(run.stderr).toContain(`Applied: noop $LATEST ${ORIGINAL_MB} MB → ${memoryMb} MB (recommended: ${memoryMb} MB)\n`);
    expect(await found(t)).toEqual({ memoryMb, versions: ['$LATEST'], aliases: {} });
    expect(readApplyJournal(out)).toMatchObject({ state: 'applied', function: FUNCTION, originalMemoryMb: ORIGINAL_MB, appliedMemoryMb: memoryMb });

    // A finished apply stays through tune restore, which says how to undo it.
    const kept = await tuneOn(t, ['restore', out]);
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(`finished (noop $LATEST ${ORIGINAL_MB} MB → ${memoryMb} MB) and stays; "tune restore ${out} --undo-apply" undoes it.`);
    expect(await memoryOf(t)).toBe(memoryMb);

    const undone = await tuneOn(t, ['restore', out, '--undo-apply']);
    expect(undone.status, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`Undone: noop $LATEST back to ${ORIGINAL_MB} MB.`);
    expect(await memoryOf(t)).toBe(ORIGINAL_MB);
    expect(readApplyJournal(out).state).toBe('undone');
    expect((await tuneOn(t, ['restore', out, '--undo-apply'])).stdout).toContain('Nothing to do: the apply of');
  });

  it('with --local: applies to the platform the run started (which ends with the run), and says so', async () => {
    const out = freshDir('apply-local');
    const config = path.join(out, 'tune.config.json');
    writeFileSync(
      config,
      JSON.stringify({ local: { functions: [{ name: 'noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 192 }], s3: { buckets: [] } } }),
    );
    const run = await tuneOn(t, ['--local', '--config', config, ...RUN, '--out', out, '--apply', '--yes']);
    expectNoStack(run);
    expect(run.status, run.stderr).toBe(0);
    const memoryMb = recommendedMb(readResultIn(out));
    expect(run.stderr).toContain(`Applied: noop $LATEST 192 MB → ${memoryMb} MB (recommended: ${memoryMb} MB)\n`);
    expect(readApplyJournal(out)).toMatchObject({ state: 'applied', target: 'local' });
    // The platform of the test, standing in for AWS, was not touched.
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
  });

  it('with --apply-alias: points the alias at a new version with the recommended memory, and leaves $LATEST as it was', async () => {
    const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: FUNCTION, Description: "the user's release" }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: published.Version }));
    const out = freshDir('apply-alias');
    const run = await tuneOn(t, [...RUN, '--out', out, '--apply-alias', 'live', '--yes']);
    expectNoStack(run);
    expect(run.status, run.stderr).toBe(0);
    const memoryMb = recommendedMb(readResultIn(out));
    const users = published.Version!;
    const applied = new RegExp(
      `Applied: noop:live version ${users} at 192 MB → version (\\d+) at ${memoryMb} MB; \\$LATEST stays at 192 MB \\(recommended: ${memoryMb} MB\\)\n`,
    ).exec(run.stderr);
    expect(applied, run.stderr).not.toBeNull();
    const version = applied![1]!;
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST', users, version], aliases: { live: version } });
    expect(await memoryOf(t, 'live')).toBe(memoryMb);

    const undone = await tuneOn(t, ['restore', out, '--undo-apply']);
    expect(undone.status, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`Undone: noop:live back to version ${users}; deleted version ${version}.`);
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST', users], aliases: { live: users } });
  });

  it('is refused when the gate fails: the run exits 1 as any failed gate does, the verdicts are in gate.json, and nothing is changed', async () => {
    const base = freshDir('apply-base');
    expect((await tuneOn(t, [...RUN, '--out', base])).status).toBe(0);
    const baseline = path.join(freshDir('apply-baseline'), 'baseline.json');
    copyFileSync(path.join(base, 'result.json'), baseline);
    const out = freshDir('apply-gated');
    // No invocation takes under a microsecond: the rule fails every cell.
    const run = await tuneOn(t, [...RUN, '--out', out, '--baseline', baseline, '--rule', 'duration:p50 > 0.001 error', '--apply', '--yes']);
    expectNoStack(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Not applied: the gate found a regression against the baseline. Nothing was changed.');
    expect((JSON.parse(readFileSync(path.join(out, 'gate.json'), 'utf8')) as GateReport).status).toBe('fail');
    expect(existsSync(path.join(out, 'apply.json'))).toBe(false);
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
  });

  it('is refused after a run that stopped early (its budget ran out), with exit 2, and nothing is changed', async () => {
    const out = freshDir('apply-budget');
    const run = await tuneOn(t, [...RUN, '--out', out, '--budget', '0.000000001', '--apply', '--yes']);
    expectNoStack(run);
    expect(run.stderr).toContain(
      'Not applied: the run stopped early (its budget ran out), so its recommendation rests on part of the cells. Nothing was changed.',
    );
    expect(run.status).toBe(2);
    expect(await found(t)).toEqual({ memoryMb: ORIGINAL_MB, versions: ['$LATEST'], aliases: {} });
  });

  it('says so and changes nothing when the function already has the recommended memory', async () => {
    const base = freshDir('apply-same');
    expect((await tuneOn(t, [...RUN, '--out', base])).status).toBe(0);
    const result = path.join(base, 'result.json');
    const memoryMb = recommendedMb(readResultIn(base));
    await tuneOn(t, ['apply', result, '--yes']);
    const again = await tuneOn(t, ['apply', result, '--yes', '--out', freshDir('apply-again')]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(`Not changed: noop $LATEST already has ${memoryMb} MB, the recommended memory (recommended: ${memoryMb} MB)\n`);
    expect(await memoryOf(t)).toBe(memoryMb);
  });
});
