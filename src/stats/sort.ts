/**
 * Numbers sorted in place, in the order Float64Array.prototype.sort gives them (-0 before 0), by
 * a least-significant-digit radix sort of their bits: a byte at a time, the counts of every byte
 * taken in one pass, and a byte every number shares (the sign and exponent of durations of one
 * cell, mostly) skipped. A cell of 60,000 durations sorts in half the time of the native sort,
 * which compares n log n times. Fewer values, or a NaN among them, are left to the native sort.
 */
export function sortNumbers(values: Float64Array): Float64Array {
  if (values.length < RADIX_FROM || !LITTLE_ENDIAN || hasNaN(values)) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  toKeys(words);
  const counts = byteCounts(words);
  let from: Uint32Array = words;
  let to: Uint32Array = new Uint32Array(words.length);
  for (let byte = 0; byte < 8; byte++) {
    if (!startsOfByte(counts, byte, values.length)) continue;
    moveByByte(from, to, counts, byte);
    [from, to] = [to, from];
  }
  if (from !== words) words.set(from);
  fromKeys(words);
  return values;
}

/** Below about this many values the native sort is as fast. */
const RADIX_FROM = 1024;
const SIGN = 0x80000000;
/** Where a number's low word comes first in its bytes, as on every machine Node.js runs on but a few; elsewhere the native sort does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Each number's bits (low word, high word) turned into a key whose unsigned order is the numbers' order: a positive number's sign bit set, a negative number's bits all flipped. */
function toKeys(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1] ?? 0;
    if ((high & SIGN) === 0) words[i + 1] = (high | SIGN) >>> 0;
    else {
      words[i] = ~(words[i] ?? 0);
      words[i + 1] = ~high;
    }
  }
}

/** The keys back into the numbers they were made from. */
function fromKeys(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1] ?? 0;
    if ((high & SIGN) !== 0) words[i + 1] = high & ~SIGN;
    else {
      words[i] = ~(words[i] ?? 0);
      words[i + 1] = ~high;
    }
  }
}

/** How many keys have each value of each of their eight bytes: 256 counts a byte, the lowest byte first. */
function byteCounts(words: Uint32Array): Uint32Array {
  const counts = new Uint32Array(8 * 256);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? 0;
    const base = (i & 1) * 1024;
    count(counts, base + (word & 255));
    count(counts, base + 256 + ((word >>> 8) & 255));
    count(counts, base + 512 + ((word >>> 16) & 255));
    count(counts, base + 768 + (word >>> 24));
  }
  return counts;
}

function count(counts: Uint32Array, at: number): void {
  counts[at] = (counts[at] ?? 0) + 1;
}

function hasNaN(values: Float64Array): boolean {
  for (const value of values) if (Number.isNaN(value)) return true;
  return false;
}

/** A byte's counts turned into where the keys of each of its values go first; false when every key has the same value there (no move needed). */
function startsOfByte(counts: Uint32Array, byte: number, keys: number): boolean {
  let total = 0;
  for (let at = byte * 256; at < (byte + 1) * 256; at++) {
    const count = counts[at] ?? 0;
    if (count === keys) return false;
    counts[at] = total;
    total += count;
  }
  return true;
}

/** Every key moved from `from` to its place in `to` by one byte, keys of the same byte value keeping their order. */
function moveByByte(from: Uint32Array, to: Uint32Array, counts: Uint32Array, byte: number): void {
  const word = byte >> 2;
  const shift = (byte & 3) * 8;
  const base = byte * 256;
  for (let i = 0; i < from.length; i += 2) {
    const at = base + (((from[i + word] ?? 0) >>> shift) & 255);
    const place = (counts[at] ?? 0) * 2;
    counts[at] = place / 2 + 1;
    to[place] = from[i] ?? 0;
    to[place + 1] = from[i + 1] ?? 0;
  }
}
