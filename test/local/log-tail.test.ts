import { describe, expect, it } from 'vitest';
import { LogTail } from '../../src/local/log-tail.js';

describe('LogTail', () => {
  it('keeps whole lines, just enough of the last ones to hold minBytes, and lets older ones go', () => {
    const tail = new LogTail(25);
    for (let i = 0; i < 1000; i++) tail.push(`line ${String(i).padStart(4, '0')}`);
    expect(tail.text()).toBe('line 0997\nline 0998\nline 0999\n');
  });

  it('keeps everything while there is less than minBytes, and a long line in place of all before it', () => {
    const tail = new LogTail(4096);
    tail.push('START');
    tail.push('INFO short');
    expect(tail.text()).toBe('START\nINFO short\n');
    tail.push('x'.repeat(10_000));
    tail.push('REPORT');
    expect(tail.text()).toBe(`${'x'.repeat(10_000)}\nREPORT\n`);
  });
});
