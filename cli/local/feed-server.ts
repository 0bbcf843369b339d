/**
 * A loopback HTTP server for feed files: the shipped samples in the local run, and test feeds.
 * It behaves like a good feed server — strong ETag, Last-Modified, 304 on either validator,
 * gzip when asked — so conditional GET and compression are exercised for real.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file the server can answer with. */
export interface FeedFile {
  body: Uint8Array;
  contentType: string;
  lastModified: Date;
}

/** A running feed server. */
export interface FeedServer {
  url: string;
  port: number;
  /** Replaces or adds a file (e.g. a test that makes a feed gain items). */
  set(path: string, file: FeedFile): void;
  /** Answers a path with custom code instead (faults, redirects); it takes precedence over files. */
  route(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Requests seen so far, by status. */
  stats: { requests: number; notModified: number; bytes: number };
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.xml': 'application/rss+xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
};

/** The content type the server sends for a file name. */
export function contentTypeFor(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** Reads every file of a folder into FeedFiles keyed by "/name". */
export async function loadFeedDir(dir: string): Promise<Map<string, FeedFile>> {
  const files = new Map<string, FeedFile>();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    files.set(`/${name}`, { body: await readFile(path), contentType: contentTypeFor(name), lastModified: info.mtime });
  }
  return files;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Per file version: its ETag and gzip body, computed when the file is set (as a server with precompressed files has them). */
const derived = new WeakMap<FeedFile, { etag: string; gzipped: Buffer }>();

function derivedOf(file: FeedFile): { etag: string; gzipped: Buffer } {
  let d = derived.get(file);
  if (!d) {
    d = { etag: `"${createHash('sha256').update(file.body).digest('base64url').slice(0, 27)}"`, gzipped: gzipSync(file.body) };
    derived.set(file, d);
  }
  return d;
}

function answer(files: Map<string, FeedFile>, routes: Map<string, Handler>, stats: FeedServer['stats'], req: IncomingMessage, res: ServerResponse): void {
  stats.requests++;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const custom = routes.get(path);
  if (custom) {
    custom(req, res);
    return;
  }
  const file = files.get(path);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const cached = derivedOf(file);
  const etag = cached.etag;
  const lastModified = new Date(Math.floor(file.lastModified.getTime() / 1000) * 1000);
  const headers: Record<string, string> = { etag, 'last-modified': lastModified.toUTCString(), 'content-type': file.contentType, vary: 'accept-encoding' };
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const fresh = inm !== undefined ? inm.split(',').some((t) => t.trim() === etag) : ims !== undefined && Date.parse(ims) >= lastModified.getTime();
  if (fresh) {
    stats.notModified++;
    res.writeHead(304, headers).end();
    return;
  }
  let body: Buffer = Buffer.from(file.body);
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = cached.gzipped;
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  stats.bytes += body.length;
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
}

/** Starts a server on 127.0.0.1 (port 0 = any free port) for the given files. */
export async function startFeedServer(files: Map<string, FeedFile>, port = 0): Promise<FeedServer> {
  const stats = { requests: 0, notModified: 0, bytes: 0 };
  const routes = new Map<string, Handler>();
  for (const file of files.values()) derivedOf(file);
  const server: Server = createServer((req, res) => answer(files, routes, stats, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    stats,
    set: (path, file) => {
      derivedOf(file);
      files.set(path, file);
    },
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
