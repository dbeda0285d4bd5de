import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { AwsError } from '../../src/local/aws-error.js';
import { codeLoadingKeys } from '../../src/local/environment-keys.js';
import { startPlatform } from '../../src/local/platform.js';
import { LAMBDA_RUNTIMES, runtimeFamily, runtimeProblem } from '../../src/local/runtimes.js';
import { PYTHON_FIXTURES, pythonFixture } from '../fixtures/python/fixture.js';

describe('the runtimes the local platform takes', () => {
  it.each(['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13'])('runs %s with the host python', (runtime) => {
    expect(runtimeProblem(runtime)).toBeUndefined();
    expect(runtimeFamily(runtime)).toBe('python');
  });

  it('refuses a runtime Lambda does not know with its validation message, listing every valid value', () => {
    const problem = runtimeProblem('python3.99');
    expect(problem).toMatch(
      /^1 validation error detected: Value 'python3\.99' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs, /,
    );
    for (const runtime of LAMBDA_RUNTIMES) expect(problem).toContain(runtime);
  });

  it('refuses a runtime Lambda has retired in its words, and one it knows but the platform cannot run in its own', () => {
    expect(runtimeProblem('python3.8')).toBe(
      'The runtime parameter of python3.8 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    );
    expect(runtimeProblem('java21')).toMatch(/^The local platform runs Node\.js and Python functions only \(.*python3\.13.*\), not java21\./);
  });

  it('refuses an unknown runtime when the platform starts (InvalidParameterValueException) and in the config file', async () => {
    const started = await startPlatform({ functions: [{ ...pythonFixture('context', 'app.handler'), runtime: 'ruby3.3' }], port: 0, s3: false }).catch(
      (e: unknown) => e,
    );
    expect(started).toBeInstanceOf(AwsError);
    expect((started as AwsError).code).toBe('InvalidParameterValueException');
    expect((started as AwsError).message).toContain('not ruby3.3');
    const section = { functions: [{ name: 'f', runtime: 'python3.99', handler: path.join(PYTHON_FIXTURES, 'context', 'app.handler') }] };
    const refused = (() => {
      try {
        return parseLocalSection(section, '/', 'tune.config.json');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toMatch(/runtime.*a runtime the local platform runs: nodejs18\.x, .*python3\.12/s);
  });
});

describe("variables that would make a function's Python load other code", () => {
  it.each([
    'PYTHONPATH',
    'PYTHONHOME',
    'PYTHONSTARTUP',
    'PYTHONUSERBASE',
    'PYTHONEXECUTABLE',
    'PYTHONINSPECT',
    'PYTHONWARNINGS',
    'PYTHONBREAKPOINT',
    'PYTHONPYCACHEPREFIX',
  ])('refuses %s', (key) => {
    expect(codeLoadingKeys([key, 'KEEP'])).toEqual([key]);
  });

  it('keeps those that only change behaviour', () => {
    expect(codeLoadingKeys(['PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'PYTHONIOENCODING'])).toEqual([]);
  });
});
