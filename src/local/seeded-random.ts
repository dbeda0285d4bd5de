/**
 * A small seeded generator of numbers in [0, 1): the same seed gives the same sequence, so a test
 * that injects faults at random meets the same ones on every run. Mulberry32 (Tommy Ettinger's
 * 32-bit mixer, public domain); plenty for choosing faults, not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
