/** `beforeBody`: a caller may hold a response's body read back (to bound bodies in memory) without the server being blamed for the wait. */
import { describe, expect, it } from 'vitest';
import { FetchError, NetworkError, TimeoutError } from '../../shared/errors';
import { createSlots, fetchFeed } from '../../shared/fetch';
import { ETAG, FEED_XML, useFeedServer, testSettings, type FeedServer } from './feed-server';

let srv: FeedServer;
useFeedServer((server) => (srv = server));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A beforeBody that waits `ms` and counts its calls. */
function waiter(ms: number) {
  const calls = { count: 0 };
  return { calls, beforeBody: async () => void (calls.count += 1, await sleep(ms)) };
}

describe('fetchFeed beforeBody', () => {
  it('is awaited once before a 200 body is read (after any redirects), and the body arrives whole', async () => {
    const { calls, beforeBody } = waiter(20);
    const res = await fetchFeed({ url: `${srv.base}/r301/2`, beforeBody }, testSettings(srv.port));
    expect(res.kind).toBe('ok');
    expect(res.kind === 'ok' && Buffer.from(res.body).equals(FEED_XML)).toBe(true);
    expect(calls.count).toBe(1);
  });

  it('is not called for a 304, which has no body, nor for an error status', async () => {
    const { calls, beforeBody } = waiter(0);
    const res = await fetchFeed({ url: `${srv.base}/conditional`, etag: ETAG, beforeBody }, testSettings(srv.port));
    expect(res.kind).toBe('not-modified');
    await expect(fetchFeed({ url: `${srv.base}/teapot-404`, beforeBody }, testSettings(srv.port))).rejects.toBeInstanceOf(FetchError);
    expect(calls.count).toBe(0);
  });

  it('does not count its wait against the total timeout', async () => {
    const { beforeBody } = waiter(600);
    const res = await fetchFeed({ url: `${srv.base}/plain`, beforeBody }, testSettings(srv.port, { totalTimeoutMs: 300 }));
    expect(res.kind).toBe('ok');
  });

  it('leaves the rest of the total timeout to the body read after its wait', async () => {
    const { beforeBody } = waiter(400);
    const started = performance.now();
    const err = await fetchFeed({ url: `${srv.base}/slow-total`, beforeBody }, testSettings(srv.port, { idleTimeoutMs: 1_000, totalTimeoutMs: 700 })).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/^fetch: total timeout after 700ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('fails with NetworkError when the connection is lost during its wait', async () => {
    const { beforeBody } = waiter(400);
    await expect(fetchFeed({ url: `${srv.base}/reset`, beforeBody }, testSettings(srv.port))).rejects.toBeInstanceOf(NetworkError);
  });

  it('turns its own failure into a FetchError', async () => {
    const beforeBody = () => Promise.reject(new Error('no room'));
    const err = await fetchFeed({ url: `${srv.base}/plain`, beforeBody }, testSettings(srv.port)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});

describe('createSlots', () => {
  it('hands out at most its count, in arrival order, and a slot given back twice counts once', async () => {
    const slots = createSlots(2);
    const order: number[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    const waiting = [3, 4].map((n) => slots.acquire().then((release) => (order.push(n), release)));
    await sleep(5);
    expect(order).toEqual([]);
    a();
    a();
    await sleep(5);
    expect(order).toEqual([3]);
    b();
    const [c, d] = await Promise.all(waiting);
    expect(order).toEqual([3, 4]);
    c!();
    d!();
    // Both slots are free again, and only both.
    await slots.acquire();
    await slots.acquire();
    let third = false;
    void slots.acquire().then(() => (third = true));
    await sleep(5);
    expect(third).toBe(false);
  });
});
