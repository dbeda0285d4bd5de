import { describe, expect, it } from 'vitest';
import { invocationCostUsd, pricesFor } from '../../src/cost/prices.js';

describe('prices', () => {
  it('knows us-east-1 for both architectures', () => {
    expect(pricesFor('us-east-1', 'x86_64').pricePerGbSecondUsd).toBe(0.0000166667);
    expect(pricesFor('us-east-1', 'arm64').pricePerGbSecondUsd).toBe(0.0000133334);
    expect(pricesFor('us-east-1', 'arm64').pricePerRequestUsd).toBeCloseTo(0.2e-6, 12);
  });

  it('falls back to us-east-1 for an unknown region and says so; overrides win', () => {
    const unknown = pricesFor('xx-test-1', 'x86_64');
    expect(unknown.pricePerGbSecondUsd).toBe(0.0000166667);
    expect(unknown.source).toContain('xx-test-1 is not in the table');
    expect(pricesFor('us-east-1', 'x86_64', { pricePerGbSecondUsd: 0.00002 }).pricePerGbSecondUsd).toBe(0.00002);
  });

  it('prices an invocation as billed ms × GB × price + request', () => {
    const prices = pricesFor('us-east-1', 'x86_64');
    // 1 s at 1024 MB is one GB-second.
    expect(invocationCostUsd(1000, 1024, prices)).toBeCloseTo(0.0000166667 + 0.0000002, 12);
    expect(invocationCostUsd(100, 512, prices)).toBeCloseTo(0.05 * 0.0000166667 + 0.0000002, 12);
  });

  it('adds billed INIT time only when it is switched on', () => {
    const on = pricesFor('us-east-1', 'x86_64');
    const off = pricesFor('us-east-1', 'x86_64', { billInit: false });
    expect(invocationCostUsd(100, 1024, on, 399.2) - invocationCostUsd(100, 1024, off, 399.2)).toBeCloseTo(0.4 * 0.0000166667, 12);
  });
});
