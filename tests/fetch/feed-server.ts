/**
 * A real node:http server on 127.0.0.1 (port 0) with one route per fetch behaviour under test:
 * compression, conditional GET, redirects, failing statuses, slow and broken bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';
import type { FetchSettings } from '../../shared/config';
import { closeFetchAgents } from '../../shared/fetch';

/** The sample feed every plain route serves. */
export const FEED_XML = Buffer.from(
  `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Test</title>${'<item><title>Item</title><description>Lorem ipsum dolor sit amet</description></item>'.repeat(40)}</channel></rss>\n`,
);

/** ETag and Last-Modified of the conditional route. */
export const ETAG = '"v1-abc"';
export const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

/** 50 MB of zeros, gzipped (about 50 KB on the wire). */
export const BOMB_INFLATED_BYTES = 50 * 1024 * 1024;

/** A running test server and what it observed. */
export interface FeedServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests in flight on /concurrent right now, and the highest seen. */
  inFlight: number;
  maxInFlight: number;
  /** Request headers of the last request to /echo or /hub. */
  lastHeaders?: IncomingMessage['headers'];
  /** Request body of the last request to /hub. */
  lastBody?: string;
  close(): Promise<void>;
}

/** Fetch settings for tests against `port` (allowlisted unless `allowHosts` is overridden). */
export function testSettings(port: number, overrides: Partial<FetchSettings> = {}): FetchSettings {
  return {
    userAgent: 'TributaryTest/1.0 (+https://example.test/bot)',
    connectTimeoutMs: 2_000,
    totalTimeoutMs: 5_000,
    idleTimeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    maxRedirects: 5,
    concurrency: 8,
    bodyConcurrency: 4,
    perHostConcurrency: 2,
    allowHosts: [`127.0.0.1:${port}`],
    ...overrides,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer): void {
  res.writeHead(status, headers);
  res.end(body);
}

function redirect(res: ServerResponse, status: number, location: string): void {
  send(res, status, { location, 'content-length': 0 });
}

/** Writes a chunk every `intervalMs`, at most `count` times, while the client is still there. */
async function drip(res: ServerResponse, count: number, intervalMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  for (let i = 0; i < count && !res.destroyed; i++) {
    res.write('<!-- drip -->');
    await sleep(intervalMs);
  }
  res.end();
}

/** Requests served so far on each connection. */
const requestsOnSocket = new WeakMap<object, number>();

function route(state: FeedServer, bomb: () => Buffer, req: IncomingMessage, res: ServerResponse): void {
  const served = (requestsOnSocket.get(req.socket) ?? 0) + 1;
  requestsOnSocket.set(req.socket, served);
  const url = new URL(req.url ?? '/', state.base);
  const path = url.pathname;
  const xml = { 'content-type': 'application/rss+xml; charset=utf-8' };
  const chain = /^\/r301\/(\d+)$/.exec(path);
  if (chain) {
    const n = Number(chain[1]);
    redirect(res, 301, n <= 1 ? '/plain' : `/r301/${n - 1}`);
    return;
  }
  switch (path) {
    case '/plain':
      return send(res, 200, { ...xml, 'content-length': FEED_XML.length, 'cache-control': 'max-age=300', expires: LAST_MODIFIED }, FEED_XML);
    case '/located':
      return send(res, 200, { ...xml, 'content-location': '/elsewhere/feed.xml', 'content-language': 'en-GB, fr' }, FEED_XML);
    case '/echo':
      state.lastHeaders = req.headers;
      return send(res, 200, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(req.headers)));
    case '/hub': {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        state.lastHeaders = req.headers;
        state.lastBody = Buffer.concat(chunks).toString();
        send(res, 202, { 'content-type': 'text/plain' }, Buffer.from('accepted'));
      });
      return;
    }
    case '/hub-error':
      req.resume();
      return send(res, 500, { 'content-type': 'text/plain' }, Buffer.from('hub broke'));
    case '/first-per-connection':
      // Serves the first request of a connection and resets the connection on any later one, like a server
      // that dropped an idle keep-alive connection just as the client reused it.
      if (served > 1) return void req.socket.resetAndDestroy();
      return send(res, 200, { ...xml, 'content-length': FEED_XML.length }, FEED_XML);
    case '/conditional':
      if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
        return send(res, 304, { etag: ETAG, 'last-modified': LAST_MODIFIED });
      }
      return send(res, 200, { ...xml, etag: ETAG, 'last-modified': LAST_MODIFIED }, FEED_XML);
    case '/gzip':
      return send(res, 200, { ...xml, 'content-encoding': 'gzip' }, gzipSync(FEED_XML));
    case '/x-gzip':
      return send(res, 200, { ...xml, 'content-encoding': 'x-gzip' }, gzipSync(FEED_XML));
    case '/deflate-zlib':
      return send(res, 200, { ...xml, 'content-encoding': 'deflate' }, deflateSync(FEED_XML));
    case '/deflate-raw':
      return send(res, 200, { ...xml, 'content-encoding': 'deflate' }, deflateRawSync(FEED_XML));
    case '/br':
      return send(res, 200, { ...xml, 'content-encoding': 'br' }, brotliCompressSync(FEED_XML));
    case '/gzip-truncated': {
      const whole = gzipSync(FEED_XML);
      return send(res, 200, { ...xml, 'content-encoding': 'gzip' }, whole.subarray(0, Math.floor(whole.length / 2)));
    }
    case '/gzip-corrupt':
      return send(res, 200, { ...xml, 'content-encoding': 'gzip' }, Buffer.from('this is not gzip at all'));
    case '/gzip-bomb':
      return send(res, 200, { ...xml, 'content-encoding': 'gzip' }, bomb());
    case '/big-with-length':
      return send(res, 200, { ...xml, 'content-length': 2 * 1024 * 1024 }, Buffer.alloc(2 * 1024 * 1024, 0x61));
    case '/big-chunked': {
      res.writeHead(200, xml);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      for (let i = 0; i < 32; i++) res.write(chunk);
      res.end();
      return;
    }
    case '/slow-drip':
      void drip(res, 3, 1_500);
      return;
    case '/slow-total':
      void drip(res, 100, 100);
      return;
    case '/hang': {
      const timer = setTimeout(() => send(res, 200, xml, FEED_XML), 3_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case '/compress':
      return send(res, 200, { ...xml, 'content-encoding': 'compress' }, FEED_XML);
    case '/r302':
      return redirect(res, 302, '/plain');
    case '/r308':
      return redirect(res, 308, '/r301/1');
    case '/mixed':
      return redirect(res, 301, '/mixed-302');
    case '/mixed-302':
      return redirect(res, 302, '/r301/1');
    case '/relative/deep':
      return redirect(res, 301, '../plain?from=relative');
    case '/loop-a':
      return redirect(res, 302, '/loop-b');
    case '/loop-b':
      return redirect(res, 302, '/loop-a');
    case '/redirect-to':
      return redirect(res, 302, url.searchParams.get('to') ?? '/plain');
    case '/gone':
      return send(res, 410, { 'content-type': 'text/plain' }, Buffer.from('gone'));
    case '/teapot-404':
      return send(res, 404, { 'content-type': 'text/plain' }, Buffer.from('not here'));
    case '/busy':
      return send(res, 429, { 'retry-after': '120' }, Buffer.from('slow down'));
    case '/down':
      return send(res, 503, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() }, Buffer.from('later'));
    case '/reset':
      res.writeHead(200, xml);
      res.write(FEED_XML.subarray(0, 100), () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
      return;
    case '/truncated':
      res.writeHead(200, { ...xml, 'content-length': FEED_XML.length });
      res.write(FEED_XML.subarray(0, 100), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    case '/concurrent':
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      setTimeout(() => {
        state.inFlight -= 1;
        send(res, 200, xml, FEED_XML);
      }, 60);
      return;
    default:
      return send(res, 404, { 'content-type': 'text/plain' }, Buffer.from('no route'));
  }
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startFeedServer(): Promise<FeedServer> {
  let bombBytes: Buffer | undefined;
  const bomb = (): Buffer => (bombBytes ??= gzipSync(Buffer.alloc(BOMB_INFLATED_BYTES)));
  const server = createServer();
  const state: FeedServer = {
    server,
    port: 0,
    base: '',
    connections: 0,
    inFlight: 0,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => {
    state.connections += 1;
  });
  server.on('request', (req, res) => route(state, bomb, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.base = `http://127.0.0.1:${state.port}`;
  return state;
}

/** Starts a feed server before the file's (or suite's) tests and stops it and the fetch agents after; `use` receives it. */
export function useFeedServer(use: (server: FeedServer) => void): void {
  let server: FeedServer | undefined;
  beforeAll(async () => {
    server = await startFeedServer();
    use(server);
  });
  afterAll(async () => {
    await closeFetchAgents();
    await server?.close();
  });
}
