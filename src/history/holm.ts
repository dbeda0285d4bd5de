/**
 * Holm's step-down procedure (Holm 1979): sorted ascending, the k-th smallest of m p-values is
 * significant when it and every smaller one is below α / (m − k + 1). It holds the chance of any
 * false alarm across the m tests at α. Returns, in the input's order, which are significant.
 */
export function holmSignificant(pValues: readonly number[], alpha: number): boolean[] {
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const significant = pValues.map(() => false);
  for (const [k, { p, index }] of order.entries()) {
    if (p >= alpha / (pValues.length - k)) break;
    significant[index] = true;
  }
  return significant;
}
