import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidParameterValueException, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFunctionConfig, localFunctionSchema } from '../../src/config/local-config.js';
import { handlerProblem } from '../../src/local/handler-path.js';
import { payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** Lambda's Python error document. */
interface PythonError {
  errorMessage: string;
  errorType: string;
}

/**
 * Code folders whose handler's packages Python would take from outside the folder, and the code
 * out there, which notes in `ran` that it ran.
 */
const root = mkdtempSync(path.join(tmpdir(), 'lambda-tune-python-guard-'));
const ran = path.join(root, 'ran');
const outside = path.join(root, 'outside');
const evil = path.join(outside, 'evil.py');
const handlerSource = (answer: string) => `def handler(event, context):\n    return ${JSON.stringify(answer)}\n`;

/** Writes files under `root/<folder>`: a string is a file's text, `{ linkTo }` a symbolic link. */
function layout(folder: string, files: Record<string, string | { linkTo: string }>): string {
  const dir = path.join(root, folder);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    rmSync(file, { force: true });
    if (typeof content === 'string') writeFileSync(file, content);
    else symlinkSync(content.linkTo, file);
  }
  return dir;
}

const python = (folder: string, handler: string, name = folder): LocalFunctionConfig =>
  localFunctionSchema.parse({ name, runtime: 'python3.12', handler: path.join(root, folder, handler) });

mkdirSync(outside);
writeFileSync(evil, `open(${JSON.stringify(ran)}, "a").write(__name__ + "\\n")\n${handlerSource('outside')}`);
layout('nested', { 'pkg/__init__.py': '', 'pkg/sub/__init__.py': '', 'pkg/sub/mod.py': handlerSource('inside') });
layout('both', { 'pkg/__init__.py': '', 'pkg/mod.py': handlerSource('module'), 'pkg/mod/__init__.py': handlerSource('package') });
layout('both-linked', { 'pkg/__init__.py': '', 'pkg/mod.py': handlerSource('module'), 'pkg/mod/__init__.py': handlerSource('package') });
layout('extension', { 'app.py': handlerSource('source') });
layout('names', { 'my-app.py': handlerSource('hyphenated'), 'app.py': handlerSource('app') });

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({
    functions: [
      python('nested', 'pkg.sub.mod.handler'),
      python('both', 'pkg.mod.handler'),
      python('both-linked', 'pkg.mod.handler'),
      python('extension', 'app.handler'),
      python('names', 'app.handler'),
    ],
  });
});
afterAll(async () => {
  await t.stop();
  rmSync(root, { recursive: true, force: true });
});

const invoke = async (FunctionName: string) => (await t.lambda.send(new InvokeCommand({ FunctionName }))).Payload;
const update = (FunctionName: string, Handler: string) =>
  t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Handler })).then(
    () => undefined,
    (error: unknown) => error,
  );

describe("a Python handler's packages all come from its folder", () => {
  it('refuses a package __init__.py below the top that links out: when configured, and at INIT before it runs', async () => {
    // Linked after the platform took the function: the runtime is the last line.
    layout('nested', { 'pkg/sub/__init__.py': { linkTo: evil } });
    expect(payloadJson<PythonError>(await invoke('nested'))).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Unable to import module 'pkg.sub.mod': Python would import 'pkg.sub' from ${path.join(root, 'nested', 'pkg', 'sub', '__init__.py')}, a symbolic link out of the function's folder ${path.join(root, 'nested')} (to ${evil})`,
    });
    expect(existsSync(ran)).toBe(false);
    const refused = await update('nested', 'pkg.sub.mod.handler');
    expect(refused).toBeInstanceOf(InvalidParameterValueException);
    expect((refused as Error).message).toContain(`leads out of the function's code folder ${path.join(root, 'nested')} through a symbolic link (to ${evil})`);
  });

  it('runs the package when a module and a package share a name, as Python imports it (and Lambda runs it)', async () => {
    expect(payloadJson(await invoke('both'))).toBe('package');
  });

  it('checks the package, which Python takes, not the module of the same name: a package __init__.py linking out is refused', async () => {
    layout('both-linked', { 'pkg/mod/__init__.py': { linkTo: evil } });
    expect(payloadJson<PythonError>(await invoke('both-linked')).errorMessage).toBe(
      `Unable to import module 'pkg.mod': Python would import 'pkg.mod' from ${path.join(root, 'both-linked', 'pkg', 'mod', '__init__.py')}, a symbolic link out of the function's folder ${path.join(root, 'both-linked')} (to ${evil})`,
    );
    expect(existsSync(ran)).toBe(false);
    expect(handlerProblem(path.join(root, 'both-linked'), 'pkg.mod.handler', 'python')).toContain(`through a symbolic link (to ${evil})`);
  });

  it('checks an extension module, which Python takes before the source of the same name', async () => {
    const library = path.join(outside, 'evil.so');
    writeFileSync(library, 'not really a library');
    layout('extension', { 'app.so': { linkTo: library } });
    expect(payloadJson<PythonError>(await invoke('extension')).errorMessage).toBe(
      `Unable to import module 'app': Python would import 'app' from ${path.join(root, 'extension', 'app.so')}, a symbolic link out of the function's folder ${path.join(root, 'extension')} (to ${library})`,
    );
    expect(handlerProblem(path.join(root, 'extension'), 'app.handler', 'python')).toContain(`through a symbolic link (to ${library})`);
  });
});

describe('a Python handler Lambda takes though it is no module path', () => {
  it('is configured, and runs when Python can import it: my-app.handler', async () => {
    expect(await update('names', 'my-app.handler')).toBeUndefined();
    await expect.poll(async () => payloadJson(await invoke('names')), { timeout: 5000 }).toBe('hyphenated');
  });

  it('is configured, and fails INIT with Runtime.ImportModuleError when Python cannot: app..handler', async () => {
    expect(await update('names', 'app..handler')).toBeUndefined();
    await expect
      .poll(async () => payloadJson<PythonError>(await invoke('names')), { timeout: 5000 })
      .toEqual(
        expect.objectContaining({
          errorType: 'Runtime.ImportModuleError',
          errorMessage: "Unable to import module 'app.': No module named 'app.'; 'app' is not a package",
        }),
      );
  });

  it("is refused only for what Lambda's API refuses: whitespace, more than 128 characters", async () => {
    for (const Handler of ['app handler', `${'a'.repeat(121)}.handler`]) {
      expect(await update('names', Handler), Handler).toBeInstanceOf(InvalidParameterValueException);
    }
  });
});

describe('a Python handler whose top-level folder has no __init__.py (a namespace package)', () => {
  let venv: TestPlatform;
  let sitePackages: string;
  beforeAll(async () => {
    const env = path.join(root, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', env]);
    const interpreter = path.join(env, 'bin', 'python3');
    sitePackages = execFileSync(interpreter, ['-I', '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
    // The same namespace in site-packages, with a regular package below it.
    mkdirSync(path.join(sitePackages, 'nsx', 'sub'), { recursive: true });
    symlinkSync(evil, path.join(sitePackages, 'nsx', 'sub', '__init__.py'));
    layout('namespace', { 'nsx/sub/mod.py': handlerSource('inside') });
    venv = await startTestPlatform({ functions: [python('namespace', 'nsx.sub.mod.handler')], python: interpreter });
  });
  afterAll(() => venv.stop());

  it('is refused when Python would also look for its packages elsewhere, before anything there runs', async () => {
    const result = await venv.lambda.send(new InvokeCommand({ FunctionName: 'namespace' }));
    expect(payloadJson<PythonError>(result.Payload)).toEqual(
      expect.objectContaining({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: `Unable to import module 'nsx.sub.mod': Python would import 'nsx' from ${path.join(sitePackages, 'nsx')}, not from the function's folder ${path.join(root, 'namespace')}; give the function's folder 'nsx' an __init__.py, or rename it`,
      }),
    );
    expect(existsSync(ran)).toBe(false);
  });
});
