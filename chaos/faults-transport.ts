/** Feed-server faults at the HTTP and transport level: error statuses, resets, truncation, timeouts, DNS, TLS. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { FAULTY, permanentFeedFault, transientFeedFault, type FaultHandler } from './kit';
import { checkFailureVisible } from './measure';
import type { FaultScenario } from './scenario';

const HOUR = 3_600_000;

function status(code: number, headers: Record<string, string> = {}): FaultHandler {
  return (_req, res) => void res.writeHead(code, { 'content-type': 'text/plain', ...headers }).end(`status ${code}\n`);
}

/** Writes raw bytes on the request's socket (bypassing the HTTP server), then ends or resets the connection. */
function raw(req: IncomingMessage, bytes: Buffer, then: 'end' | 'reset'): void {
  const socket = req.socket;
  socket.write(bytes, () => (then === 'end' ? socket.end() : socket.resetAndDestroy()));
}

/** A feed body (the faulty source's good feed is stand-in content for broken transfers). */
const BODY = Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${'<item><title>x</title></item>'.repeat(40)}</channel></rss>`);

function head(length: number): Buffer {
  return Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`);
}

/** Sends one byte every `everyMs` until the client goes away (bounded by the client's timeouts). */
function drip(everyMs: number): FaultHandler {
  return (_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(BODY.length) });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= BODY.length || res.destroyed) return void clearInterval(timer);
      res.write(BODY.subarray(sent, sent + 1));
      sent++;
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const refusedPort = await closedPort();

/** The transport and status faults. */
export const transportFaults: FaultScenario[] = [
  transientFeedFault('http-429-retry-after-seconds', '429 with Retry-After: 7200; nextFetchAt must honour it', status(429, { 'retry-after': '7200' }), {
    fast: true,
    want: { error: /429/, minDelayMs: 2 * HOUR },
  }),
  transientFeedFault('http-429-retry-after-date', '429 with Retry-After as an HTTP-date 3 h ahead', (req, res) =>
    status(429, { 'retry-after': new Date(Date.now() + 3 * HOUR).toUTCString() })(req, res), { want: { error: /429/, minDelayMs: 3 * HOUR - 60_000 } }),
  transientFeedFault('http-503-retry-after', '503 with Retry-After: 5400', status(503, { 'retry-after': '5400' }), { want: { error: /503/, minDelayMs: 1.5 * HOUR } }),
  transientFeedFault('http-500', '500 Internal Server Error', status(500), { want: { error: /500/ } }),
  transientFeedFault('http-502', '502 Bad Gateway', status(502), { want: { error: /502/ } }),
  transientFeedFault('http-504', '504 Gateway Timeout', status(504), { want: { error: /504/ } }),
  transientFeedFault('reset-before-headers', 'TCP RST as soon as the request arrives', (req) => req.socket.resetAndDestroy(), {
    fast: true,
    want: { error: /reset|closed/ },
  }),
  transientFeedFault('reset-mid-body', 'headers and half the body, then TCP RST', (req) => raw(req, Buffer.concat([head(BODY.length), BODY.subarray(0, BODY.length >> 1)]), 'reset'), {
    want: { error: /reset|closed|shorter/ },
  }),
  transientFeedFault('truncated-body', 'Content-Length 1000 bytes larger than the body sent, then FIN', (req) => raw(req, Buffer.concat([head(BODY.length + 1000), BODY]), 'end'), {
    want: { error: /shorter than Content-Length|closed/ },
  }),
  transientFeedFault('malformed-http', 'a status line that is not HTTP', (req) => raw(req, Buffer.from('HTTP/1.1 OK-ISH\r\n\r\n'), 'end'), {
    want: { error: /invalid HTTP|closed|failed/ },
  }),
  transientFeedFault('slow-drip-idle-timeout', 'one body byte per second (idle timeout 500 ms)', drip(1_000), { want: { error: /stalled|no body data|timeout/ } }),
  transientFeedFault('never-completes-total-timeout', 'one body byte per 300 ms forever (total timeout 2.5 s)', drip(300), { want: { error: /total timeout/ } }),
  transientFeedFault('never-answers', 'accepts the request and never sends headers', () => undefined, { want: { error: /timeout|no response headers/ } }),
  permanentFeedFault('http-404', '404 Not Found on every fetch', '/faulty/feed.xml', status(404), {
    want: { error: /404/ },
    after: async (world) => world.check((await world.state(FAULTY))?.lastStatusCode === 404, 'lastStatusCode is not 404'),
  }),
  permanentFeedFault('connection-refused', 'an allowlisted loopback port with nothing listening', `http://127.0.0.1:${refusedPort}/feed.xml`, undefined, {
    world: { allowHosts: [`127.0.0.1:${refusedPort}`] },
    want: { error: /refused/ },
  }),
  permanentFeedFault('dns-failure', 'a .invalid host; the sandbox resolver answers NXDOMAIN in-process', 'http://feed.invalid/feed.xml', undefined, {
    want: { error: /DNS lookup failed/ },
  }),
  permanentFeedFault('tls-failure', 'https:// to the plain-HTTP feed server port', 'https://127.0.0.1:{port}/faulty/feed.xml', undefined, {
    want: { error: /TLS|closed|invalid HTTP/ },
  }),
  permanentFeedFault('http-410-gone', '410 Gone; later the scheduler must skip the source', '/faulty/feed.xml', status(410), {
    want: { status: 'gone', error: /410/ },
    after: async (world) => {
      // Time travel: every source is due again; only the gone one must stay unfetched.
      const states = await world.stack.runtime.states.getStates(world.sources.map((s) => s.id));
      for (const s of states.values()) await world.stack.runtime.states.putState({ ...s, nextFetchAt: new Date(Date.now() - 60_000).toISOString() });
      const before = world.server.stats.requests;
      const fetchedBefore = states.get(FAULTY)?.lastFetchAt;
      const summary = await world.cycle(false);
      world.check(summary?.due === world.sources.length - 1, `scheduler dispatched ${summary?.due} sources; expected all but the gone one`);
      const gone = await world.state(FAULTY);
      world.check(gone?.lastFetchAt === fetchedBefore, 'the gone source was fetched again by an unforced cycle');
      world.check(world.server.stats.requests - before === world.sources.length - 1, 'unexpected requests in the unforced cycle');
      world.check(gone?.status === 'gone', `the gone source's status became ${gone?.status}`);
    },
  }),
];
