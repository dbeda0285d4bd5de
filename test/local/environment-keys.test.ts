import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { InvalidParameterValueException, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { codeLoadingKeys, environmentSizeProblem, RESERVED_ENV_KEYS, reservedKeys } from '../../src/local/environment-keys.js';
import { startPlatform } from '../../src/local/platform.js';
import { fixture, payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({
    functions: [fixture('noop', { environment: { KEEP: 'me' } }), fixture('echo', { environment: { PATH: '/opt/tools/bin:/usr/bin:/bin', LANG: 'C.UTF-8' } })],
  });
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

  it("takes OpenSSL's module loaders, glibc's and HOME as code loading, and data or search paths a function names itself as fine", () => {
    const loaders = ['OPENSSL_CONF', 'OPENSSL_CONF_INCLUDE', 'OPENSSL_MODULES', 'OPENSSL_ENGINES', 'HOME', 'GCONV_PATH', 'LOCPATH', 'NODE_COMPILE_CACHE'];
    const data = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'TZDIR', 'PATH', 'LANG', 'TMPDIR'];
    expect(codeLoadingKeys([...loaders, ...data])).toEqual(loaders);
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

  it.each([
    'NODE_OPTIONS',
    'NODE_PATH',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PYTHONHOME',
    'OPENSSL_CONF',
    'OPENSSL_MODULES',
    'OPENSSL_ENGINES',
    'HOME',
    'GCONV_PATH',
  ])('refuses %s, which would load code from outside the function, at UpdateFunctionConfiguration', async (key) => {
    const error = await setVariables({ [key]: '/tmp/anything' });
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect((error as Error).message).toContain(`load code from outside the function's folder: ${key}.`);
  });

  it('says that the platform sets HOME itself', async () => {
    const error = await setVariables({ HOME: '/tmp' });
    expect((error as Error).message).toContain('The platform sets HOME itself');
  });

  it("gives each environment a private HOME and keeps the function's own PATH and LANG, as Lambda lets it set them", async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'echo' }));
    const { env } = payloadJson<{ env: Record<string, string> }>(result.Payload);
    expect(env['PATH']).toBe('/opt/tools/bin:/usr/bin:/bin');
    expect(env['LANG']).toBe('C.UTF-8');
    const home = env['HOME'] ?? '';
    expect(home.startsWith(tmpdir())).toBe(true);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(home).uid).toBe(process.getuid?.());
  });

  it("refuses variables over 4 KB as JSON with Lambda's words, and takes them at 4 KB", async () => {
    // {"A":"…"} is 8 bytes besides the value.
    const error = await setVariables({ A: 'x'.repeat(4089) });
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect((error as Error).message).toBe(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"A":"${'x'.repeat(4089)}"}`,
    );
    expect(environmentSizeProblem({ A: 'x'.repeat(4088) })).toBeUndefined();
    expect(environmentSizeProblem({ A: 'é'.repeat(2045) })).toContain('exceeded the 4KB limit');
    expect(configProblem({ BIG: 'x'.repeat(5000) })).toContain('more than 4 KB');
  });

  it('refuses names Lambda refuses, also from the config file (bash reads functions from BASH_FUNC_x%%)', async () => {
    const error = await setVariables({ 'BASH_FUNC_ls%%': '() { id; }' });
    expect((error as Error).message).toBe('Environment variable name BASH_FUNC_ls%% is not valid.');
    expect(configProblem({ 'BASH_FUNC_ls%%': '() { id; }' })).toContain('BASH_FUNC_ls%%: a variable name is a letter');
  });

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
