import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, OutputLines, utf8Cut } from '../../src/local/output-lines.js';

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

  it('splits a line longer than a CloudWatch event (256 KB less its 26 bytes) into events that fit', () => {
    expect(MAX_EVENT_BYTES).toBe(262_118);
    const events: string[] = [];
    const output = new OutputLines((line) => events.push(line));
    output.push(`${'a'.repeat(MAX_EVENT_BYTES * 2 + 10)}\nshort\n`);
    expect(events.map((e) => e.length)).toEqual([MAX_EVENT_BYTES, MAX_EVENT_BYTES, 10, 5]);
  });

  it('holds at most one event of a line that never ends, however much is written', () => {
    const events: string[] = [];
    const output = new OutputLines((line) => events.push(line), 1000);
    for (let i = 0; i < 100; i++) output.push('z'.repeat(64 * 1024));
    const emitted = events.reduce((total, e) => total + e.length, 0);
    expect(100 * 64 * 1024 - emitted).toBeLessThanOrEqual(1000);
    expect(events.every((e) => e.length === 1000)).toBe(true);
    output.flush();
    expect(events.reduce((total, e) => total + e.length, 0)).toBe(100 * 64 * 1024);
  });

  it('never splits a character: each piece is whole UTF-8 within the limit', () => {
    const events: string[] = [];
    const output = new OutputLines((line) => events.push(line), 10);
    const text = 'aé€😀'.repeat(20);
    output.push(`${text}\n`);
    expect(events.join('')).toBe(text);
    for (const event of events) {
      expect(Buffer.byteLength(event)).toBeLessThanOrEqual(10);
      expect(event).not.toContain('\ufffd');
    }
  });
});

describe('utf8Cut', () => {
  it.each([
    ['abc', 10, 3],
    ['abcdef', 4, 4],
    ['é€', 3, 1],
    ['é€', 5, 2],
    ['😀x', 3, 2],
    ['😀x', 4, 2],
    ['😀x', 5, 3],
  ])('cuts %s at %d bytes after %d UTF-16 units', (text, maxBytes, cut) => {
    expect(utf8Cut(text, maxBytes)).toBe(cut);
  });
});
