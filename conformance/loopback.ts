/**
 * A loopback HTTP server (node:http on 127.0.0.1) serving fixed bodies with fixed response headers, so test
 * files that simulate HTTP headers reach Tributary through `fetchFeed` exactly as a real response would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchSettings } from '../shared/config';

/** One served document: its body and the response headers to send with it. */
export interface ServedDocument {
  body: Uint8Array;
  headers: Record<string, string>;
}

/** A running loopback server. */
export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The `host:port` to put in FetchSettings.allowHosts. */
  host: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(true);
    });
  });
}

/**
 * Serves `documents` (by URL path) on 127.0.0.1, on `preferredPort` when it is free, else on a free port.
 * Unknown paths answer 404.
 */
export async function startLoopback(documents: ReadonlyMap<string, ServedDocument>, preferredPort = 0): Promise<Loopback> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const doc = documents.get(path);
    if (!doc) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...doc.headers, 'content-length': String(doc.body.length) });
    res.end(Buffer.from(doc.body));
  });
  if (!(preferredPort !== 0 && (await listen(server, preferredPort)))) {
    if (!(await listen(server, 0))) throw new Error('cannot listen on 127.0.0.1');
  }
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Fetch settings for loopback-only fetching: short timeouts, and the loopback host allowed past the SSRF guard. */
export function loopbackFetchSettings(host: string): FetchSettings {
  return {
    userAgent: 'Tributary-conformance/0.1',
    connectTimeoutMs: 5_000,
    totalTimeoutMs: 5_000,
    idleTimeoutMs: 5_000,
    maxBodyBytes: 10 * 1024 * 1024,
    maxRedirects: 5,
    concurrency: 1,
    bodyConcurrency: 1,
    perHostConcurrency: 4,
    allowHosts: [host],
  };
}
