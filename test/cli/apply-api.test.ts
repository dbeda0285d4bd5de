import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, type Platform, startPlatform, tune, UserError } from '../../src/index.js';
import { FIXTURES } from '../helpers/platform.js';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ functions: [{ name: 'noop', handler: path.join(FIXTURES, 'noop.handler'), memoryMb: 192 }], s3: { buckets: [] } });
});
afterAll(() => platform.stop());

describe('apply from code', () => {
  it("sets a result's recommendation on the function of the platform given, and says what it did", async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-apply-api-'));
    const result = await tune({ function: 'noop', memory: [128, 256], invocations: 3, warmup: 0, local: platform, out, stderr: { write: () => true } });
    const spot = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId)!;
    const said = await apply(path.join(out, 'result.json'), { local: platform });
    expect(said).toBe(`Applied: noop $LATEST 192 MB → ${spot.memoryMb} MB (recommended: ${spot.memoryMb} MB)`);
    const lambda = new LambdaClient({ endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials });
    try {
      expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).MemorySize).toBe(spot.memoryMb);
    } finally {
      lambda.destroy();
    }
    // A result of the local platform is applied only to a platform.
    const refused: unknown = await apply(path.join(out, 'result.json')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ code: 'APPLY_WRONG_TARGET', exitCode: 2 });
  });
});
