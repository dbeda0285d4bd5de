import { invalidUri } from './errors.js';

/** What a request is about: bucket and key ('' when absent) and its query. */
export interface S3Target {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/**
 * Reads bucket and key the two ways SDKs address them: path-style (`/bucket/key`) and
 * virtual-host-style (`bucket.<service host>/key`). The path is split and decoded by hand:
 * URL parsing would resolve `..` segments, which are part of a key in S3.
 */
export function parseTarget(rawUrl: string, hostHeader: string | undefined, serviceHosts: readonly string[]): S3Target {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = withoutOrigin(queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt));
  const query = new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));
  const rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const hostBucket = bucketFromHost(hostHeader, serviceHosts);
  if (hostBucket !== undefined) return { bucket: hostBucket, key: decode(rest), query };
  const slash = rest.indexOf('/');
  if (slash === -1) return { bucket: decode(rest), key: '', query };
  return { bucket: decode(rest.slice(0, slash)), key: decode(rest.slice(slash + 1)), query };
}

/** A request line may carry an absolute URL (`http://host/path`); only its path counts. */
function withoutOrigin(path: string): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  return origin === null ? path : path.slice(origin[0].length);
}

/** `bucket.localhost:4567` → `bucket` when `localhost` is one of this server's own host names. */
export function bucketFromHost(hostHeader: string | undefined, serviceHosts: readonly string[]): string | undefined {
  if (hostHeader === undefined || hostHeader.startsWith('[')) return undefined;
  const hostname = hostHeader.replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
  for (const serviceHost of serviceHosts) {
    const suffix = `.${serviceHost.toLowerCase()}`;
    if (hostname.endsWith(suffix) && hostname.length > suffix.length) return hostname.slice(0, -suffix.length);
  }
  return undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidUri();
  }
}
