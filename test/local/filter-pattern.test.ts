import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../../src/local/filter-pattern.js';

const report = 'REPORT RequestId: 6f1c-aa\tDuration: 3.01 ms\tBilled Duration: 4 ms\t';

describe('compileFilterPattern', () => {
  it('matches everything when empty', () => {
    expect(compileFilterPattern(undefined)('anything')).toBe(true);
    expect(compileFilterPattern('  ')('anything')).toBe(true);
  });

  it('needs every plain and quoted term', () => {
    expect(compileFilterPattern('REPORT "6f1c-aa"')(report)).toBe(true);
    expect(compileFilterPattern('REPORT "Billed Duration: 4 ms"')(report)).toBe(true);
    expect(compileFilterPattern('REPORT "6f1c-ab"')(report)).toBe(false);
  });

  it('excludes -terms and needs one of the ?terms', () => {
    expect(compileFilterPattern('"6f1c-aa" -REPORT')(report)).toBe(false);
    expect(compileFilterPattern('?START ?REPORT')(report)).toBe(true);
    expect(compileFilterPattern('?START ?END')(report)).toBe(false);
  });

  it('refuses JSON and space-delimited patterns rather than matching wrongly', () => {
    expect(() => compileFilterPattern('{ $.level = "ERROR" }')).toThrow(/term filter patterns only/);
    expect(() => compileFilterPattern('[ip, user]')).toThrow(/term filter patterns only/);
  });
});
