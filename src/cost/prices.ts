import type { Architecture, Prices } from '../result/types.js';

/**
 * Lambda on-demand prices per GB-second (first tier) and per request, from the AWS price list
 * (2026). us-east-1 figures are AWS's; the other regions' are third-party figures, unverified:
 * override with --price-per-gb-second when it matters.
 */
export const PRICE_SOURCE = 'AWS Lambda price list, first tier, retrieved 2026';

const PER_REQUEST_USD = 0.2 / 1_000_000;

/** The prices for regions not in the table. */
const US_EAST_1: Record<Architecture, number> = { x86_64: 0.0000166667, arm64: 0.0000133334 };

const PER_GB_SECOND_USD: Record<string, Partial<Record<Architecture, number>>> = {
  'us-east-1': US_EAST_1,
  'af-south-1': { x86_64: 0.0000221 },
  'ap-east-1': { x86_64: 0.00002292 },
  'eu-south-1': { x86_64: 0.0000195172 },
  'me-south-1': { x86_64: 0.0000206667 },
};

/** arm64 costs 20% less than x86_64 in AWS's published first tiers. */
const ARM_DISCOUNT = US_EAST_1.arm64 / US_EAST_1.x86_64;

export interface PriceOverrides {
  pricePerGbSecondUsd?: number | undefined;
  pricePerRequestUsd?: number | undefined;
  billInit?: boolean | undefined;
}

/** The prices for a region and architecture; regions not in the table are priced as us-east-1, and say so. */
export function pricesFor(region: string, architecture: Architecture, overrides: PriceOverrides = {}): Prices {
  const regional = PER_GB_SECOND_USD[region];
  const known = regional?.[architecture] ?? (regional?.x86_64 !== undefined && architecture === 'arm64' ? regional.x86_64 * ARM_DISCOUNT : undefined);
  const fallback = US_EAST_1[architecture];
  let source = known === undefined ? `${PRICE_SOURCE} (us-east-1 prices: ${region} is not in the table)` : PRICE_SOURCE;
  if (overrides.pricePerGbSecondUsd !== undefined || overrides.pricePerRequestUsd !== undefined) source = 'given by the user';
  return {
    region,
    architecture,
    pricePerGbSecondUsd: overrides.pricePerGbSecondUsd ?? known ?? fallback,
    pricePerRequestUsd: overrides.pricePerRequestUsd ?? PER_REQUEST_USD,
    billInit: overrides.billInit ?? true,
    source,
  };
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
