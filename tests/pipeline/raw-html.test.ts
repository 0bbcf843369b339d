/** The raw HTML of ingested entries (dynalite and s3rver): one gzip object per fetch, each item pointing at its bytes. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFeed } from '../../shared/pipeline/ingest';
import { createTestStores, testConfig } from '../helpers/stores';

const entry = (n: number, html: string) =>
  `<item><title>Entry ${n}</title><link>https://raw.example/${n}</link><description><![CDATA[${html}]]></description></item>`;

describe('raw HTML of new items', () => {
  it('is stored once per fetch, and each rawRef range of the decompressed object is that entry’s HTML as the feed gave it', async () => {
    const stores = await createTestStores(testConfig());
    const htmls = ['<p onclick="x()">Grüße <b>aus</b> Köln</p>', '<div><script>evil()</script>Привет, мир</div>', '<p>مرحبا بالعالم</p>'];
    const body = new TextEncoder().encode(`<rss version="2.0"><channel><title>Raw</title>${htmls.map((h, i) => entry(i, h)).join('')}</channel></rss>`);
    const before = (await stores.blobs.list('raw/items/')).length;
    await ingestFeed({ sourceId: 'raw', body, feedUrl: 'https://raw.example/feed.xml', fetchedAt: new Date('2026-11-26T10:00:00Z') }, { items: stores.items, blobs: stores.blobs });
    expect((await stores.blobs.list('raw/items/')).length).toBe(before + 1);
    const items = (await stores.items.newest({ limit: 10 })).items;
    expect(items).toHaveLength(3);
    for (const item of items) {
      const ref = item.rawRef;
      expect(ref).toBeDefined();
      const stored = gunzipSync((await stores.blobs.get(ref!.key)) as Uint8Array);
      const html = stored.subarray(ref!.offset, ref!.offset + ref!.length).toString('utf8');
      expect(html).toBe(htmls[Number(item.title.slice(-1))]);
    }
  });
});
