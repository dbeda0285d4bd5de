/** What a `Range` header asks of an object of `size` bytes (RFC 9110 §14.1.2, one range only, as S3 serves it). */
export type RangeRequest = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

const WHOLE: RangeRequest = { kind: 'whole' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };

/** `bytes=a-b`, `bytes=a-` and `bytes=-n`; a header that does not parse is ignored, as HTTP says, and the whole object served. */
export function resolveRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return WHOLE;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (match === null) return WHOLE;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return WHOLE;
  if (first === '') return suffix(Number(last), size);
  const start = Number(first);
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'part', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

function suffix(length: number, size: number): RangeRequest {
  if (length === 0 || size === 0) return UNSATISFIABLE;
  return { kind: 'part', start: Math.max(0, size - length), end: size - 1 };
}
