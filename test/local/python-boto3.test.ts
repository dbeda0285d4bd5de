import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPythonInterpreter, type PythonInterpreter } from '../../src/local/python-interpreter.js';
import { packageRoot } from '../../src/package-root.js';
import { pythonFixture } from '../fixtures/python/fixture.js';
import { payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const RUNTIME_DIR = path.join(packageRoot(), 'runtimes', 'python');
const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-tune-boto3-'));

let python: PythonInterpreter;
let t: TestPlatform;
beforeAll(async () => {
  const found = await findPythonInterpreter('python3');
  if (found === undefined) throw new Error('python3 (3.9 or newer) is needed on PATH for these tests');
  python = found;
  t = await startTestPlatform({
    functions: [pythonFixture('uses-boto3', 'app.handler', { timeoutS: 30, memoryMb: 512 })],
    s3: { directory: path.join(scratch, 's3'), buckets: [{ name: 'lambda-tune-python', objects: [] }] },
  });
});
afterAll(async () => {
  await t.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs Python code with the runtime's package importable, isolated as the platform runs it, and returns what it printed. */
function runPython(code: string, env: Record<string, string> = {}): string {
  const script = `import sys\nsys.path.append(${JSON.stringify(RUNTIME_DIR)})\n${code}`;
  return execFileSync(python.executable, ['-I', '-B', '-c', script], { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' }).trim();
}

describe('boto3 in a Python function', () => {
  it("reaches the platform's S3 with a client and a resource made without an endpoint", async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'uses-boto3', Payload: '{}' }));
    expect(result.FunctionError).toBeUndefined();
    expect(payloadJson(result.Payload)).toEqual({ body: 'written by boto3', keys: ['from-python.txt'], endpoint: t.platform.endpoints.s3 });
  });

  it('is sent there by the runtime even where botocore ignores AWS_ENDPOINT_URL_S3 (before 1.31), without importing botocore first', () => {
    // A botocore whose Session.create_client only answers the endpoint it was given, as 1.29's does with the variable.
    const fake = path.join(scratch, 'old-botocore');
    mkdirSync(path.join(fake, 'botocore'), { recursive: true });
    writeFileSync(path.join(fake, 'botocore', '__init__.py'), '');
    writeFileSync(
      path.join(fake, 'botocore', 'session.py'),
      'class Session:\n    def create_client(self, service_name, region_name=None, api_version=None, use_ssl=True, verify=None, endpoint_url=None, **rest):\n        return endpoint_url\n',
    );
    const printed = runPython(
      [
        'from lambda_tune_runtime import s3_endpoint',
        's3_endpoint.install()',
        'print("botocore" in sys.modules)',
        `sys.path.insert(0, ${JSON.stringify(fake)})`,
        'from botocore.session import Session',
        'print(Session().create_client("s3"), Session().create_client("s3", "us-east-1", None, True, None, "http://given"), Session().create_client("sqs"))',
      ].join('\n'),
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566' },
    );
    expect(printed.split('\n')).toEqual(['False', 'http://127.0.0.1:4566 http://given None']);
  });
});

describe('a Python function where the host has no boto3', () => {
  it('says what Lambda says, and how to install boto3 for the interpreter that lacks it', () => {
    const printed = runPython(
      [
        'from lambda_tune_runtime.errors import import_error_message',
        'print(import_error_message("app", ModuleNotFoundError("No module named \'boto3\'", name="boto3")))',
        'print(import_error_message("app", ModuleNotFoundError("No module named \'botocore.session\'", name="botocore.session")))',
        'print(import_error_message("app", ModuleNotFoundError("No module named \'requests\'", name="requests")))',
      ].join('\n'),
    );
    const [boto3, botocore, other] = printed.split('\n');
    expect(boto3).toMatch(
      /^Unable to import module 'app': No module named 'boto3'\. Lambda's Python runtimes include boto3, but the host's Python \(\/\S+\) lacks it/,
    );
    expect(boto3).toContain('apt-get install python3-boto3');
    expect(boto3).toContain('pip install boto3');
    expect(botocore).toContain("No module named 'botocore.session'. Lambda's Python runtimes include botocore");
    expect(other).toBe("Unable to import module 'app': No module named 'requests'");
  });

  it('fails INIT with Runtime.ImportModuleError and that advice when run by a python without boto3', async () => {
    // A virtual environment without the system's site-packages is an interpreter that honestly lacks boto3.
    const venv = path.join(scratch, 'venv');
    execFileSync(python.executable, ['-m', 'venv', '--without-pip', venv]);
    const bare = await startTestPlatform({ functions: [pythonFixture('uses-boto3', 'app.handler')], python: path.join(venv, 'bin', 'python3') });
    try {
      const result = await bare.lambda.send(new InvokeCommand({ FunctionName: 'uses-boto3', Payload: '{}' }));
      const error = payloadJson<{ errorType: string; errorMessage: string }>(result.Payload);
      expect(error.errorType).toBe('Runtime.ImportModuleError');
      expect(error.errorMessage).toMatch(/^Unable to import module 'app': No module named 'boto3'\. .*venv\/bin\/python3/);
      expect(error.errorMessage).toContain('apt-get install python3-boto3, or pip install boto3');
    } finally {
      await bare.stop();
    }
  });

  it('fails INIT with Runtime.InvalidEntrypoint when there is no python at all, saying what to install', async () => {
    const none = await startTestPlatform({ functions: [pythonFixture('context', 'app.handler')], python: path.join(scratch, 'no-such-python') });
    try {
      const result = await none.lambda.send(new InvokeCommand({ FunctionName: 'context', Payload: '{}' }));
      expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
      expect(payloadJson<{ errorMessage: string }>(result.Payload).errorMessage).toContain("with the host's python3 (3.9 or newer), and found none");
    } finally {
      await none.stop();
    }
  });
});
