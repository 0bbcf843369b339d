/**
 * Shared keep-alive node:http and node:https agents, one pair per distinct guard/connect configuration, so
 * fetching many feeds reuses connections. Every new socket passes the SSRF guard (guard.ts: blocked IP
 * literals never get a socket, host names resolve through the guarded lookup) and a connect timeout that
 * covers DNS, TCP and the TLS handshake. `closeFetchAgents` lets a process exit cleanly.
 */
import http from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FetchSettings } from '../config';
import { TimeoutError } from '../errors';
import { connectionLookup } from './guard';

/** Idle keep-alive sockets are closed after this long (sooner when the server's Keep-Alive header says so). */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;

/** What every new connection of one agent is checked against. */
interface ConnectGuard {
  connectTimeoutMs: number;
  allowHosts: string[];
}

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

/** `host:port` as a URL would show it (no port for the scheme's default), for messages. */
function displayHost(protocol: string, host: string, port: string | number): string {
  try {
    return new URL(`${protocol}//${host.includes(':') ? `[${host}]` : host}:${port}`).host;
  } catch {
    return `${host}:${port}`;
  }
}

/**
 * Opens a guarded socket with `open`, or reports `BlockedUrlError` through `callback` without opening one.
 * The socket is destroyed with a `TimeoutError` unless it connects (and, for https, finishes the handshake) in time.
 */
function openGuarded(
  protocol: 'http:' | 'https:',
  options: http.ClientRequestArgs,
  guard: ConnectGuard,
  callback: ConnectCallback | undefined,
  open: (options: http.ClientRequestArgs) => Duplex,
): Duplex | undefined {
  const host = options.host ?? options.hostname ?? 'localhost';
  const port = options.port ?? (protocol === 'https:' ? 443 : 80);
  let lookup: net.LookupFunction | undefined;
  try {
    lookup = connectionLookup(protocol, host, port, guard.allowHosts);
  } catch (err) {
    process.nextTick(() => callback?.(err as Error, undefined as unknown as Duplex));
    return undefined;
  }
  const socket = open(lookup ? { ...options, lookup } : options);
  const timer = setTimeout(() => {
    socket.destroy(new TimeoutError(`connect timeout after ${guard.connectTimeoutMs}ms to ${displayHost(protocol, host, port)}`));
  }, guard.connectTimeoutMs);
  const connected = (): void => clearTimeout(timer);
  socket.once(protocol === 'https:' ? 'secureConnect' : 'connect', connected);
  socket.once('close', connected);
  if (protocol === 'http:' || !callback) return socket;
  // https: hand the socket over only after the handshake, so nothing is written before it and a failed
  // handshake reports its own ERR_SSL_* / certificate code rather than a write error (EPROTO).
  const onError = (err: Error): void => {
    socket.off('secureConnect', onSecure);
    callback(err, socket);
  };
  function onSecure(): void {
    socket.off('error', onError);
    callback?.(null, socket);
  }
  socket.once('error', onError);
  socket.once('secureConnect', onSecure);
  return undefined;
}

/** A keep-alive http agent whose sockets are guarded (or, with `keepAlive` false, one that never reuses them). */
class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly guard: ConnectGuard,
    keepAlive = true,
  ) {
    super({ keepAlive, timeout: KEEP_ALIVE_TIMEOUT_MS });
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectCallback): Duplex | undefined {
    // Through the `net` namespace object (not a bound reference), so tests can observe socket creation.
    return openGuarded('http:', options, this.guard, callback, (opts) => net.connect(opts as net.NetConnectOpts));
  }
}

/** A keep-alive https agent (TLS session reuse included) whose sockets are guarded (with `keepAlive` false, never reused). */
class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly guard: ConnectGuard,
    keepAlive = true,
  ) {
    super({ keepAlive, timeout: KEEP_ALIVE_TIMEOUT_MS });
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | undefined {
    return openGuarded('https:', options, this.guard, callback, (opts) => super.createConnection(opts as https.RequestOptions) as Duplex);
  }
}

const agents = new Map<string, http.Agent>();

/** The shared agent for these settings and scheme: guarded sockets with the settings' connect timeout and allowlist. */
export function getFetchAgent(settings: Pick<FetchSettings, 'connectTimeoutMs' | 'allowHosts'>, protocol: 'http:' | 'https:'): http.Agent {
  const allowHosts = [...settings.allowHosts].sort();
  const key = JSON.stringify([protocol, settings.connectTimeoutMs, allowHosts]);
  let agent = agents.get(key);
  if (!agent) {
    const guard = { connectTimeoutMs: settings.connectTimeoutMs, allowHosts };
    agent = protocol === 'https:' ? new GuardedHttpsAgent(guard) : new GuardedHttpAgent(guard);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * A new agent for one request that must get a new connection (its socket is closed after the response),
 * guarded like the shared ones: a retry after a pooled socket turned out closed by the server, when
 * others in the pool may have been closed too.
 */
export function freshConnectionAgent(settings: Pick<FetchSettings, 'connectTimeoutMs' | 'allowHosts'>, protocol: 'http:' | 'https:'): http.Agent {
  const guard = { connectTimeoutMs: settings.connectTimeoutMs, allowHosts: [...settings.allowHosts].sort() };
  return protocol === 'https:' ? new GuardedHttpsAgent(guard, false) : new GuardedHttpAgent(guard, false);
}

/** Sockets of `agent` that are serving a request right now. */
function busySockets(agent: http.Agent): Socket[] {
  return Object.values(agent.sockets).flatMap((list) => list ?? []);
}

/** Waits until no socket of `agent` is serving a request, then destroys it (closing its idle sockets). */
async function closeWhenIdle(agent: http.Agent): Promise<void> {
  for (let busy = busySockets(agent); busy.length > 0; busy = busySockets(agent)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        agent.off('free', done);
        for (const socket of busy) socket.off('close', done);
        resolve();
      };
      agent.on('free', done);
      for (const socket of busy) socket.on('close', done);
    });
  }
  agent.destroy();
}

/** Closes every shared agent (waiting for in-flight requests) and forgets them; later fetches make new ones. */
export async function closeFetchAgents(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  await Promise.all(open.map((agent) => closeWhenIdle(agent)));
}
