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
  if (hostHeader === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (match === null) return false;
  const [, rawName = '', portText = '80'] = match;
  const name = rawName.replace(/\.$/, '');
  if (Number(portText) !== port) return false;
  if (LOOPBACK_NAMES.has(name) || name === urlHostName(boundHost)) return true;
  return WILDCARD_HOSTS.has(boundHost) && isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

/** What the platform answers a request through another name. */
export function misdirectedMessage(hostHeader: string | undefined, boundHost: string, port: number): string {
  const expected = [...new Set([urlHostName(boundHost), ...LOOPBACK_NAMES])].map((name) => `${name}:${port}`).join(', ');
  return `The Host header ${JSON.stringify(hostHeader ?? '')} does not name this server (${expected}); requests through other names are refused, so a web page cannot reach the platform by DNS rebinding.`;
}
