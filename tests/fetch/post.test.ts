import { describe, expect, it } from 'vitest';
import { BlockedUrlError, HttpStatusError, TimeoutError } from '../../shared/errors';
import { postForm } from '../../shared/fetch';
import { useFeedServer, testSettings, type FeedServer } from './feed-server';

let srv: FeedServer;
useFeedServer((server) => (srv = server));

describe('postForm (WebSub publish ping)', () => {
  it('POSTs the fields form-encoded with the User-Agent and resolves with the 2xx status', async () => {
    const status = await postForm(new URL(`${srv.base}/hub`), { 'hub.mode': 'publish', 'hub.url': 'https://example.test/feed?a=1&b=2' }, testSettings(srv.port));
    expect(status).toBe(202);
    expect(srv.lastHeaders?.['content-type']).toBe('application/x-www-form-urlencoded');
    expect(srv.lastHeaders?.['user-agent']).toBe(testSettings(srv.port).userAgent);
    expect(srv.lastHeaders?.['content-length']).toBe(String(srv.lastBody?.length));
    expect(new URLSearchParams(srv.lastBody)).toEqual(new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': 'https://example.test/feed?a=1&b=2' }));
  });

  it('rejects a non-2xx answer with HttpStatusError and keeps the connection for the next ping', async () => {
    await postForm(new URL(`${srv.base}/hub`), { a: '1' }, testSettings(srv.port));
    const before = srv.connections;
    const err = await postForm(new URL(`${srv.base}/hub-error`), { a: '1' }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(500);
    expect((err as Error).message).toBe(`fetch: 127.0.0.1:${srv.port} answered 500 to a POST`);
    await postForm(new URL(`${srv.base}/hub`), { a: '2' }, testSettings(srv.port));
    expect(srv.connections).toBe(before);
  });

  it('is guarded like a fetch: a hub that is not allowlisted is blocked before connecting', async () => {
    const before = srv.connections;
    const err = await postForm(new URL(`${srv.base}/hub`), { a: '1' }, testSettings(srv.port, { allowHosts: [] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedUrlError);
    const viaName = await postForm(new URL(`http://localhost:${srv.port}/hub`), { a: '1' }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(viaName).toBeInstanceOf(BlockedUrlError);
    expect(srv.connections).toBe(before);
  });

  it('fails with TimeoutError when the hub never answers', async () => {
    const err = await postForm(new URL(`${srv.base}/hang`), { a: '1' }, testSettings(srv.port, { totalTimeoutMs: 300 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe(`fetch: 127.0.0.1:${srv.port} did not answer within 300 ms`);
  });
});
