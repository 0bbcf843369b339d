/**
 * SSRF guard. URLs are checked before a request (scheme, IP-literal host), and again at connect
 * time when the keep-alive agent opens a socket (agent.ts): host names are resolved through
 * `guardedLookup`, so the DNS answer that is checked is the one the socket connects to and a
 * rebinding DNS server cannot slip a private address past the check. Hosts in `allowHosts`
 * (`host` or `host:port`) are exempt from the address check, nothing else is.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { BlockedUrlError, NetworkError } from '../errors';
import { isBlockedAddress } from './ip-ranges';

/** One parsed `allowHosts` entry: normalised host name and, when given, the port. */
interface AllowEntry {
  hostname: string;
  port?: string;
}

/** Brackets a bare IPv6 address so it can sit in a URL authority. */
function bracketIfIpv6(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function parseAllowEntry(raw: string): AllowEntry | undefined {
  const entry = raw.trim().toLowerCase();
  if (!entry) return undefined;
  let host = entry;
  let port: string | undefined;
  const withPort = /^(.*):(\d{1,5})$/.exec(entry);
  const hostPart = withPort?.[1];
  // A bare IPv6 address ("::1") has colons too: only "[v6]:port" or "name:port" carry a port.
  if (withPort && hostPart && (!hostPart.includes(':') || hostPart.startsWith('['))) {
    host = hostPart;
    port = String(Number(withPort[2]));
  }
  try {
    // The WHATWG parser normalises the entry exactly as it normalises request URLs (case, IDN, IPv4 forms).
    return { hostname: new URL(`http://${bracketIfIpv6(host)}/`).hostname, port };
  } catch {
    return undefined;
  }
}

/** The port a URL really connects to ("" in a URL means the scheme's default). */
function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

/** True when the URL's host (and port, for entries that name one) matches an `allowHosts` entry. */
export function isAllowedHost(url: URL, allowHosts: string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = effectivePort(url);
  return allowHosts.some((raw) => {
    const entry = parseAllowEntry(raw);
    return entry !== undefined && entry.hostname === hostname && (entry.port === undefined || entry.port === port);
  });
}

/** The bare IP when the URL host is an IP literal (the WHATWG parser already turned 0x7f.1 into 127.0.0.1). */
function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/** Throws `BlockedUrlError` for a non-http(s) URL, or an IP-literal host in a blocked range that is not allowlisted. */
export function assertUrlAllowed(url: URL, allowHosts: string[]): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedUrlError(`blocked scheme ${url.protocol} in ${url.href}`);
  }
  if (isAllowedHost(url, allowHosts)) return;
  const ip = ipLiteral(url.hostname);
  if (ip !== undefined && isBlockedAddress(ip)) {
    throw new BlockedUrlError(`blocked address ${ip} for host ${url.hostname}`);
  }
}

/**
 * A `lookup` for net/tls.connect that resolves all addresses and fails with `BlockedUrlError` when
 * any of them is blocked, or `NetworkError` when resolution fails.
 */
export const guardedLookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) {
      callback(new NetworkError(`DNS lookup failed for ${hostname}`, { cause: err }), '');
      return;
    }
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) {
      callback(new BlockedUrlError(`blocked address ${blocked.address} for host ${hostname}`), '');
      return;
    }
    const first = addresses[0];
    if (!first) {
      callback(new NetworkError(`DNS lookup failed for ${hostname}: no addresses`), '');
    } else if (options.all) {
      callback(null, addresses);
    } else {
      callback(null, first.address, first.family);
    }
  });
};

/**
 * The guard for a new connection to `hostname:port` over `protocol` ("http:" or "https:"): undefined for an
 * allowlisted endpoint (connect as usual), `guardedLookup` for a host name. Throws `BlockedUrlError` for an
 * IP literal in a blocked range, so no socket is ever created for it.
 */
export function connectionLookup(protocol: string, hostname: string, port: string | number, allowHosts: string[]): LookupFunction | undefined {
  let endpoint: URL;
  try {
    endpoint = new URL(`${protocol}//${bracketIfIpv6(hostname)}${port ? `:${port}` : ''}/`);
  } catch (err) {
    throw new BlockedUrlError(`invalid host ${hostname}`, { cause: err });
  }
  if (isAllowedHost(endpoint, allowHosts)) return undefined;
  const ip = ipLiteral(hostname);
  if (ip !== undefined && isBlockedAddress(ip)) throw new BlockedUrlError(`blocked address ${ip} for host ${hostname}`);
  return guardedLookup;
}
