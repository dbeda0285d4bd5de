/**
 * Seeded randomness for the simulator: every stream is named (trial, cell, kind), so the k-th warm
 * invocation of a cell draws the same noise whichever way the run is sampled, and a fixed run and
 * an adaptive one of the same trial measure the same function on the same day (common random
 * numbers: what differs between them is the sampling, not the luck).
 */
import { seededRandom } from '../../src/local/seeded-random.js';

/** A generator of numbers in [0, 1) named by a key (FNV-1a of the key seeds Mulberry32). */
export function stream(key: string): () => number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return seededRandom(hash >>> 0);
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The multiplier of lognormal noise with median 1 and log-sd `sigma` (about the coefficient of variation for small sigma). */
export function lognormal(random: () => number, sigma: number): number {
  return Math.exp(sigma * normal(random));
}
