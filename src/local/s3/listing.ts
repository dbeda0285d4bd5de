/** One page of a bucket listing (ListObjects, ListObjectsV2), computed over keys in S3's order. */
export interface ListQuery {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Keys up to and including this one are left out (start-after, marker). */
  startAfter: string;
  /** Entries (keys or common prefixes) up to and including this one are left out: where the last page ended. */
  resumeAfter: string;
}

export interface ListPage<T> {
  contents: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last entry of this page, a key or a common prefix; the next page resumes after it. */
  lastEntry: string | undefined;
}

/** S3 lists keys in the binary order of their UTF-8 bytes, which JavaScript's string order is not. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** What a key lists as: itself, or the common prefix that rolls it up (prefix + up to the first delimiter after it). */
export function entryOf(key: string, prefix: string, delimiter: string): { kind: 'key' | 'prefix'; name: string } {
  if (delimiter === '') return { kind: 'key', name: key };
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? { kind: 'key', name: key } : { kind: 'prefix', name: key.slice(0, at + delimiter.length) };
}

/** `sorted` must be in `compareKeys` order; entries then come in that order too, so a page ends at one entry. */
export function listPage<T extends { key: string }>(sorted: readonly T[], query: ListQuery): ListPage<T> {
  const page: ListPage<T> = { contents: [], commonPrefixes: [], isTruncated: false, lastEntry: undefined };
  for (const object of sorted) {
    if (!object.key.startsWith(query.prefix) || compareKeys(object.key, query.startAfter) <= 0) continue;
    const entry = entryOf(object.key, query.prefix, query.delimiter);
    if (compareKeys(entry.name, query.resumeAfter) <= 0 || entry.name === page.lastEntry) continue;
    if (page.contents.length + page.commonPrefixes.length >= query.maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (entry.kind === 'key') page.contents.push(object);
    else page.commonPrefixes.push(entry.name);
    page.lastEntry = entry.name;
  }
  return page;
}
