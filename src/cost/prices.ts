import type { Architecture, Prices } from '../result/types.js';
import type { ArchitecturePrices } from './price-list.js';
import { PRICE_TABLE } from './price-table.js';

/** What results say their prices come from when the table has them. */
export const PRICE_SOURCE = PRICE_TABLE.source;

/** The region whose prices stand in for one the table lacks. */
const FALLBACK_REGION = 'us-east-1';

export interface PriceOverrides {
  pricePerGbSecondUsd?: number | undefined;
  pricePerRequestUsd?: number | undefined;
  billInit?: boolean | undefined;
}

/** The table's prices for a region and architecture; undefined when the table has none. */
export function listedPrices(region: string, architecture: Architecture): ArchitecturePrices | undefined {
  return PRICE_TABLE.regions[region]?.[architecture];
}

/**
 * The prices for a region and architecture: the table's (first duration tier), or us-east-1's for
 * a region or architecture the table lacks, which `source` then says. What the user gives wins.
 */
export function pricesFor(region: string, architecture: Architecture, overrides: PriceOverrides = {}): Prices {
  const listed = listedPrices(region, architecture);
  const table = listed ?? fallbackPrices(architecture);
  const tableSource = listed === undefined ? unlistedSource(region, architecture) : PRICE_SOURCE;
  return {
    region,
    architecture,
    pricePerGbSecondUsd: overrides.pricePerGbSecondUsd ?? table.perGbSecondUsd,
    pricePerRequestUsd: overrides.pricePerRequestUsd ?? table.perRequestUsd,
    billInit: overrides.billInit ?? true,
    source: sourceOf(overrides, tableSource),
  };
}

/** Whether prices were stood in for from us-east-1 because the table lacks their region or architecture. */
export function isFallbackPrice(prices: Pick<Prices, 'region' | 'architecture' | 'source'>): boolean {
  return prices.source.includes(unlistedSource(prices.region, prices.architecture));
}

function fallbackPrices(architecture: Architecture): ArchitecturePrices {
  const prices = listedPrices(FALLBACK_REGION, architecture);
  if (prices === undefined) throw new Error(`the price table has no ${FALLBACK_REGION} ${architecture} prices to stand in for other regions`);
  return prices;
}

function unlistedSource(region: string, architecture: Architecture): string {
  return `${FALLBACK_REGION} prices: ${region} is not in the table for ${architecture}; give --price-per-gb-second and --price-per-request (${PRICE_SOURCE})`;
}

function sourceOf(overrides: PriceOverrides, tableSource: string): string {
  const gbSecond = overrides.pricePerGbSecondUsd !== undefined;
  const request = overrides.pricePerRequestUsd !== undefined;
  if (gbSecond && request) return 'given by the user';
  if (gbSecond) return `per GB-second given by the user; per request: ${tableSource}`;
  if (request) return `per request given by the user; per GB-second: ${tableSource}`;
  return tableSource;
}

/**
 * One invocation's cost: billed duration × memory in GB × price per GB-second, plus the request.
 * A cold start's INIT is added when billed, unless Billed Duration already holds it (container
 * images and custom runtimes report it there): then billed ≥ duration + init.
 */
export function invocationCostUsd(billedDurationMs: number, memoryMb: number, prices: Prices, initDurationMs = 0, durationMs?: number): number {
  const includedAlready = durationMs !== undefined && initDurationMs > 0 && billedDurationMs >= Math.ceil(durationMs + initDurationMs);
  const billedInitMs = prices.billInit && !includedAlready ? Math.ceil(initDurationMs) : 0;
  return ((billedDurationMs + billedInitMs) / 1000) * (memoryMb / 1024) * prices.pricePerGbSecondUsd + prices.pricePerRequestUsd;
}
