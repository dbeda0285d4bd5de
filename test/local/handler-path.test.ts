import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidParameterValueException, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema, parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { handlerProblem, resolveHandlerFile } from '../../src/local/handler-path.js';
import { startPlatform } from '../../src/local/platform.js';
import { payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A project folder with a function's code, a secret beside it, and links in the code folder pointing out. */
const root = mkdtempSync(path.join(tmpdir(), 'lambda-tune-handler-'));
const code = path.join(root, 'code');
const outside = path.join(root, 'outside');
mkdirSync(path.join(code, 'lib'), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(code, 'index.mjs'), 'export const handler = async () => "inside";\n');
writeFileSync(path.join(code, 'lib', 'other.mjs'), 'export const handler = async () => "also inside";\n');
writeFileSync(path.join(outside, 'evil.mjs'), 'export const handler = async () => "outside";\n');
symlinkSync(path.join(outside, 'evil.mjs'), path.join(code, 'linked.mjs'));
symlinkSync(outside, path.join(code, 'linked-dir'));
symlinkSync(path.join(code, 'index.mjs'), path.join(code, 'alias.mjs'));

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [localFunctionSchema.parse({ name: 'contained', handler: path.join(code, 'index.handler') })] });
});
afterAll(async () => {
  await t.stop();
  rmSync(root, { recursive: true, force: true });
});

const update = (Handler: string) => t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'contained', Handler })).catch((e: unknown) => e);

describe("a function's handler", () => {
  it.each([
    ['index.handler', path.join(code, 'index.mjs')],
    ['lib/other.handler', path.join(code, 'lib', 'other.mjs')],
    ['alias.handler', path.join(code, 'alias.mjs')],
  ])('may name %s, a file inside its code folder (a link that stays inside too)', (handler, file) => {
    expect(resolveHandlerFile(code, handler)).toEqual({ file });
  });

  it('may name a file that does not exist yet: the invocation reports that, as on Lambda', () => {
    expect(handlerProblem(code, 'missing.handler')).toBeUndefined();
  });

  it.each([
    ['../outside/evil.handler', /goes up out of its folder/],
    ['lib/../../outside/evil.handler', /goes up out of its folder/],
    [`${path.join(outside, 'evil')}.handler`, /is an absolute path/],
    ['linked.handler', /symbolic link \(to .*outside\/evil\.mjs\)/],
    ['linked-dir/evil.handler', /symbolic link/],
  ])('may not reach out of its folder: %s', (handler, problem) => {
    expect(handlerProblem(code, handler)).toMatch(problem);
  });

  it.each(['../outside/evil.handler', `${path.join(outside, 'evil')}.handler`, 'linked.handler', 'linked-dir/evil.handler'])(
    'is refused at UpdateFunctionConfiguration with InvalidParameterValueException: %s',
    async (handler) => {
      const error = await update(handler);
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect((error as Error).message).toContain(`Handler ${JSON.stringify(handler)}`);
      expect((error as Error).message).toContain("inside the function's code folder");
    },
  );

  it('can be changed to another file inside the folder, which then runs', async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'contained', Handler: 'lib/other.handler' }));
    await expect
      .poll(async () => payloadJson((await t.lambda.send(new InvokeCommand({ FunctionName: 'contained' }))).Payload), { timeout: 5000 })
      .toBe('also inside');
  });

  it('is refused when the platform starts with a function whose handler is a link out of its folder', async () => {
    const linked = { name: 'linked', handler: path.join(code, 'linked.handler') };
    await expect(startPlatform({ port: 0, s3: false, functions: [localFunctionSchema.parse(linked)] })).rejects.toThrow(
      /Function linked: Handler "linked.handler" leads out/,
    );
    let error: unknown;
    try {
      parseLocalSection({ functions: [{ name: 'linked', handler: 'code/linked.handler' }] }, root, 'tune.config.json');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('local.functions[0].handler: Handler "linked.handler" leads out of the function\'s code folder');
  });
});

describe('the runtime', () => {
  it('refuses a handler file that became a link out of its folder after the function was configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-swapped-'));
    writeFileSync(path.join(dir, 'app.mjs'), 'export const handler = async () => "inside";\n');
    const own = await startTestPlatform({ functions: [localFunctionSchema.parse({ name: 'swapped', handler: path.join(dir, 'app.handler') })] });
    try {
      rmSync(path.join(dir, 'app.mjs'));
      symlinkSync(path.join(outside, 'evil.mjs'), path.join(dir, 'app.mjs'));
      const result = await own.lambda.send(new InvokeCommand({ FunctionName: 'swapped' }));
      expect(result.FunctionError).toBe('Unhandled');
      expect(payloadJson<{ errorType: string; errorMessage: string }>(result.Payload)).toMatchObject({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: expect.stringContaining('leads out of the function') as string,
      });
    } finally {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
