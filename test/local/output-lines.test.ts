import { describe, expect, it } from 'vitest';
import { OutputLines } from '../../src/local/output-lines.js';

describe('OutputLines', () => {
  it("makes one log event per line, across chunks, with the runtime's \\r turned back into newlines", () => {
    const events: string[] = [];
    const output = new OutputLines((line) => events.push(line));
    output.push('2026-03-02T10:20:30.456Z\tid\tINFO\tfirst line\rsecond');
    output.push(' line\n2026-03-02T10:20:30.457Z\tid\tINFO\tnext\n');
    output.push('no newline yet');
    expect(events).toEqual(['2026-03-02T10:20:30.456Z\tid\tINFO\tfirst line\nsecond line', '2026-03-02T10:20:30.457Z\tid\tINFO\tnext']);
    output.flush();
    output.flush();
    expect(events.at(-1)).toBe('no newline yet');
    expect(events).toHaveLength(3);
  });
});
