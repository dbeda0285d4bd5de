import { describe, expect, it } from 'vitest';
import { initialConfig } from '../../src/local/platform.js';
import { launchFor } from '../../src/local/runtime-launch.js';
import { pythonFixture } from '../fixtures/python/fixture.js';

describe('launching a Python function', () => {
  it('without the Python bootstrap fails INIT with Runtime.InvalidEntrypoint, saying which package lacks it and how to get one that has it', async () => {
    const bootstrapPath = '/nowhere/lambda-tune/runtimes/python/bootstrap.py';
    const launch = await launchFor(initialConfig(pythonFixture('context', 'app.handler')), {
      bootstrapPath: '/nowhere/lambda-tune/dist/local/runtime/bootstrap.js',
      python: { bootstrapPath, interpreter: () => Promise.resolve(undefined) },
    });
    expect(launch).toEqual({
      kind: 'unavailable',
      errorType: 'Runtime.InvalidEntrypoint',
      message: `The local platform's Python bootstrap is missing at ${bootstrapPath}: this copy of lambda-tune was installed without its runtimes/python folder, so it serves Node.js functions only. Install a lambda-tune package that ships runtimes/python (in its checkout, "npm pack --dry-run" lists the files a package gets), or run lambda-tune from its checkout.`,
    });
  });
});
