/** A fetch batch keeps many requests in flight but reads and processes only `bodyConcurrency` bodies at once. */
import { describe, expect, it } from 'vitest';
import { startFeedServer } from '../../cli/local/feed-server';
import { loadConfig } from '../../shared/config';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { batchedRawStore, type RawStore } from '../../shared/pipeline/raw-store';
import type { BlobStore } from '../../shared/store/ports';
import { createTestStores, testConfig } from '../helpers/stores';

const feed = (n: number) => `<rss version="2.0"><channel><title>Feed ${n}</title><item><title>Story ${n}</title><link>https://slots.example/${n}</link></item></channel></rss>`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw store that counts the calls in progress (each held `holdMs` before it is passed on). */
function counting(inner: RawStore, holdMs: number): { raw: RawStore; max: () => number } {
  let active = 0;
  let max = 0;
  const raw: RawStore = Object.assign(
    async (sourceId: string, bodyHash: string, gzip: Uint8Array) => {
      active += 1;
      max = Math.max(max, active);
      try {
        await sleep(holdMs);
        return await inner(sourceId, bodyHash, gzip);
      } finally {
        active -= 1;
      }
    },
    { allArrived: () => inner.allArrived?.() },
  );
  return { raw, max: () => max };
}

/** A feed server whose every answer is held `delayMs`, counting the requests it holds at once. */
async function slowServer(count: number, delayMs: number) {
  const server = await startFeedServer(new Map());
  let inFlight = 0;
  let maxInFlight = 0;
  for (let n = 1; n <= count; n++) {
    server.route(`/f${n}.xml`, (_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(n));
      }, delayMs);
    });
  }
  return { server, maxInFlight: () => maxInFlight };
}

async function setUp(port: number, bodyConcurrency: number) {
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, concurrency: 6, perHostConcurrency: 6, bodyConcurrency, allowHosts: [`127.0.0.1:${port}`] } });
  const stores = await createTestStores(config);
  return { config, stores };
}

const sourcesOf = (url: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ source: { id: `f${i + 1}`, url: `${url}/f${i + 1}.xml`, title: `F${i + 1}`, tags: [] } }));

describe('fetchBatch body slots', () => {
  it('keeps every request in flight while only bodyConcurrency bodies are processed at once, and stores them all', async () => {
    const { server, maxInFlight } = await slowServer(6, 150);
    try {
      const { config, stores } = await setUp(server.port, 2);
      const { raw, max } = counting(batchedRawStore(stores.blobs, { windowMs: 20 }), 50);
      const outcomes = await fetchBatch(sourcesOf(server.url, 6), { config, items: stores.items, states: stores.states, blobs: stores.blobs, raw });
      expect(outcomes.map((o) => [o.status, o.itemsNew])).toEqual(Array.from({ length: 6 }, () => ['ok', 1]));
      expect(maxInFlight()).toBe(6);
      expect(max()).toBe(2);
      const states = await stores.states.getStates(sourcesOf(server.url, 6).map((s) => s.source.id));
      expect([...states.values()].every((s) => s?.lastRawKey !== undefined)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('never waits out the raw batch window when every body slot waits on the batch', async () => {
    const { server } = await slowServer(6, 0);
    try {
      const { config, stores } = await setUp(server.port, 2);
      const puts: string[] = [];
      const blobs = Object.create(stores.blobs) as BlobStore;
      blobs.put = async (key, body, options) => {
        puts.push(key);
        return stores.blobs.put(key, body, options);
      };
      const started = Date.now();
      // The window is far longer than the test may run: only the batch's body count can close it.
      const raw = batchedRawStore(blobs, { windowMs: 60_000, maxBodies: config.fetch.bodyConcurrency });
      const outcomes = await fetchBatch(sourcesOf(server.url, 6), { config, items: stores.items, states: stores.states, blobs, raw });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
      expect(puts.filter((k) => k.startsWith('raw/batches/')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});
