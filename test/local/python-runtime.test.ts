import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { PYTHON_FIXTURES, pythonFixture } from '../fixtures/python/fixture.js';
import { decodeTail, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** What the context fixture answers. */
interface ContextReply {
  event: unknown;
  function_name: string;
  function_version: string;
  invoked_function_arn: string;
  memory_limit_in_mb: string;
  aws_request_id: string;
  log_group_name: string;
  log_stream_name: string;
  remaining_ms: number;
  client_custom: unknown;
  sys_path_first: string;
  isolated: number;
  user_site_enabled: boolean;
}

/** Lambda's Python error document. */
interface PythonError {
  errorMessage: string;
  errorType: string;
  requestId: string;
  stackTrace: string[];
}

/** A code folder of its own with a module linked in from outside it, for the handler checks. */
const root = mkdtempSync(path.join(tmpdir(), 'lambda-tune-python-'));
const code = path.join(root, 'code');
mkdirSync(code);
writeFileSync(path.join(code, 'app.py'), 'def handler(event, context):\n    return "inside"\n');
writeFileSync(path.join(root, 'evil.py'), 'def handler(event, context):\n    return "outside"\n');
symlinkSync(path.join(root, 'evil.py'), path.join(code, 'linked.py'));

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({
    functions: [
      pythonFixture('context', 'app.handler'),
      pythonFixture('context', 'app.handler', { name: 'context-json', logFormat: 'JSON' }),
      pythonFixture('errors', 'app.handler'),
      pythonFixture('import-error', 'app.handler'),
      pythonFixture('missing-handler', 'app.handler'),
      pythonFixture('syntax-error', 'app.handler'),
      pythonFixture('packaged', 'pkg.sub.mod.handler'),
      pythonFixture('packaged', 'pkg.sub.mod.handler', { name: 'repointed' }),
      pythonFixture('shadowed', 'email.x.handler'),
      pythonFixture('results', 'app.nested', { name: 'nested' }),
      pythonFixture('results', 'app.raw', { name: 'raw' }),
      pythonFixture('results', 'app.text', { name: 'text-3-11', runtime: 'python3.11' }),
      pythonFixture('results', 'app.text', { name: 'text-3-12', runtime: 'python3.12' }),
      pythonFixture('results', 'app.text', { name: 'text-3-13', runtime: 'python3.13' }),
      localFunctionSchema.parse({ name: 'contained', runtime: 'python3.13', handler: path.join(code, 'app.handler') }),
    ],
  });
});
afterAll(async () => {
  await t.stop();
  rmSync(root, { recursive: true, force: true });
});

const invoke = (FunctionName: string, payload: unknown = {}, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
  t.lambda.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), LogType: 'Tail', ...extra }));

/** Every event of a log stream, read through the CloudWatch Logs API. */
async function streamMessages(group: string, stream: string): Promise<string[]> {
  const { events } = await t.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  return (events ?? []).map((event) => event.message ?? '');
}

/** The stream an environment of the function logs to: the one its first event names. */
async function onlyStream(group: string): Promise<string> {
  const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  return logStreams![0]!.logStreamName!;
}

async function updateHandler(FunctionName: string, Handler: string): Promise<void> {
  await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Handler }));
  await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 10 }, { FunctionName });
}

describe('a Python function', () => {
  it("gets a context with Lambda's fields, and runs from its own folder, isolated from the host's Python settings", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'a' } })).toString('base64');
    const result = await invoke('context', { word: 'hi' }, { ClientContext: clientContext });
    expect(result.FunctionError).toBeUndefined();
    const reply = payloadJson<ContextReply>(result.Payload);
    expect(reply).toMatchObject({
      event: { word: 'hi' },
      function_name: 'context',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:context',
      memory_limit_in_mb: '128',
      aws_request_id: result.$metadata.requestId,
      log_group_name: '/aws/lambda/context',
      client_custom: { tenant: 'a' },
      sys_path_first: path.join(PYTHON_FIXTURES, 'context'),
      isolated: 1,
      user_site_enabled: false,
    });
    expect(reply.log_stream_name).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(reply.remaining_ms).toBeGreaterThan(0);
    expect(reply.remaining_ms).toBeLessThanOrEqual(3000);
  });

  it("writes print output as it is and logging records in Lambda's text format, after an INIT_START naming the interpreter", async () => {
    const result = await invoke('context', { word: 'logged-text' });
    const { log_stream_name: stream } = payloadJson<ContextReply>(result.Payload);
    const messages = await streamMessages('/aws/lambda/context', stream);
    const requestId = result.$metadata.requestId!;
    expect(messages[0]).toMatch(/^INIT_START Runtime Version: python:3\.12\.local\tServed by: Python 3\.\d+\.\d+\S* \(\/\S+\)$/);
    const own = messages.slice(messages.indexOf(`START RequestId: ${requestId} Version: $LATEST`) + 1, messages.indexOf(`END RequestId: ${requestId}`));
    // stdout in the order written; stderr is a pipe of its own, so its line may come anywhere among them.
    const stdout = own.filter((line) => line !== 'to stderr');
    expect(own).toContain('to stderr');
    expect(stdout[0]).toBe('printed logged-text');
    expect(stdout[1]).toMatch(new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${requestId}\\tlogged logged-text$`));
    expect(stdout).toHaveLength(2);
    expect(messages.join('\n')).not.toContain('not shown at INFO');
  });

  it('writes logging records as JSON objects in the JSON log format, and print output as plain text', async () => {
    const result = await invoke('context-json', { word: 'logged-json' });
    const stream = payloadJson<ContextReply>(result.Payload).log_stream_name;
    const messages = await streamMessages('/aws/lambda/context-json', stream);
    const initStart = JSON.parse(messages[0]!) as { type: string; record: { runtimeVersion: string; servedBy: string } };
    expect(initStart).toMatchObject({ type: 'platform.initStart', record: { runtimeVersion: 'python:3.12.local' } });
    expect(initStart.record.servedBy).toMatch(/^Python 3\.\d+\.\d+\S* \(\/\S+\)$/);
    expect(messages).toContain('printed logged-json');
    const record = messages.map((m) => (m.startsWith('{"timestamp"') ? (JSON.parse(m) as Record<string, unknown>) : undefined)).find((r) => r !== undefined);
    expect(record?.['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record).toEqual({
      timestamp: record?.['timestamp'],
      level: 'INFO',
      message: 'logged logged-json',
      logger: 'root',
      requestId: result.$metadata.requestId,
    });
  });

  it("answers a handler's exception as Lambda does: errorMessage, errorType, requestId, stackTrace, and logs it as one event", async () => {
    const result = await invoke('errors', {});
    expect(result.FunctionError).toBe('Unhandled');
    const error = payloadJson<PythonError>(result.Payload);
    expect(error).toMatchObject({ errorMessage: 'no value given', errorType: 'ValueError', requestId: result.$metadata.requestId });
    expect(error.stackTrace).toHaveLength(2);
    expect(error.stackTrace[0]).toMatch(/^ {2}File ".*\/errors\/app\.py", line 2, in handler\n {4}return check/);
    expect(error.stackTrace[1]).toMatch(/^ {2}File ".*\/errors\/app\.py", line 7, in check\n {4}raise ValueError/);
    const logged = decodeTail(result.LogResult);
    expect(logged).toMatch(
      /\n\[ERROR\] ValueError: no value given\nTraceback \(most recent call last\):\n\u00a0\u00a0File ".*errors\/app\.py", line 2, in handler\n/,
    );
    expect(reportOf(logged)).not.toContain('Status');
  });

  it('answers a result JSON cannot hold with Runtime.MarshalError', async () => {
    const result = await invoke('errors', { value: 1 });
    expect(payloadJson(result.Payload)).toMatchObject({
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to marshal response: Object of type object is not JSON serializable',
    });
  });

  it('answers a result too deep to encode with Runtime.MarshalError, as Lambda answers any failure to encode, and stays warm', async () => {
    const result = await invoke('nested');
    expect(result.FunctionError).toBe('Unhandled');
    const error = payloadJson<PythonError>(result.Payload);
    expect(error).toMatchObject({ errorType: 'Runtime.MarshalError', requestId: result.$metadata.requestId, stackTrace: [] });
    expect(error.errorMessage).toMatch(/^Unable to marshal response: maximum recursion depth exceeded/);
    const next = await invoke('nested', { depth: 2 });
    expect(payloadJson(next.Payload)).toEqual([[[]]]);
    expect(reportOf(decodeTail(next.LogResult))).not.toContain('Init Duration');
  });

  it('returns bytes as they are, as Lambda does', async () => {
    const result = await invoke('raw');
    expect(result.FunctionError).toBeUndefined();
    expect(Buffer.from(result.Payload!)).toEqual(Buffer.from([0x00, 0xff, ...Buffer.from('raw')]));
  });

  it('writes non-ASCII characters as they are on python3.12 and python3.13, as \\u escapes on older runtimes', async () => {
    const text = async (name: string) => Buffer.from((await invoke(name)).Payload!).toString();
    expect(await text('text-3-12')).toBe('{"text": "h\u00e9llo \u2603"}');
    expect(await text('text-3-13')).toBe('{"text": "h\u00e9llo \u2603"}');
    expect(await text('text-3-11')).toBe('{"text": "h\\u00e9llo \\u2603"}');
  });

  it.each([
    ['import-error', 'Runtime.ImportModuleError', /^Unable to import module 'app': No module named 'a_module_that_does_not_exist'$/],
    ['missing-handler', 'Runtime.HandlerNotFound', /^Handler 'handler' missing on module 'app'$/],
    ['syntax-error', 'Runtime.UserCodeSyntaxError', /^Syntax error in module 'app': .*\(app\.py, line 1\)$/],
  ])('fails INIT for %s with %s, posted to /init/error and logged', async (name, errorType, message) => {
    const result = await invoke(name);
    expect(result.FunctionError).toBe('Unhandled');
    const error = payloadJson<PythonError>(result.Payload);
    expect(error).toMatchObject({ errorType, requestId: '' });
    expect(error.errorMessage).toMatch(message);
    expect(Array.isArray(error.stackTrace)).toBe(true);
    expect(reportOf(decodeTail(result.LogResult))).toMatch(
      new RegExp(`Init Duration: [\\d.]+ ms\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}\\t$`),
    );
    const messages = await streamMessages(`/aws/lambda/${name}`, await onlyStream(`/aws/lambda/${name}`));
    expect(messages.find((m) => m.startsWith('[ERROR]'))).toMatch(new RegExp(`^\\[ERROR\\] ${errorType.replace('.', '\\.')}: ${message.source.slice(1, -1)}`));
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(`^INIT_REPORT Init Duration: [\\d.]+ ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}\\t$`),
      ),
    );
  });

  it('imports a handler from a package, named with dots or, as Lambda takes it too, with slashes', async () => {
    expect(payloadJson((await invoke('packaged')).Payload)).toEqual({ module: 'pkg.sub.mod', greeting: 'hello from pkg.helper' });
    await updateHandler('repointed', 'pkg/sub/mod.handler');
    expect(payloadJson((await invoke('repointed')).Payload)).toEqual({ module: 'pkg.sub.mod', greeting: 'hello from pkg.helper' });
  });
});

describe("a Python function's handler stays in its folder", () => {
  it('names no module from elsewhere: the standard library is not imported for it', async () => {
    await updateHandler('contained', 'json.dumps');
    const result = await invoke('contained');
    const error = payloadJson<PythonError>(result.Payload);
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toMatch(
      new RegExp(
        `^Unable to import module 'json': Python would import 'json' from \\S+/json/__init__\\.py \\(imported already\\), not from the function's folder ${code}$`,
      ),
    );
  });

  it('is refused when a package elsewhere would take its top-level folder (one without __init__.py), before that package runs', async () => {
    const result = await invoke('shadowed');
    const error = payloadJson<PythonError>(result.Payload);
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toMatch(
      /^Unable to import module 'email\.x': Python would import 'email' from \S+\/email\/__init__\.py \(imported already\), not from the function's folder \S+\/shadowed; rename the function's 'email'$/,
    );
  });

  it('may not lead out through a symbolic link or up with ".."', async () => {
    for (const Handler of ['linked.handler', '../code/app.handler']) {
      const refused = await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'contained', Handler })).catch((e: unknown) => e);
      expect(refused, Handler).toBeInstanceOf(InvalidParameterValueException);
    }
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'contained' }));
    expect(config.Handler).toBe('json.dumps');
  });
});
