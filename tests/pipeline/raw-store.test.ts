/** Raw bodies of a fetch batch (s3rver): bodies arriving together share one object, each read back by its byte range. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../shared/errors';
import { startFeedServer } from '../../cli/local/feed-server';
import { loadConfig } from '../../shared/config';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { ingestFeed } from '../../shared/pipeline/ingest';
import { readRawHtml } from '../../shared/pipeline/raw-html';
import { batchedRawStore, rawFeedKey } from '../../shared/pipeline/raw-store';
import type { BlobStore } from '../../shared/store/ports';
import { feedFile } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';

const DAY = new Date('2026-11-26T10:00:00Z');

/** The store, with the keys of every put recorded (and, when `fail`, every put refused). */
function recording(blobs: BlobStore, fail = false): { blobs: BlobStore; puts: string[] } {
  const puts: string[] = [];
  const wrapped = Object.create(blobs) as BlobStore;
  wrapped.put = async (key, body, options) => {
    puts.push(key);
    if (fail) throw new StoreError(`S3 put ${key} failed: refused`);
    return blobs.put(key, body, options);
  };
  return { blobs: wrapped, puts };
}

const feed = (n: number) => `<rss version="2.0"><channel><title>Feed ${n}</title><item><title>Story ${n}</title><link>https://raw.example/${n}</link><description><![CDATA[<p>Body <b>${n}</b> — Grüße</p>]]></description></item></channel></rss>`;

describe('batchedRawStore', () => {
  it('puts bodies that arrive within the window as one object, each found again by its range; the object gunzips whole', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs, puts } = recording(stores.blobs);
    const store = batchedRawStore(blobs, { windowMs: 30, now: () => DAY });
    const bodies = [1, 2, 3].map((n) => Buffer.from(feed(n), 'utf8'));
    const locations = await Promise.all(bodies.map((b, i) => store(`s${i}`, `h${i}`, gzipSync(b))));
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatch(/^raw\/batches\/2026-11-26\/[0-9a-f]{32}\.gz$/);
    for (const [i, location] of locations.entries()) {
      expect(location.key).toBe(puts[0]);
      expect(location.range).toBeDefined();
      expect(Buffer.from(gunzipSync((await stores.blobs.get(location.key, location.range)) as Uint8Array))).toEqual(bodies[i]);
    }
    expect(locations.map((l) => l.range?.offset)).toEqual([0, locations[0]!.range!.length, locations[0]!.range!.length + locations[1]!.range!.length]);
    expect(gunzipSync((await stores.blobs.get(puts[0] as string)) as Uint8Array).toString('utf8')).toBe(bodies.map((b) => b.toString('utf8')).join(''));
  });

  it('stores a body that arrives alone under its source’s own key, and starts a new object after a flush', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs, puts } = recording(stores.blobs);
    const store = batchedRawStore(blobs, { windowMs: 10 });
    const first = await store('alone', 'abc', gzipSync(feed(1)));
    expect(first).toEqual({ key: rawFeedKey('alone', 'abc') });
    const second = await store('later', 'def', gzipSync(feed(2)));
    expect(second).toEqual({ key: rawFeedKey('later', 'def') });
    expect(puts).toEqual([rawFeedKey('alone', 'abc'), rawFeedKey('later', 'def')]);
  });

  it('sends a batch at once when it reaches maxBytes, without waiting for the window', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs, puts } = recording(stores.blobs);
    const store = batchedRawStore(blobs, { windowMs: 60_000, maxBytes: 1 });
    const started = Date.now();
    await store('big', 'h', gzipSync(feed(1)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(puts).toEqual([rawFeedKey('big', 'h')]);
  });

  it('once told every fetch is over, puts what it holds at the end of the turn (a body stored in that turn included), without waiting for the window', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs, puts } = recording(stores.blobs);
    const store = batchedRawStore(blobs, { windowMs: 60_000 });
    const started = Date.now();
    const first = store('early', 'a', gzipSync(feed(1)));
    store.allArrived?.();
    const last = store('last', 'b', gzipSync(feed(2)));
    const [a, b] = await Promise.all([first, last]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(puts).toHaveLength(1);
    expect(a.key).toBe(b.key);
    expect(await store('later', 'c', gzipSync(feed(3)))).toEqual({ key: rawFeedKey('later', 'c') });
  });

  it('is told by a fetch batch when its fetches are over, so the batch never waits out the window', async () => {
    const server = await startFeedServer(new Map([1, 2].map((n) => [`/f${n}.xml`, feedFile(feed(n), 'application/rss+xml')])));
    try {
      const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
      const stores = await createTestStores(config);
      const { blobs, puts } = recording(stores.blobs);
      const sources = [1, 2].map((n) => ({ source: { id: `f${n}`, url: `${server.url}/f${n}.xml`, title: `F${n}`, tags: [] } }));
      const started = Date.now();
      const outcomes = await fetchBatch(sources, { config, items: stores.items, states: stores.states, blobs, raw: batchedRawStore(blobs, { windowMs: 60_000 }) });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
      expect(puts.filter((k) => k.startsWith('raw/'))).toHaveLength(1);
      const states = await stores.states.getStates(['f1', 'f2']);
      expect(states.get('f1')?.lastRawKey).toBe(states.get('f2')?.lastRawKey);
    } finally {
      await server.close();
    }
  });

  it('by default, keeps a batch open across a job\'s fetches: two changed feeds answered 300 ms apart share one object', async () => {
    const server = await startFeedServer(new Map([[`/f1.xml`, feedFile(feed(1), 'application/rss+xml')]]));
    // A slower server, as on real networks, where a job's fetches take from tens of ms to seconds.
    server.route('/f2.xml', (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(2)), 300));
    try {
      const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
      const stores = await createTestStores(config);
      const { blobs, puts } = recording(stores.blobs);
      const sources = [1, 2].map((n) => ({ source: { id: `f${n}`, url: `${server.url}/f${n}.xml`, title: `F${n}`, tags: [] } }));
      const outcomes = await fetchBatch(sources, { config, items: stores.items, states: stores.states, blobs });
      expect(outcomes.map((o) => [o.status, o.itemsNew])).toEqual([['ok', 1], ['ok', 1]]);
      expect(puts.filter((k) => k.startsWith('raw/'))).toEqual([expect.stringMatching(/^raw\/batches\//)]);
    } finally {
      await server.close();
    }
  });

  it('fails every body of a batch whose put fails', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs } = recording(stores.blobs, true);
    const store = batchedRawStore(blobs, { windowMs: 20 });
    const results = await Promise.allSettled([1, 2].map((n) => store(`s${n}`, `h${n}`, gzipSync(feed(n)))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
  });

  it('gives items a raw reference with the range, so their raw HTML reads back from the shared object', async () => {
    const stores = await createTestStores(testConfig());
    const store = batchedRawStore(stores.blobs, { windowMs: 30 });
    const bodies = [1, 2].map((n) => new Uint8Array(Buffer.from(feed(n), 'utf8')));
    const locations = await Promise.all(bodies.map((b, i) => store(`src${i}`, `h${i}`, gzipSync(b))));
    for (const [i, body] of bodies.entries()) {
      const { key, range } = locations[i]!;
      await ingestFeed({ sourceId: `src${i}`, body, raw: { key, ...(range ? { range } : {}) }, feedUrl: `https://raw.example/${i}.xml`, fetchedAt: DAY }, { items: stores.items, blobs: stores.blobs });
    }
    const items = (await stores.items.newest({ limit: 10 })).items;
    expect(items).toHaveLength(2);
    for (const item of items) {
      const n = Number(item.title.slice(-1));
      expect(item.rawRef).toEqual({ key: locations[n - 1]!.key, range: locations[n - 1]!.range, entry: 0 });
      expect(await readRawHtml(stores.blobs, item.rawRef!)).toBe(`<p>Body <b>${n}</b> — Grüße</p>`);
    }
  });
});
