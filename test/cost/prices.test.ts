import { describe, expect, it } from 'vitest';
import { PRICE_TABLE } from '../../src/cost/price-table.js';
import { invocationCostUsd, isFallbackPrice, pricesFor } from '../../src/cost/prices.js';

describe('prices', () => {
  it('knows us-east-1 for both architectures', () => {
    expect(pricesFor('us-east-1', 'x86_64').pricePerGbSecondUsd).toBe(0.0000166667);
    expect(pricesFor('us-east-1', 'arm64').pricePerGbSecondUsd).toBe(0.0000133334);
    expect(pricesFor('us-east-1', 'arm64').pricePerRequestUsd).toBeCloseTo(0.2e-6, 12);
    expect(pricesFor('us-east-1', 'x86_64').source).toBe(PRICE_TABLE.source);
  });

  it('prices the regions that cost more at their own prices, requests included', () => {
    expect(pricesFor('af-south-1', 'arm64')).toMatchObject({ pricePerGbSecondUsd: 0.00001768, pricePerRequestUsd: 0.00000027 });
    expect(pricesFor('ap-east-1', 'x86_64')).toMatchObject({ pricePerGbSecondUsd: 0.00002292, pricePerRequestUsd: 0.00000028 });
    expect(pricesFor('eu-central-2', 'arm64')).toMatchObject({ pricePerGbSecondUsd: 0.0000146667, pricePerRequestUsd: 0.00000022 });
    expect(pricesFor('ap-southeast-5', 'x86_64')).toMatchObject({ pricePerGbSecondUsd: 0.000015, pricePerRequestUsd: 0.00000018 });
    expect(isFallbackPrice(pricesFor('me-south-1', 'arm64'))).toBe(false);
  });

  it('falls back to us-east-1 for a region or architecture the table lacks, and says so', () => {
    const unknown = pricesFor('xx-test-1', 'x86_64');
    expect(unknown.pricePerGbSecondUsd).toBe(0.0000166667);
    expect(unknown.source).toContain('us-east-1 prices: xx-test-1 is not in the table for x86_64');
    expect(isFallbackPrice(unknown)).toBe(true);
    const armless = pricesFor('il-central-1', 'arm64');
    expect(armless.pricePerGbSecondUsd).toBe(0.0000133334);
    expect(isFallbackPrice(armless)).toBe(true);
    expect(isFallbackPrice(pricesFor('il-central-1', 'x86_64'))).toBe(false);
  });

  it('lets the user give either price, and says which came from where', () => {
    expect(pricesFor('us-east-1', 'x86_64', { pricePerGbSecondUsd: 0.00002 }).pricePerGbSecondUsd).toBe(0.00002);
    expect(pricesFor('us-east-1', 'x86_64', { pricePerGbSecondUsd: 0.00002, pricePerRequestUsd: 1e-7 }).source).toBe('given by the user');
    const half = pricesFor('af-south-1', 'x86_64', { pricePerRequestUsd: 1e-7 });
    expect(half).toMatchObject({ pricePerGbSecondUsd: 0.0000221, pricePerRequestUsd: 1e-7 });
    expect(half.source).toBe(`per request given by the user; per GB-second: ${PRICE_TABLE.source}`);
    const unknown = pricesFor('xx-test-1', 'arm64', { pricePerGbSecondUsd: 0.00002 });
    expect(unknown.source).toMatch(/^per GB-second given by the user; per request: us-east-1 prices: xx-test-1 is not in the table/);
  });

  it('holds sensible figures: positive, arm64 no dearer than x86_64, requests between $0.10 and $0.50 per million', () => {
    for (const [region, prices] of Object.entries(PRICE_TABLE.regions)) {
      for (const p of Object.values(prices)) {
        expect(p.perGbSecondUsd, region).toBeGreaterThan(0.00001);
        expect(p.perGbSecondUsd, region).toBeLessThan(0.00003);
        expect(p.perRequestUsd * 1e6, region).toBeGreaterThan(0.1);
        expect(p.perRequestUsd * 1e6, region).toBeLessThan(0.5);
      }
      if (prices.arm64 !== undefined && prices.x86_64 !== undefined) expect(prices.arm64.perGbSecondUsd, region).toBeLessThan(prices.x86_64.perGbSecondUsd);
    }
    expect(PRICE_TABLE.published).toMatch(/^\d{4}-\d{2}-\d{2}$/);
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
