import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/**
 * A function folder holding a module named like every module of the standard library. Each notes
 * in `imported` that it was imported from the folder, then hands over to the real one, so the
 * runtime goes on working: a name noted is a module the runtime imported after putting the folder
 * first on sys.path, which a function's module of that name would have replaced.
 */
const root = mkdtempSync(path.join(tmpdir(), 'lambda-tune-python-shadow-'));
const imported = path.join(root, 'imported');
const code = path.join(root, 'code');

const marker = `import importlib.machinery as _machinery, importlib.util as _util, sys as _sys
open(${JSON.stringify(imported)}, "a").write(__name__ + "\\n")
_spec = _machinery.PathFinder.find_spec(__name__, _sys.path[1:])
_real = _util.module_from_spec(_spec)
_sys.modules[__name__] = _real
_spec.loader.exec_module(_real)
`;

/** Handlers that take the runtime down each of its paths: a result, an error, logging, results it cannot or need not encode. */
const app = `import logging, sys


def ok(event, context):
    return {"left": context.get_remaining_time_in_millis() > 0, "text": "h\\u00e9llo"}


def fails(event, context):
    raise ValueError("bad input")


def logs(event, context):
    logging.getLogger().warning("warned")
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger().exception("caught")
    return "logged"


def unencodable(event, context):
    return {"value": object()}


def deep(event, context):
    nested = []
    for _ in range(100000):
        nested = [nested]
    return nested


def raw(event, context):
    return b"raw"
`;

const HANDLERS = ['ok', 'fails', 'logs', 'unencodable', 'deep', 'raw'];

const fn = (name: string, handler: string, extra: Record<string, unknown> = {}) =>
  localFunctionSchema.parse({ name, runtime: 'python3.12', handler: path.join(code, handler), ...extra });

let t: TestPlatform;
beforeAll(async () => {
  mkdirSync(code);
  const names = execFileSync('python3', ['-I', '-c', 'import sys; print("\\n".join(sys.stdlib_module_names))'], { encoding: 'utf8' })
    .split('\n')
    .filter((name) => name !== '' && !name.startsWith('__'));
  for (const name of names) writeFileSync(path.join(code, `${name}.py`), marker);
  writeFileSync(path.join(code, 'app.py'), app);
  t = await startTestPlatform({
    functions: [
      ...HANDLERS.map((handler) => fn(handler, `app.${handler}`)),
      ...HANDLERS.map((handler) => fn(`${handler}-json`, `app.${handler}`, { logFormat: 'JSON' })),
      fn('missing-handler', 'app.nothing'),
      fn('missing-module', 'nothing.handler'),
    ],
  });
});
afterAll(async () => {
  await t.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("the Python runtime's own imports", () => {
  it("come from the standard library, never from the function's folder: a result, an error, logs, marshal errors, raw bytes, failed INITs", async () => {
    const functions = [...HANDLERS, ...HANDLERS.map((handler) => `${handler}-json`), 'missing-handler', 'missing-module'];
    for (const FunctionName of functions) {
      const result = await t.lambda.send(new InvokeCommand({ FunctionName, LogType: 'Tail' }));
      expect(result.StatusCode, FunctionName).toBe(200);
    }
    expect(existsSync(imported) ? readFileSync(imported, 'utf8').split('\n').filter(Boolean) : []).toEqual([]);
  });
});
