import { brotliCompressSync, deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GoneError, HttpStatusError, NetworkError, RedirectError } from '../../shared/errors';
import { ACCEPT_ENCODING, FEED_ACCEPT, closeFetchAgents, fetchFeed, fetchPage, parseRetryAfter } from '../../shared/fetch';
import { ETAG, FEED_XML, LAST_MODIFIED, useFeedServer, testSettings, type FeedServer } from './feed-server';

let srv: FeedServer;
useFeedServer((server) => (srv = server));

async function okBody(path: string): Promise<{ body: Buffer; wireBytes: number; gzip?: Uint8Array }> {
  const result = await fetchFeed({ url: srv.base + path }, testSettings(srv.port));
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
  return { body: Buffer.from(result.body), wireBytes: result.wireBytes, ...(result.gzip ? { gzip: result.gzip } : {}) };
}

describe('fetchFeed: plain and conditional', () => {
  it('returns the body, headers and URLs of a plain 200', async () => {
    const result = await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(Buffer.from(result.body).equals(FEED_XML)).toBe(true);
    expect(result.status).toBe(200);
    expect(result.wireBytes).toBe(FEED_XML.length);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.cacheControl).toBe('max-age=300');
    expect(result.expires).toBe(LAST_MODIFIED);
    expect(result.requestedUrl).toBe(`${srv.base}/plain`);
    expect(result.finalUrl).toBe(`${srv.base}/plain`);
    expect(result.permanentRedirect).toBeUndefined();
  });

  it('returns Content-Location and Content-Language as sent, and neither when absent', async () => {
    const located = await fetchFeed({ url: `${srv.base}/located` }, testSettings(srv.port));
    if (located.kind !== 'ok') throw new Error('expected ok');
    expect(located.contentLocation).toBe('/elsewhere/feed.xml');
    expect(located.contentLanguage).toBe('en-GB, fr');
    const plain = await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    if (plain.kind !== 'ok') throw new Error('expected ok');
    expect(plain.contentLocation).toBeUndefined();
    expect(plain.contentLanguage).toBeUndefined();
  });

  it('sends User-Agent, Accept and Accept-Encoding', async () => {
    await fetchFeed({ url: `${srv.base}/echo` }, testSettings(srv.port));
    expect(srv.lastHeaders?.['user-agent']).toBe(testSettings(srv.port).userAgent);
    expect(srv.lastHeaders?.['accept-encoding']).toBe(ACCEPT_ENCODING);
    expect(srv.lastHeaders?.accept).toBe(FEED_ACCEPT);
    expect(FEED_ACCEPT.indexOf('application/atom+xml')).toBeLessThan(FEED_ACCEPT.indexOf('*/*;q=0.8'));
    expect(srv.lastHeaders?.['if-none-match']).toBeUndefined();
  });

  it('returns ETag and Last-Modified, then not-modified when they are sent back', async () => {
    const first = await fetchFeed({ url: `${srv.base}/conditional` }, testSettings(srv.port));
    expect(first.kind).toBe('ok');
    expect(first.etag).toBe(ETAG);
    expect(first.lastModified).toBe(LAST_MODIFIED);

    const byEtag = await fetchFeed({ url: `${srv.base}/conditional`, etag: first.etag }, testSettings(srv.port));
    expect(byEtag).toMatchObject({ kind: 'not-modified', status: 304, etag: ETAG, wireBytes: 0 });
    expect('body' in byEtag).toBe(false);

    const byDate = await fetchFeed(
      { url: `${srv.base}/conditional`, lastModified: first.lastModified },
      testSettings(srv.port),
    );
    expect(byDate.kind).toBe('not-modified');
  });

  it('reuses one keep-alive connection for sequential fetches', async () => {
    await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    const before = srv.connections;
    for (let i = 0; i < 5; i++) await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    expect(srv.connections).toBe(before);
  });
});

describe('fetchFeed: keep-alive connections', () => {
  it('retries once on a new connection when the server dropped the reused one', async () => {
    const url = `${srv.base}/first-per-connection`;
    await fetchFeed({ url }, testSettings(srv.port));
    const before = srv.connections;
    // The pooled connection is reset by the server on its second request; the fetch still succeeds.
    const result = await fetchFeed({ url }, testSettings(srv.port));
    expect(result.kind === 'ok' && Buffer.from(result.body).equals(FEED_XML)).toBe(true);
    expect(srv.connections).toBe(before + 1);
  });

  it('retries on a new connection, not another pooled one, when every pooled connection was dropped', async () => {
    const url = `${srv.base}/first-per-connection`;
    // Two connections in the pool, each of which the server resets on its next request.
    await Promise.all([fetchFeed({ url }, testSettings(srv.port)), fetchFeed({ url }, testSettings(srv.port))]);
    const before = srv.connections;
    const result = await fetchFeed({ url }, testSettings(srv.port));
    expect(result.kind === 'ok' && Buffer.from(result.body).equals(FEED_XML)).toBe(true);
    expect(srv.connections).toBe(before + 1);
  });

  it('closeFetchAgents waits for in-flight fetches, and later fetches open new connections', async () => {
    const inFlight = fetchFeed({ url: `${srv.base}/concurrent` }, testSettings(srv.port));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await closeFetchAgents();
    await expect(inFlight).resolves.toMatchObject({ kind: 'ok' });
    const before = srv.connections;
    await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    expect(srv.connections).toBe(before + 1);
  });
});

describe('fetchFeed: content encodings', () => {
  it.each([
    ['/gzip', gzipSync(FEED_XML).length],
    ['/x-gzip', gzipSync(FEED_XML).length],
    ['/deflate-zlib', deflateSync(FEED_XML).length],
    ['/deflate-raw', deflateRawSync(FEED_XML).length],
    ['/br', brotliCompressSync(FEED_XML).length],
  ])('%s decompresses to the original and counts compressed wire bytes', async (path, compressedLength) => {
    const { body, wireBytes } = await okBody(path);
    expect(body.equals(FEED_XML)).toBe(true);
    expect(wireBytes).toBe(compressedLength);
    expect(wireBytes).toBeLessThan(FEED_XML.length);
  });

  it('keeps the wire bytes of a gzip body (a .gz of the body, stored without compressing again), and only of gzip', async () => {
    for (const path of ['/gzip', '/x-gzip']) {
      const { gzip, wireBytes } = await okBody(path);
      expect(gzip?.byteLength).toBe(wireBytes);
      expect(gunzipSync(gzip as Uint8Array).equals(FEED_XML)).toBe(true);
    }
    for (const path of ['/plain', '/deflate-zlib', '/br']) expect((await okBody(path)).gzip).toBeUndefined();
  });

  it('turns a truncated gzip body into NetworkError', async () => {
    const err = await fetchFeed({ url: `${srv.base}/gzip-truncated` }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('fetch: truncated gzip body');
    expect((err as Error).cause).toBeDefined();
  });

  it('turns a corrupt gzip body into NetworkError', async () => {
    const err = await fetchFeed({ url: `${srv.base}/gzip-corrupt` }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('fetch: corrupt gzip body');
  });
});

describe('fetchFeed: redirects', () => {
  it('follows a 301 chain and reports the permanent redirect', async () => {
    const result = await fetchFeed({ url: `${srv.base}/r301/3` }, testSettings(srv.port));
    expect(result.kind).toBe('ok');
    expect(result.requestedUrl).toBe(`${srv.base}/r301/3`);
    expect(result.finalUrl).toBe(`${srv.base}/plain`);
    expect(result.permanentRedirect).toBe(`${srv.base}/plain`);
  });

  it('treats 308 as permanent too', async () => {
    const result = await fetchFeed({ url: `${srv.base}/r308` }, testSettings(srv.port));
    expect(result.permanentRedirect).toBe(`${srv.base}/plain`);
  });

  it('does not report a permanent redirect after a 302', async () => {
    const result = await fetchFeed({ url: `${srv.base}/r302` }, testSettings(srv.port));
    expect(result.finalUrl).toBe(`${srv.base}/plain`);
    expect(result.permanentRedirect).toBeUndefined();
  });

  it('does not report a permanent redirect for a 301 + 302 + 301 chain', async () => {
    const result = await fetchFeed({ url: `${srv.base}/mixed` }, testSettings(srv.port));
    expect(result.kind).toBe('ok');
    expect(result.finalUrl).toBe(`${srv.base}/plain`);
    expect(result.permanentRedirect).toBeUndefined();
  });

  it('resolves a relative Location against the current URL', async () => {
    const result = await fetchFeed({ url: `${srv.base}/relative/deep` }, testSettings(srv.port));
    expect(result.finalUrl).toBe(`${srv.base}/plain?from=relative`);
  });

  it('detects a redirect loop', async () => {
    const err = await fetchFeed({ url: `${srv.base}/loop-a` }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as Error).message).toMatch(/^fetch: redirect loop/);
  });

  it('stops after maxRedirects', async () => {
    const settings = testSettings(srv.port, { maxRedirects: 5 });
    await expect(fetchFeed({ url: `${srv.base}/r301/5` }, settings)).resolves.toMatchObject({ kind: 'ok' });
    const err = await fetchFeed({ url: `${srv.base}/r301/6` }, settings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as Error).message).toMatch(/too many redirects/);
  });

  it('with maxRedirects 0 refuses any redirect', async () => {
    const err = await fetchFeed({ url: `${srv.base}/r302` }, testSettings(srv.port, { maxRedirects: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectError);
  });
});

describe('fetchFeed: failing statuses', () => {
  it('maps 410 to GoneError', async () => {
    const err = await fetchFeed({ url: `${srv.base}/gone` }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoneError);
    expect((err as GoneError).message).toBe('fetch: 410 gone');
    expect((err as GoneError).retryable).toBe(false);
  });

  it('maps 404 to HttpStatusError with the reason phrase', async () => {
    const err = await fetchFeed({ url: `${srv.base}/teapot-404` }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).not.toBeInstanceOf(GoneError);
    expect((err as HttpStatusError).status).toBe(404);
    expect((err as HttpStatusError).message).toBe('fetch: 404 Not Found');
    expect((err as HttpStatusError).retryAfterMs).toBeUndefined();
  });

  it('parses Retry-After seconds on 429', async () => {
    const err = (await fetchFeed({ url: `${srv.base}/busy` }, testSettings(srv.port)).catch((e: unknown) => e)) as HttpStatusError;
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.retryable).toBe(true);
  });

  it('parses a Retry-After HTTP-date on 503', async () => {
    const err = (await fetchFeed({ url: `${srv.base}/down` }, testSettings(srv.port)).catch((e: unknown) => e)) as HttpStatusError;
    expect(err.status).toBe(503);
    expect(err.message).toBe('fetch: 503 Service Unavailable');
    expect(err.retryAfterMs).toBeGreaterThan(80_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('keeps the connection usable after error statuses', async () => {
    await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    const before = srv.connections;
    await fetchFeed({ url: `${srv.base}/teapot-404` }, testSettings(srv.port)).catch(() => undefined);
    await fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port));
    expect(srv.connections).toBe(before);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds, HTTP-dates, past dates and junk', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('fetchPage', () => {
  it('fetches a page with its own cap and an HTML Accept header', async () => {
    const page = await fetchPage(`${srv.base}/echo`, testSettings(srv.port), { maxBytes: 64 * 1024 });
    expect(page.kind).toBe('ok');
    expect(srv.lastHeaders?.accept).toMatch(/^text\/html/);
    const big = await fetchPage(`${srv.base}/plain`, testSettings(srv.port), { maxBytes: 1024 }).catch((e: unknown) => e);
    expect((big as Error).name).toBe('BodyTooLargeError');
  });
});
