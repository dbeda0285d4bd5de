import { isIP } from 'node:net';

/** Names every loopback listener answers to, as they appear in a Host header. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** Whether an address to bind to only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** A host as it is written in a URL or a Host header: IPv6 addresses in brackets, lower case. */
export function urlHostName(host: string): string {
  const name = host.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/**
 * Whether a request's Host header names the server it reached: the right port, and a name that
 * cannot be a DNS rebinding (a loopback name, the address it is bound to, or, bound to every
 * address, an IP address). A web page that rebinds its own name to 127.0.0.1 sends that name.
 */
export function acceptsHost(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  const host = splitHost(hostHeader);
  return host !== undefined && host.port === port && namesServer(host.name, boundHost);
}

/**
 * The same for S3, which also takes `<bucket>.<name>` (virtual-host style) for the names that are
 * DNS names: `localhost` (and all of `*.localhost` is loopback, RFC 6761) and the bound name.
 */
export function acceptsBucketHost(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  const host = splitHost(hostHeader);
  if (host === undefined || host.port !== port) return false;
  if (namesServer(host.name, boundHost)) return true;
  return serviceNames(boundHost).some((name) => host.name.length > name.length + 1 && host.name.endsWith(`.${name}`));
}

/** The names under which a bucket may stand as a subdomain: never an IP address. */
export function serviceNames(boundHost: string): string[] {
  const bound = boundHost.toLowerCase();
  return isIP(bound.replace(/^\[(.*)\]$/, '$1')) === 0 && bound !== 'localhost' ? ['localhost', bound] : ['localhost'];
}

/** A Host header's name (lower case, without a trailing dot) and port (80 when left out), or undefined when it is not one. */
function splitHost(hostHeader: string | undefined): { name: string; port: number } | undefined {
  if (hostHeader === undefined) return undefined;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (match === null) return undefined;
  const [, rawName = '', portText = '80'] = match;
  return { name: rawName.replace(/\.$/, ''), port: Number(portText) };
}

function namesServer(name: string, boundHost: string): boolean {
  if (LOOPBACK_NAMES.has(name) || name === urlHostName(boundHost)) return true;
  return WILDCARD_HOSTS.has(boundHost) && isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

/** What the platform answers a request through another name. */
export function misdirectedMessage(hostHeader: string | undefined, boundHost: string, port: number): string {
  const expected = [...new Set([urlHostName(boundHost), ...LOOPBACK_NAMES])].map((name) => `${name}:${port}`).join(', ');
  return `The Host header ${JSON.stringify(hostHeader ?? '')} does not name this server (${expected}); requests through other names are refused, so a web page cannot reach the platform by DNS rebinding.`;
}
