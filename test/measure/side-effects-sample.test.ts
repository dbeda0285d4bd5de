import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/lambda/gateway.js';
import { toSample } from '../../src/measure/sample.js';

const cell = { function: 'orders', memoryMb: 512, params: {} };
const allowed = ['ConditionalCheckFailedException'];

function outcome(requestId: string, errorType: string | undefined, report: string): InvokeOutcome {
  return {
    requestId,
    functionError: errorType === undefined ? undefined : 'Unhandled',
    payload: errorType === undefined ? '{}' : JSON.stringify({ errorType, errorMessage: 'no', trace: [] }),
    tailLines: [`START RequestId: ${requestId} Version: 3`, `END RequestId: ${requestId}`, report],
    tailTruncated: false,
  };
}

const report = (id: string, tail = '') =>
  `REPORT RequestId: ${id}\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\t${tail}`;

describe('an allowed error type', () => {
  it('makes a handler error of that type a success that keeps its type', () => {
    const lost = outcome('a', 'ConditionalCheckFailedException', report('a'));
    const sample = toSample(cell, lost, lost.tailLines, [], false, allowed);
    expect(sample).toMatchObject({ status: 'success', errorType: 'ConditionalCheckFailedException', durationMs: 12.5 });
  });

  it('leaves other types, and a success, as they were', () => {
    const other = outcome('b', 'ValidationException', report('b'));
    expect(toSample(cell, other, other.tailLines, [], false, allowed)).toMatchObject({ status: 'error', errorType: 'ValidationException' });
    const fine = outcome('c', undefined, report('c'));
    const sample = toSample(cell, fine, fine.tailLines, [], false, allowed);
    expect(sample?.status).toBe('success');
    expect(sample).not.toHaveProperty('errorType');
  });

  it("never allows a timeout or Lambda's own failure, even if named", () => {
    const timedOut = outcome('d', 'ConditionalCheckFailedException', report('d', 'Status: timeout'));
    expect(toSample(cell, timedOut, timedOut.tailLines, [], false, allowed)?.status).toBe('timeout');
    const oom = outcome('e', 'Runtime.OutOfMemory', report('e', 'Status: error\tError Type: Runtime.OutOfMemory'));
    expect(toSample(cell, oom, oom.tailLines, [], false, ['Runtime.OutOfMemory'])).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });
  });
});

describe('an allowed error type raised during INIT', () => {
  it('stays a failure: the REPORT says Lambda failed the invocation (Status: error with its Error Type)', () => {
    const init = outcome(
      'f',
      'ConditionalCheckFailedException',
      report('f', 'Init Duration: 99.03 ms\tStatus: error\tError Type: ConditionalCheckFailedException'),
    );
    expect(toSample(cell, init, init.tailLines, [], false, allowed)).toMatchObject({ status: 'error', errorType: 'ConditionalCheckFailedException' });
  });

  it('stays a failure when the log holds a failed INIT_REPORT, or a platform.initReport that did not succeed', () => {
    const text = outcome('g', 'ConditionalCheckFailedException', report('g'));
    const initReport = 'INIT_REPORT Init Duration: 120.00 ms\tPhase: init\tStatus: error\tError Type: ConditionalCheckFailedException';
    expect(toSample(cell, text, [initReport, ...text.tailLines], [], false, allowed)?.status).toBe('error');
    const json =
      '{"time":"2026-01-01T00:00:00.000Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"error","errorType":"ConditionalCheckFailedException","metrics":{"durationMs":120}}}';
    expect(toSample(cell, text, [json, ...text.tailLines], [], false, allowed)?.status).toBe('error');
  });
});
