import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, FetchError, NetworkError, TimeoutError } from '../../shared/errors';
import { fetchFeed } from '../../shared/fetch';
import { useFeedServer, testSettings, type FeedServer } from './feed-server';

let srv: FeedServer;
useFeedServer((server) => (srv = server));

/** The error a fetch rejected with (a plain Error if it unexpectedly succeeded). */
function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
}

async function failure(path: string, overrides = {}, signal?: AbortSignal): Promise<Error> {
  return rejection(fetchFeed({ url: srv.base + path, signal }, testSettings(srv.port, overrides)));
}

describe('fetchFeed: body caps', () => {
  it('stops a gzip bomb at the decompressed cap without inflating it all', async () => {
    await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port)); // warm the connection
    await failure('/gzip-bomb'); // first call builds the 50 MB bomb in the server; time the second
    const started = performance.now();
    const err = await failure('/gzip-bomb', { maxBodyBytes: 1024 * 1024 });
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect(err.message).toBe('fetch: body larger than 1048576 bytes after gzip decompression');
    // Stopping at 1 MB takes a few ms here; inflating all 50 MB (even synchronously) takes ~200 ms.
    expect(elapsed).toBeLessThan(200);
  });

  it('rejects an oversize body announced by Content-Length before reading it', async () => {
    const err = await failure('/big-with-length', { maxBodyBytes: 1024 * 1024 });
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect(err.message).toMatch(/Content-Length 2097152 exceeds/);
  });

  it('stops an oversize chunked body (no Content-Length) while streaming', async () => {
    const err = await failure('/big-chunked', { maxBodyBytes: 1024 * 1024 });
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect(err.message).toBe('fetch: body larger than 1048576 bytes on the wire');
  });

  it('accepts a body right under the cap', async () => {
    const result = await fetchFeed({ url: `${srv.base}/big-chunked` }, testSettings(srv.port, { maxBodyBytes: 2 * 1024 * 1024 }));
    expect(result.kind === 'ok' && result.body.length).toBe(2 * 1024 * 1024);
  });
});

describe('fetchFeed: timeouts and aborts', () => {
  it('fails a slow drip with TimeoutError after the idle timeout', async () => {
    const started = performance.now();
    const err = await failure('/slow-drip', { idleTimeoutMs: 300, totalTimeoutMs: 5_000 });
    expect(err).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1_400);
  });

  it('fails a body that keeps trickling past the total timeout', async () => {
    const started = performance.now();
    const err = await failure('/slow-total', { idleTimeoutMs: 1_000, totalTimeoutMs: 700 });
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/^fetch: total timeout after 700ms/);
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('fails with TimeoutError when the server never sends headers', async () => {
    const started = performance.now();
    const err = await failure('/hang', { totalTimeoutMs: 400 });
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/^fetch: total timeout after 400ms/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('fails with a FetchError when the caller aborts', async () => {
    const err = await failure('/slow-total', { idleTimeoutMs: 1_000 }, AbortSignal.timeout(150));
    expect(err).toBeInstanceOf(FetchError);
    expect(err).not.toBeInstanceOf(TimeoutError);
    expect(err.message).toBe('fetch: request aborted by caller');
  });

  it('passes a FetchError abort reason through unchanged', async () => {
    const controller = new AbortController();
    const reason = new TimeoutError('handler deadline reached');
    setTimeout(() => controller.abort(reason), 100);
    expect(await failure('/slow-total', {}, controller.signal)).toBe(reason);
  });
});

describe('fetchFeed: broken connections', () => {
  it('reports a connection reset mid-body as NetworkError', async () => {
    const err = await failure('/reset');
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('fetch: connection reset');
    expect(err.cause).toBeDefined();
  });

  it('reports a body shorter than Content-Length as NetworkError', async () => {
    const err = await failure('/truncated');
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toMatch(/^fetch: body shorter than Content-Length/);
  });

  it('reports a DNS failure as NetworkError naming the host', async () => {
    const err = await rejection(fetchFeed({ url: 'http://feeds.example.invalid/rss' }, testSettings(srv.port)));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('fetch: DNS lookup failed for feeds.example.invalid');
    expect(err.cause).toBeDefined();
  });

  it('reports a refused connection as NetworkError', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await rejection(
      fetchFeed({ url: `http://127.0.0.1:${closedPort}/feed` }, testSettings(srv.port, { allowHosts: [`127.0.0.1:${closedPort}`] })),
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`fetch: connection refused by 127.0.0.1:${closedPort}`);
  });

  it('reports a TLS handshake failure as NetworkError', async () => {
    // https to a plain-HTTP server: the TLS handshake fails.
    const err = await rejection(fetchFeed({ url: `https://127.0.0.1:${srv.port}/plain` }, testSettings(srv.port)));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toMatch(/^fetch: TLS failure with 127\.0\.0\.1:\d+ \(ERR_SSL_/);
  });

  it('refuses a Content-Encoding it cannot undo', async () => {
    const err = await failure('/compress');
    expect(err).toBeInstanceOf(FetchError);
    expect(err.message).toBe('fetch: unsupported Content-Encoding "compress"');
  });

  it('fails an unparseable URL with FetchError', async () => {
    await expect(fetchFeed({ url: 'not a url' }, testSettings(srv.port))).rejects.toBeInstanceOf(FetchError);
  });
});
