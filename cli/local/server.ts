/**
 * The local HTTP server: the same read-only API the Lambda function URL serves, on localhost — the
 * published combined and tag feeds, and the per-source feeds rendered on demand
 * (`/sources/<id>.xml`, with ETag and If-None-Match), under the configured public URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from '../../shared/api/router';
import type { Runtime } from '../../shared/runtime';

/** A running API server. */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the API for a runtime on host:port (port 0 = any free port). */
export async function startApiServer(rt: Runtime, port: number, host = '127.0.0.1'): Promise<ApiServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    handleApiRequest({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers }, rt)
      .then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : r.body);
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}\n');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
