import { describe, expect, it } from 'vitest';
import { concludeInvocation, type Ending, exitDescription, type InvocationFacts } from '../../src/local/conclude-invocation.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../src/local/payload-limits.js';

const REQUEST_ID = '8f5b2c1e-3a4d-4b6e-9f10-2a3b4c5d6e7f';
const NOW = new Date('2026-03-02T10:20:30.456Z');

const facts = (overrides: Partial<InvocationFacts> = {}): InvocationFacts => ({
  requestId: REQUEST_ID,
  timeoutS: 3,
  memorySizeMb: 128,
  logFormat: 'Text',
  maxMemoryUsedMb: 64,
  deliveredAtMs: 1000,
  endedAtMs: 1012.345,
  initDurationMs: undefined,
  stderrTail: '',
  now: NOW,
  ...overrides,
});

const json = (body: Buffer): unknown => JSON.parse(body.toString());

describe('concludeInvocation', () => {
  it('answers a success with the body and a REPORT without status, after END', () => {
    const body = Buffer.from('{"ok":true}');
    const conclusion = concludeInvocation({ kind: 'response', body }, facts({ initDurationMs: 110.104 }));
    expect(conclusion.response).toEqual({ payload: body, functionError: undefined });
    expect(conclusion.logLines).toEqual([
      `END RequestId: ${REQUEST_ID}`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 110.10 ms\t`,
    ]);
    expect(conclusion.shutDown).toBe(false);
  });

  it('reports a timeout with Duration equal to the timeout and a notice before END, and shuts the environment down', () => {
    const conclusion = concludeInvocation({ kind: 'timeout' }, facts({ timeoutS: 1, endedAtMs: 1000 + 1003.7 }));
    expect(conclusion.response.functionError).toBe('Unhandled');
    expect(json(conclusion.response.payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${REQUEST_ID} Error: Task timed out after 1.00 seconds`,
    });
    expect(conclusion.report).toMatchObject({ durationMs: 1000, billedDurationMs: 1000, status: 'timeout', errorType: undefined });
    expect(conclusion.logLines).toEqual([
      `2026-03-02T10:20:30.456Z ${REQUEST_ID} Task timed out after 1.00 seconds`,
      `END RequestId: ${REQUEST_ID}`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout\t`,
    ]);
    expect(conclusion.shutDown).toBe(true);
  });

  it('reports a kill for memory as Runtime.OutOfMemory and shuts the environment down', () => {
    const conclusion = concludeInvocation({ kind: 'oom' }, facts({ maxMemoryUsedMb: 129 }));
    const message = `RequestId: ${REQUEST_ID} Error: Runtime exited with error: signal: killed`;
    expect(json(conclusion.response.payload)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: message });
    expect(conclusion.logLines[0]).toBe(message);
    expect(conclusion.logLines.at(-1)).toMatch(/\tMax Memory Used: 129 MB\tStatus: error\tError Type: Runtime\.OutOfMemory\t$/);
    expect(conclusion.shutDown).toBe(true);
  });

  it('tells a crash from V8 running out of heap by the runtime stderr', () => {
    const crash: Ending = { kind: 'exit', code: 134, signal: null };
    const heap = concludeInvocation(crash, facts({ stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n' }));
    expect(heap.report.errorType).toBe('Runtime.OutOfMemory');
    const other = concludeInvocation(crash, facts({ stderrTail: 'Segmentation fault\n' }));
    expect(other.report).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError' });
    expect(json(other.response.payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 134`,
    });
    expect(other.logLines[0]).toBe(`RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 134`);
    expect(other.shutDown).toBe(false);
  });

  it('passes a handler error through as the runtime posted it, with no status in REPORT', () => {
    const body = Buffer.from('{"errorType":"TypeError","errorMessage":"boom","trace":["TypeError: boom"]}');
    const conclusion = concludeInvocation({ kind: 'error', errorType: 'TypeError', body }, facts());
    expect(conclusion.response).toEqual({ payload: body, functionError: 'Unhandled' });
    expect(conclusion.report).toMatchObject({ status: undefined, errorType: undefined });
    expect(conclusion.logLines).toHaveLength(2);
    expect(conclusion.shutDown).toBe(false);
  });

  it('makes an error document of an error posted with no body', () => {
    const conclusion = concludeInvocation({ kind: 'error', errorType: 'Runtime.UnhandledPromiseRejection', body: Buffer.alloc(0) }, facts());
    expect(json(conclusion.response.payload)).toEqual({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Runtime.UnhandledPromiseRejection' });
  });

  it('reports an init error with its type and Init Duration, and shuts the environment down', () => {
    const body = Buffer.from('{"errorType":"Runtime.ImportModuleError","errorMessage":"Cannot find module \'x\'"}');
    const ending: Ending = { kind: 'init-error', errorType: 'Runtime.ImportModuleError', body };
    const conclusion = concludeInvocation(ending, facts({ deliveredAtMs: undefined, endedAtMs: 5000, initDurationMs: 42.5 }));
    expect(conclusion.response).toEqual({ payload: body, functionError: 'Unhandled' });
    expect(conclusion.logLines.at(-1)).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 42.50 ms\tStatus: error\tError Type: Runtime.ImportModuleError\t`,
    );
    expect(conclusion.shutDown).toBe(true);
  });

  it('refuses a response over 6 MB as Function.ResponseSizeTooLarge', () => {
    const conclusion = concludeInvocation({ kind: 'response', body: Buffer.alloc(MAX_SYNC_PAYLOAD_BYTES + 1) }, facts());
    expect(conclusion.response.functionError).toBe('Unhandled');
    expect(json(conclusion.response.payload)).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
    expect(conclusion.report).toMatchObject({ status: 'error', errorType: 'Function.ResponseSizeTooLarge' });
  });

  it('writes one platform.report record and no text-only lines in the JSON log format', () => {
    const conclusion = concludeInvocation({ kind: 'timeout' }, facts({ logFormat: 'JSON' }));
    expect(conclusion.logLines).toHaveLength(1);
    expect(JSON.parse(conclusion.logLines[0]!)).toEqual({
      time: '2026-03-02T10:20:30.456Z',
      type: 'platform.report',
      record: {
        requestId: REQUEST_ID,
        metrics: { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 64 },
        status: 'timeout',
      },
    });
  });
});

describe('exitDescription', () => {
  it('words an exit the way Lambda does', () => {
    expect(exitDescription(1, null)).toBe('exit status 1');
    expect(exitDescription(null, 'SIGKILL')).toBe('signal: killed');
    expect(exitDescription(null, 'SIGSEGV')).toBe('signal: segv');
  });
});
