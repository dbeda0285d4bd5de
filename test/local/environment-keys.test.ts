import { InvalidParameterValueException, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { codeLoadingKeys, RESERVED_ENV_KEYS, reservedKeys } from '../../src/local/environment-keys.js';
import { startPlatform } from '../../src/local/platform.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('noop', { environment: { KEEP: 'me' } })] });
});
afterAll(() => t.stop());

const setVariables = (Variables: Record<string, string>) =>
  t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'noop', Environment: { Variables } })).catch((e: unknown) => e);

function configProblem(environment: Record<string, string>): string {
  try {
    parseLocalSection({ functions: [{ name: 'f', handler: 'src/index.handler', environment }] }, '/project', 'tune.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error('expected the config to be refused');
}

describe('environment variables a function may not set', () => {
  it("holds AWS's documented list of reserved keys", () => {
    expect([...RESERVED_ENV_KEYS].sort()).toEqual(
      [
        '_HANDLER',
        '_X_AMZN_TRACE_ID',
        'AWS_DEFAULT_REGION',
        'AWS_REGION',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_ACCESS_KEY',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_LAMBDA_RUNTIME_API',
        'LAMBDA_TASK_ROOT',
        'LAMBDA_RUNTIME_DIR',
      ].sort(),
    );
    expect(reservedKeys(['KEEP', 'AWS_REGION', 'TZ'])).toEqual(['AWS_REGION']);
  });

  it('takes loader and interpreter variables as code loading, and leaves ordinary ones alone', () => {
    const keys = [
      'NODE_OPTIONS',
      'NODE_PATH',
      'LD_PRELOAD',
      'LD_LIBRARY_PATH',
      'DYLD_INSERT_LIBRARIES',
      'PYTHONPATH',
      'PYTHONSTARTUP',
      'PYTHONHOME',
      'BASH_ENV',
    ];
    expect(codeLoadingKeys([...keys, 'NODE_ENV', 'LOG_LEVEL', 'PYTHONUNBUFFERED', 'OLD_PRELOAD'])).toEqual(keys);
  });

  it.each(['AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', '_HANDLER', 'AWS_ACCESS_KEY_ID', 'LAMBDA_TASK_ROOT'])(
    'refuses the reserved %s at UpdateFunctionConfiguration the way Lambda does, naming it',
    async (key) => {
      const error = await setVariables({ KEEP: 'me', [key]: 'x' });
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect((error as Error).message).toBe(
        `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${key}`,
      );
    },
  );

  it.each(['NODE_OPTIONS', 'NODE_PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME'])(
    'refuses %s, which would load code from outside the function, at UpdateFunctionConfiguration',
    async (key) => {
      const error = await setVariables({ [key]: '/tmp/anything' });
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect((error as Error).message).toContain(`load code from outside the function's folder: ${key}.`);
    },
  );

  it('refuses them in the config file, naming each', () => {
    const message = configProblem({ NODE_OPTIONS: '--require /tmp/x.js', AWS_REGION: 'eu-west-1', FINE: 'yes' });
    expect(message).toContain('local.functions[0].environment.NODE_OPTIONS: it would make the runtime load code');
    expect(message).toContain('local.functions[0].environment.AWS_REGION: Lambda reserves this variable');
    expect(message).not.toContain('FINE');
  });

  it('refuses them when the platform starts with such a function', async () => {
    const unchecked = { ...fixture('noop'), environment: { LD_PRELOAD: '/tmp/x.so' } };
    await expect(startPlatform({ port: 0, s3: false, functions: [unchecked] })).rejects.toThrow(/Function noop: .*LD_PRELOAD/);
  });
});
