/**
 * Entries unchanged since the last fetch of their feed (dynalite and s3rver): not normalised or
 * looked up again, so a future-dated entry keeps the date it was clamped to when first seen, while
 * a changed entry is normalised and updates its item, and a new one is created.
 */
import { describe, expect, it } from 'vitest';
import { ingestFeed } from '../../shared/pipeline/ingest';
import type { ItemRepository } from '../../shared/store/ports';
import { createTestStores, testConfig } from '../helpers/stores';

const item = (id: string, title: string, date: string) =>
  `<item><guid>${id}</guid><title>${title}</title><link>https://unchanged.example/${id}</link><description>&lt;p&gt;${title} body&lt;/p&gt;</description><pubDate>${date}</pubDate></item>`;
const rss = (...items: string[]) => new Uint8Array(Buffer.from(`<rss version="2.0"><channel><title>U</title>${items.join('')}</channel></rss>`, 'utf8'));

describe('entries unchanged since the last fetch', () => {
  it('are neither normalised nor looked up again; changed and new ones are', async () => {
    const stores = await createTestStores(testConfig());
    const lookups: string[][] = [];
    const items = Object.create(stores.items) as ItemRepository;
    items.resolveKeys = (keys) => (lookups.push([...keys].sort()), stores.items.resolveKeys(keys));
    const future = 'Wed, 01 Jan 2031 00:00:00 GMT';
    const first = new Date('2026-11-28T08:00:00Z');
    const base = { sourceId: 'u', feedUrl: 'https://unchanged.example/feed.xml' };
    const one = await ingestFeed({ ...base, body: rss(item('a', 'Alpha', future), item('b', 'Beta', 'Fri, 27 Nov 2026 10:00:00 GMT')), fetchedAt: first }, { items, blobs: stores.blobs });
    expect(one.created).toBe(2);
    const byId = async () => new Map((await stores.items.newest({ limit: 10 })).items.map((i) => [i.guid, i]));
    expect((await byId()).get('a')?.published).toBe(first.toISOString()); // clamped to the fetch

    lookups.length = 0;
    const later = new Date('2026-11-28T09:00:00Z');
    const two = await ingestFeed(
      { ...base, body: rss(item('c', 'Gamma', 'Sat, 28 Nov 2026 08:30:00 GMT'), item('a', 'Alpha', future), item('b', 'Beta, corrected', 'Fri, 27 Nov 2026 10:00:00 GMT')), fetchedAt: later, seen: one.seen },
      { items, blobs: stores.blobs },
    );
    expect({ created: two.created, updated: two.updated, itemsInFeed: two.itemsInFeed }).toEqual({ created: 1, updated: 1, itemsInFeed: 3 });
    // Only the new and the changed entry were looked up: the future-dated one was skipped whole.
    expect(lookups).toEqual([['g:u:b', 'g:u:c', 'u:https://unchanged.example/b', 'u:https://unchanged.example/c']]);
    const after = await byId();
    expect(after.get('a')?.published).toBe(first.toISOString());
    expect(after.get('b')?.title).toBe('Beta, corrected');
    expect(after.get('c')?.title).toBe('Gamma');
  });
});
