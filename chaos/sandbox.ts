/**
 * The chaos suite's network sandbox: no packet and no DNS query may leave loopback, whatever the
 * code under test does. Every TCP connect (plain and TLS, they share net.Socket.prototype.connect)
 * to a target outside 127.0.0.0/8 / ::1 is refused before a socket opens and recorded — so an SSRF
 * guard that failed would show up here as an attempt, never as traffic. DNS is answered in-process:
 * `localhost` is 127.0.0.1, every other name (RFC 6761 `.invalid` included) is NXDOMAIN, because
 * the system resolver is not on loopback and must not be asked.
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/** A connection the sandbox refused: the code under test tried to reach a non-loopback target. */
export interface BlockedAttempt {
  host: string;
  port: number;
  at: number;
}

/** What the sandbox saw so far. */
export interface SandboxLog {
  /** Connects to non-loopback targets, refused before any packet left. */
  blocked: BlockedAttempt[];
  /** Host names looked up, and whether the in-process resolver answered them. */
  lookups: { hostname: string; answered: boolean }[];
}

const log: SandboxLog = { blocked: [], lookups: [] };
let installed = false;

/** True for an address inside 127.0.0.0/8 or ::1 (with or without brackets or an IPv4-mapped prefix). */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return net.isIPv4(v4) && v4.startsWith('127.') && bare === v4;
}

/** Host and port of a Socket#connect call, whatever form its arguments took. */
function connectTarget(args: unknown[]): { host: string; port: number; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string };
    return { host: o.host ?? 'localhost', port: Number(o.port ?? 0), ...(o.path ? { path: o.path } : {}) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: 'localhost', port: 0, path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first ?? 0) };
}

/** True when a connect target may be reached: loopback addresses, `localhost`, unix sockets, and `.invalid` (resolved in-process). */
function mayConnect(target: { host: string; path?: string }): boolean {
  if (target.path) return true;
  const host = target.host.toLowerCase();
  if (net.isIP(host.replace(/^\[|\]$/g, ''))) return isLoopbackAddress(host);
  return host === 'localhost' || host.endsWith('.invalid');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/** The in-process resolver: IP literals are themselves, localhost is loopback, every other name does not exist. */
function sandboxLookup(hostname: string, optionsOrCallback: unknown, maybeCallback?: unknown): void {
  const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as LookupCallback;
  const options = (typeof optionsOrCallback === 'object' && optionsOrCallback !== null ? optionsOrCallback : {}) as dns.LookupOptions;
  const literal = net.isIP(hostname);
  const address = literal ? hostname : '127.0.0.1';
  const family = literal === 6 ? 6 : 4;
  const answered = literal > 0 || hostname.toLowerCase() === 'localhost';
  log.lookups.push({ hostname, answered });
  process.nextTick(() => {
    if (!answered) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
      callback(err);
    } else if (options.all) {
      callback(null, [{ address, family }]);
    } else {
      callback(null, address, family);
    }
  });
}

/** Installs the sandbox once per process and returns its log (shared by every caller). */
export function installNetworkSandbox(): SandboxLog {
  if (installed) return log;
  installed = true;
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function sandboxedConnect(this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if (mayConnect(target)) return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    log.blocked.push({ host: target.host, port: target.port, at: Date.now() });
    const err: NodeJS.ErrnoException = Object.assign(new Error(`chaos sandbox refused a connection to ${target.host}:${target.port}`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(err));
    return this;
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = sandboxLookup;
  syncBuiltinESMExports();
  return log;
}
