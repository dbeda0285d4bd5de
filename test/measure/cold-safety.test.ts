import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pricesFor } from '../../src/cost/prices.js';
import { UserError } from '../../src/errors.js';
import { LambdaGateway } from '../../src/lambda/gateway.js';
import { COLD_VARIABLE } from '../../src/measure/cold.js';
import { Journal } from '../../src/measure/journal.js';
import { restoreFromJournal } from '../../src/measure/restore.js';
import { measure, type MeasureSpec } from '../../src/measure/run.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let gateway: LambdaGateway;
/** Another user's client: what it changes, the run must not overwrite. */
let someone: LambdaClient;

/** JSON of {"BIG":"xxx…"} is this many bytes: with the cold variable added it is over 4096. */
const nearLimit = { BIG: 'x'.repeat(4096 - 12 - 30) };

beforeEach(async () => {
  t = await startTestPlatform({
    functions: [
      fixture('noop', { name: 'with-vars', memoryMb: 192, environment: { KEEP: '1', TABLE: 'orders' } }),
      fixture('noop', { name: 'big', environment: nearLimit }),
      fixture('noop', { name: 'left', environment: { [COLD_VARIABLE]: 'dead0000-3' } }),
    ],
  });
  gateway = new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50, settlePollMs: 50 });
  someone = new LambdaClient({ endpoint: t.platform.endpoints.lambda, region: t.platform.region, credentials: t.platform.credentials });
});
afterEach(async () => {
  someone.destroy();
  await t.stop();
});

const spec = (overrides: Partial<MeasureSpec> = {}): MeasureSpec => ({
  functions: ['with-vars'],
  memoryMb: [128, 256],
  axes: [],
  payload: {},
  invocations: 1,
  warmup: 0,
  concurrency: 1,
  coldStarts: 2,
  timings: [],
  maxConsecutiveFailures: 3,
  pricesOf: (snapshot) => pricesFor('us-east-1', snapshot.architecture),
  runId: 'safe0001',
  ...overrides,
});

function deps(over: LambdaGateway = gateway) {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-safety-')), 'journal.json'), {
    runId: 'safe0001',
    target: 'local',
    region: 'us-east-1',
    startedAt: 'now',
  });
  return { gateway: over, journal, signal: new AbortController().signal, onEvent: () => undefined, onSample: () => undefined };
}

async function state(name: string) {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return { memoryMb: config.MemorySize, environment: config.Environment?.Variables, versions: versions.Versions?.map((v) => v.Version) };
}

async function someoneSets(name: string, variables: Record<string, string>, memoryMb?: number): Promise<void> {
  await someone.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memoryMb, Environment: { Variables: variables } }));
  await waitUntilFunctionUpdatedV2({ client: someone, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
}

async function refusal(work: Promise<unknown>): Promise<UserError> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** A gateway that lets someone else deploy just before its `at`th update of variables. */
class Meddled extends LambdaGateway {
  private updates = 0;
  constructor(
    private readonly at: number,
    private readonly meddle: () => Promise<void>,
  ) {
    super(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50, settlePollMs: 50 });
  }
  override async setMemory(...args: Parameters<LambdaGateway['setMemory']>): Promise<void> {
    if (args[2] !== undefined && ++this.updates === this.at) await this.meddle();
    return super.setMemory(...args);
  }
}

describe('--cold refuses, before any change', () => {
  it('variables that would pass 4 KB with the cold variable (as Lambda measures them), saying so without their values', async () => {
    const before = await state('big');
    const error = await refusal(measure(spec({ functions: ['big'] }), deps()));
    expect(error.code).toBe('ENVIRONMENT_TOO_LARGE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/take \d+ bytes with the LAMBDA_TUNE_COLD variable .* over Lambda's 4096-byte limit/);
    expect(error.message).not.toContain('xxxx');
    expect(await state('big')).toEqual(before);
    // Without --cold the variables are not touched, so they are no concern.
    await expect(measure(spec({ functions: ['big'], coldStarts: 0, memoryMb: [128] }), deps())).resolves.toBeDefined();
  });

  it('a function another run left its cold variable on, or whose versions carry another run’s mark', async () => {
    const left = await refusal(measure(spec({ functions: ['left'] }), deps()));
    expect([left.code, left.exitCode]).toEqual(['TUNE_IN_PROGRESS', 2]);
    expect(left.message).toContain('the variable LAMBDA_TUNE_COLD on $LATEST');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'with-vars', Description: 'lambda-tune 0ther000: 512 MB' }));
    const other = await refusal(measure(spec({ coldStarts: 0 }), deps()));
    expect(other.code).toBe('TUNE_IN_PROGRESS');
    expect(other.message).toContain('version 1 "lambda-tune 0ther000: 512 MB"');
    expect(other.hint).toContain('tune restore');
    expect((await state('with-vars')).memoryMb).toBe(192);
  });

  it('not a version an apply published (it stays by design)', async () => {
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'with-vars', Description: 'lambda-tune apply a1: 256 MB' }));
    await expect(measure(spec({ coldStarts: 0, memoryMb: [128] }), deps())).resolves.toBeDefined();
  });
});

describe('a change someone makes during the run', () => {
  it('to the variables between two cold samples stops the run, and is kept: the run deletes its versions and leaves $LATEST alone', async () => {
    const meddled = new Meddled(2, () => someoneSets('with-vars', { KEEP: '2', TABLE: 'orders' }));
    const d = deps(meddled);
    const error = await refusal(measure(spec(), d));
    expect([error.code, error.exitCode]).toEqual(['CHANGED_DURING_RUN', 3]);
    expect(error.message).toMatch(/variables? .*KEEP.* differs?/);
    expect(error.message).not.toContain('orders');
    const after = await state('with-vars');
    expect(after.environment).toMatchObject({ KEEP: '2', TABLE: 'orders' });
    expect(after.versions).toEqual(['$LATEST']);
    expect(Journal.read(d.journal.file).state).toBe('running');
  });

  it('between reading $LATEST and updating it fails the update (RevisionId) instead of overwriting it', async () => {
    let meddled = false;
    t.lambda.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateFunctionConfigurationCommand' && !meddled) {
          meddled = true;
          await someoneSets('with-vars', { KEEP: '1', TABLE: 'orders', ADDED: 'yes' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'meddle' },
    );
    const error = await refusal(gateway.setMemory('with-vars', 512));
    expect(error.code).toBe('CHANGED_DURING_RUN');
    expect(await state('with-vars')).toMatchObject({ memoryMb: 192, environment: { ADDED: 'yes' } });
  });
});

describe('tune restore of a run that changed the variables', () => {
  async function diedMidCold(): Promise<string> {
    const d = deps();
    d.journal.addFunction('with-vars', 'with-vars', 192, { KEEP: '1', TABLE: 'orders' });
    d.journal.environmentChanged('with-vars');
    // The run's own gateway dies with it.
    await new LambdaGateway(t.lambda, t.logs, { settlePollMs: 50 }).setMemory('with-vars', 256, { KEEP: '1', TABLE: 'orders', [COLD_VARIABLE]: 'safe0001-1' });
    return d.journal.file;
  }

  it('refuses to overwrite a deploy made since (exit 3, naming what differs and how to finish), and with --force does', async () => {
    const file = await diedMidCold();
    await someoneSets('with-vars', { KEEP: '1', TABLE: 'customers' }, 1024);
    const fresh = new LambdaGateway(t.lambda, t.logs, { settlePollMs: 50 });
    const report = await restoreFromJournal(Journal.read(file), fresh);
    const error = report.failures[0] as UserError;
    expect([error.code, error.exitCode]).toEqual(['RESTORE_CHANGED', 3]);
    expect(error.message).toContain('variable TABLE differs');
    expect(error.message).not.toContain('customers');
    expect(error.hint).toMatch(/memory 192 MB and the variables KEEP, TABLE as they were.*--force/);
    expect(await state('with-vars')).toMatchObject({ memoryMb: 1024, environment: { TABLE: 'customers' } });
    expect(Journal.read(file).state).toBe('running');

    await restoreFromJournal(Journal.read(file), fresh, { force: true });
    expect(await state('with-vars')).toMatchObject({ memoryMb: 192, environment: { KEEP: '1', TABLE: 'orders' } });
  });

  it('writes only what differs: no request when all is back, no Environment when only the memory is not', async () => {
    const sent: Record<string, unknown>[] = [];
    t.lambda.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateFunctionConfigurationCommand') sent.push({ ...(args.input as Record<string, unknown>) });
        return next(args);
      },
      { step: 'initialize', name: 'spy' },
    );
    const file = await diedMidCold();
    await someoneSets('with-vars', { KEEP: '1', TABLE: 'orders' });
    sent.length = 0;
    await restoreFromJournal(Journal.read(file), new LambdaGateway(t.lambda, t.logs, { settlePollMs: 50 }));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ MemorySize: 192 });
    expect(sent[0]).not.toHaveProperty('Environment');

    const again = await diedMidCold();
    await someoneSets('with-vars', { KEEP: '1', TABLE: 'orders' }, 192);
    sent.length = 0;
    const report = await restoreFromJournal(Journal.read(again), new LambdaGateway(t.lambda, t.logs, { settlePollMs: 50 }));
    expect(report.failures).toEqual([]);
    expect(sent).toEqual([]);
  });
});
