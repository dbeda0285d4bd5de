/**
 * Duration against memory, for searching a memory range:
 *   duration ≈ fixedMs + scaledMs × 1024 / min(memory, plateauMb)
 * Lambda gives CPU in proportion to memory, so the scaled part is what the code spends computing at
 * 1024 MB, the fixed part what memory does not speed up (waiting on the network), and the plateau
 * where more memory stops helping (one vCPU, 1,769 MB, for single-threaded code; earlier when the
 * network is the limit). Fitted by least squares on relative errors, so a 5 s duration at 128 MB
 * does not outweigh a 300 ms one at 2 GB; the plateau by trying each size the range allows.
 */

export interface DurationModel {
  fixedMs: number;
  scaledMs: number;
  plateauMb: number;
}

interface Point {
  memoryMb: number;
  durationMs: number;
}

export function predictDurationMs(model: DurationModel, memoryMb: number): number {
  return model.fixedMs + (model.scaledMs * 1024) / Math.min(memoryMb, model.plateauMb);
}

/**
 * The best fit over the plateaus given (at least the largest). Plateaus that fit equally well (the
 * measured sizes cannot tell them apart) are stood for by the middle one, so the search measures
 * where the doubt is.
 */
export function fitDurationModel(points: readonly Point[], plateausMb: readonly number[]): DurationModel {
  const [only] = points;
  if (points.length === 1 && only !== undefined) return { fixedMs: 0, scaledMs: (only.durationMs * only.memoryMb) / 1024, plateauMb: Math.max(...plateausMb) };
  const lowest = Math.min(...points.map((p) => p.memoryMb));
  const fits = plateausMb
    .filter((plateauMb) => plateauMb >= lowest)
    .map((plateauMb) => ({ plateauMb, ...fitLine(points, plateauMb) }))
    .sort((a, b) => a.plateauMb - b.plateauMb);
  const bestError = Math.min(...fits.map((f) => f.error));
  const tied = fits.filter((f) => f.error <= bestError + 1e-9);
  const middle = tied[Math.floor((tied.length - 1) / 2)];
  if (middle === undefined) throw new Error('No plateau to fit: the largest size of the range is always one');
  return { fixedMs: middle.fixedMs, scaledMs: middle.scaledMs, plateauMb: middle.plateauMb };
}

/**
 * Weighted least squares of duration = a + b·x with x = 1024 / min(memory, plateau), weights
 * 1/duration² (relative errors), a and b held at zero or above: memory never makes code slower.
 */
function fitLine(points: readonly Point[], plateauMb: number): { fixedMs: number; scaledMs: number; error: number } {
  const rows = points.map((p) => ({ u: 1 / p.durationMs, x: 1024 / Math.min(p.memoryMb, plateauMb) }));
  const sum = (f: (r: { u: number; x: number }) => number) => rows.reduce((total, r) => total + f(r), 0);
  const [suu, suux, suuxx, su, sux] = [
    sum((r) => r.u * r.u),
    sum((r) => r.u * r.u * r.x),
    sum((r) => r.u * r.u * r.x * r.x),
    sum((r) => r.u),
    sum((r) => r.u * r.x),
  ];
  const determinant = suu * suuxx - suux * suux;
  const candidates = [
    { fixedMs: su / suu, scaledMs: 0 },
    { fixedMs: 0, scaledMs: sux / suuxx },
    ...(Math.abs(determinant) > 1e-300 ? [{ fixedMs: (su * suuxx - sux * suux) / determinant, scaledMs: (suu * sux - suux * su) / determinant }] : []),
  ].filter((c) => c.fixedMs >= 0 && c.scaledMs >= 0);
  const error = (c: { fixedMs: number; scaledMs: number }) => sum((r) => (1 - r.u * (c.fixedMs + c.scaledMs * r.x)) ** 2);
  return candidates.map((c) => ({ ...c, error: error(c) })).reduce((best, c) => (c.error < best.error ? c : best));
}
