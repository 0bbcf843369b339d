import { describe, expect, it } from 'vitest';
import { createFetchLimiter, fetchFeed } from '../../shared/fetch';
import { useFeedServer, testSettings, type FeedServer } from './feed-server';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('createFetchLimiter against a live server', () => {
  let srv: FeedServer;
  useFeedServer((server) => (srv = server));

  it('never has more than perHostConcurrency requests in flight at one host (measured by the server)', async () => {
    const settings = testSettings(srv.port, { concurrency: 10, perHostConcurrency: 2 });
    const limit = createFetchLimiter(settings);
    const url = `${srv.base}/concurrent`;
    const results = await Promise.all(Array.from({ length: 10 }, () => limit(url, () => fetchFeed({ url }, settings))));
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(srv.maxInFlight).toBe(2);
  });
});

describe('createFetchLimiter', () => {
  /** Runs tasks that record how many run at once overall and per host. */
  async function measure(urls: string[], concurrency: number, perHostConcurrency: number) {
    const limit = createFetchLimiter({ concurrency, perHostConcurrency });
    let running = 0;
    let maxRunning = 0;
    const perHost = new Map<string, number>();
    const maxPerHost = new Map<string, number>();
    await Promise.all(
      urls.map((url) =>
        limit(url, async () => {
          const host = new URL(url).host;
          running += 1;
          perHost.set(host, (perHost.get(host) ?? 0) + 1);
          maxRunning = Math.max(maxRunning, running);
          maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, perHost.get(host) ?? 0));
          await sleep(15);
          running -= 1;
          perHost.set(host, (perHost.get(host) ?? 0) - 1);
        }),
      ),
    );
    return { maxRunning, maxPerHost };
  }

  it('caps the total across hosts', async () => {
    const urls = Array.from({ length: 24 }, (_, i) => `https://host${i % 8}.example/feed${i}`);
    const { maxRunning, maxPerHost } = await measure(urls, 4, 2);
    expect(maxRunning).toBe(4);
    expect(Math.max(...maxPerHost.values())).toBeLessThanOrEqual(2);
  });

  it('does not let one busy host hold global slots other hosts could use', async () => {
    const busy = Array.from({ length: 12 }, (_, i) => `https://busy.example/${i}`);
    const quiet = Array.from({ length: 3 }, (_, i) => `https://quiet${i}.example/`);
    const { maxRunning, maxPerHost } = await measure([...busy, ...quiet], 4, 1);
    expect(maxPerHost.get('busy.example')).toBe(1);
    expect(maxRunning).toBe(4);
  });

  it('counts host and port together and returns task results and errors', async () => {
    const limit = createFetchLimiter({ concurrency: 2, perHostConcurrency: 1 });
    await expect(limit('http://a.example:8080/', async () => 42)).resolves.toBe(42);
    await expect(limit('http://a.example:8080/', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    // A failed task releases its slot.
    await expect(limit('http://a.example:8080/', async () => 'again')).resolves.toBe('again');
    const { maxPerHost } = await measure(['http://a.example:1/', 'http://a.example:2/'], 2, 1);
    expect([...maxPerHost.values()]).toEqual([1, 1]);
  });
});
