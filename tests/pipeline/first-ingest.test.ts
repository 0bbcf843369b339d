/**
 * Ingest's identity lookups and its wait for the raw body (dynalite and s3rver): a source never
 * stored looks up only its links (its own guids can name no row yet), a re-run of an interrupted
 * first ingest writes the same items again instead of new ones, a known source looks every key up,
 * and nothing is written before the raw body is stored, though parsing and lookups go on meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { ingestFeed } from '../../shared/pipeline/ingest';
import type { ItemRepository } from '../../shared/store/ports';
import { createTestStores, testConfig } from '../helpers/stores';

const FETCHED = new Date('2026-11-28T08:00:00Z');
const xml = (n: number) =>
  `<rss version="2.0"><channel><title>First</title>` +
  Array.from({ length: n }, (_, i) => `<item><guid>first-${i}</guid><title>Linked ${i}</title><link>https://first.example/${i}</link><description>Text ${i}</description></item>`).join('') +
  Array.from({ length: n }, (_, i) => `<item><guid>bare-${i}</guid><title>Unlinked ${i}</title><description>Only a guid ${i}</description></item>`).join('') +
  `</channel></rss>`;
const body = (n: number) => new Uint8Array(Buffer.from(xml(n), 'utf8'));

/** The item repository with every resolveKeys call's keys recorded. */
function recordingLookups(items: ItemRepository): { items: ItemRepository; lookups: string[][] } {
  const lookups: string[][] = [];
  const wrapped = Object.create(items) as ItemRepository;
  wrapped.resolveKeys = (keys) => {
    lookups.push([...keys].sort());
    return items.resolveKeys(keys);
  };
  return { items: wrapped, lookups };
}

describe('a first ingest', () => {
  it('looks up only the links, and a re-run after an interruption writes the same items, not new ones', async () => {
    const stores = await createTestStores(testConfig());
    const { items, lookups } = recordingLookups(stores.items);
    const input = { sourceId: 'first', body: body(3), feedUrl: 'https://first.example/feed.xml', fetchedAt: FETCHED, firstIngest: true };
    const first = await ingestFeed(input, { items, blobs: stores.blobs });
    expect(first.created).toBe(6);
    expect(lookups).toEqual([['u:https://first.example/0', 'u:https://first.example/1', 'u:https://first.example/2']]);
    const stored = (await stores.items.newest({ limit: 50 })).items.map((i) => i.id).sort();
    expect(stored).toHaveLength(6);

    // The state was never written (the run was cut short), so the next run is a first ingest too.
    const again = await ingestFeed(input, { items, blobs: stores.blobs });
    expect(again.created).toBe(3); // the unlinked entries are written again under their same ids
    expect((await stores.items.newest({ limit: 50 })).items.map((i) => i.id).sort()).toEqual(stored);
  });

  it('is not how a known source ingests: its guids are looked up too', async () => {
    const stores = await createTestStores(testConfig());
    const { items, lookups } = recordingLookups(stores.items);
    await ingestFeed({ sourceId: 'known', body: body(1), feedUrl: 'https://first.example/feed.xml', fetchedAt: FETCHED }, { items, blobs: stores.blobs });
    expect(lookups).toEqual([['g:known:bare-0', 'g:known:first-0', 'u:https://first.example/0']]);
  });
});

describe('ingest while the raw body is being stored', () => {
  it('parses and looks up meanwhile, writes only once the body is stored, and points the items at it', async () => {
    const stores = await createTestStores(testConfig());
    const { items, lookups } = recordingLookups(stores.items);
    let store!: (location: { key: string; range?: { offset: number; length: number } }) => void;
    const raw = new Promise<{ key: string; range?: { offset: number; length: number } }>((resolve) => (store = resolve));
    const ingest = ingestFeed({ sourceId: 'slow', body: body(1), raw, feedUrl: 'https://first.example/feed.xml', fetchedAt: FETCHED, firstIngest: true }, { items, blobs: stores.blobs });
    await expect.poll(() => lookups.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stores.items.newest({ limit: 10 })).items).toEqual([]);
    store({ key: 'raw/batches/2026-11-28/abc.gz', range: { offset: 10, length: 20 } });
    expect((await ingest).created).toBe(2);
    const written = (await stores.items.newest({ limit: 10 })).items;
    expect(written.map((i) => i.rawRef)).toEqual([
      expect.objectContaining({ key: 'raw/batches/2026-11-28/abc.gz', range: { offset: 10, length: 20 } }),
      expect.objectContaining({ key: 'raw/batches/2026-11-28/abc.gz', range: { offset: 10, length: 20 } }),
    ]);
  });

  it('writes nothing when the body cannot be stored, and reports the store’s error', async () => {
    const stores = await createTestStores(testConfig());
    const raw = Promise.reject(new Error('s3: put failed'));
    await expect(ingestFeed({ sourceId: 'lost', body: body(1), raw, feedUrl: 'https://first.example/feed.xml', fetchedAt: FETCHED }, { items: stores.items, blobs: stores.blobs })).rejects.toThrow('s3: put failed');
    expect((await stores.items.newest({ limit: 10 })).items).toEqual([]);
  });
});
