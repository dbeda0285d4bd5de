/** Numbers as a reader scans them: units in the value, precision that fits its size. */

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Dollars with three significant digits, at least two decimals: $0.0000417, $4.17, $417.00. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  const digits = Math.max(2, 2 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(digits)}`;
}

/** A plain measured number (a logged timing): whole above 100, three significant digits below. */
export function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

export function formatMb(mb: number): string {
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
