/** The raw HTML of ingested entries (dynalite and s3rver): kept in the stored raw body, each item pointing at its entry. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFeed } from '../../shared/pipeline/ingest';
import { readRawHtml } from '../../shared/pipeline/raw-html';
import { createTestStores, testConfig } from '../helpers/stores';

const entry = (n: number, html: string) =>
  `<item><title>Entry ${n}</title><link>https://raw.example/${n}</link><description><![CDATA[${html}]]></description></item>`;

describe('raw HTML of new items', () => {
  it('is read back from the stored body: no second object, and each item gets its own entry’s HTML as the feed gave it', async () => {
    const stores = await createTestStores(testConfig());
    const htmls = ['<p onclick="x()">Grüße <b>aus</b> Köln</p>', '<div><script>evil()</script>Привет, мир</div>', '<p>مرحبا بالعالم</p>'];
    const xml = `<rss version="2.0"><channel><title>Raw</title><item><title>Entry 9</title><link>https://raw.example/9</link></item>${htmls.map((h, i) => entry(i, h)).join('')}</channel></rss>`;
    const body = new Uint8Array(Buffer.from(xml, 'utf8'));
    const rawKey = 'raw/feeds/raw/abc.gz';
    await stores.blobs.put(rawKey, gzipSync(body), { contentType: 'application/gzip' });
    const before = await stores.blobs.list('raw/');
    await ingestFeed({ sourceId: 'raw', body, raw: { key: rawKey }, contentType: 'application/rss+xml; charset=utf-8', feedUrl: 'https://raw.example/feed.xml', fetchedAt: new Date('2026-11-26T10:00:00Z') }, { items: stores.items, blobs: stores.blobs });
    expect(await stores.blobs.list('raw/')).toEqual(before);
    const items = (await stores.items.newest({ limit: 10 })).items;
    expect(items).toHaveLength(4);
    for (const item of items) {
      const n = Number(item.title.slice(-1));
      if (n === 9) {
        expect(item.rawRef).toBeUndefined();
        continue;
      }
      expect(item.rawRef).toEqual({ key: rawKey, entry: n + 1, contentType: 'application/rss+xml; charset=utf-8' });
      expect(await readRawHtml(stores.blobs, item.rawRef!)).toBe(htmls[n]);
    }
  });

  it('decodes with the charset the fetch had, and answers undefined for a missing body', async () => {
    const stores = await createTestStores(testConfig());
    const html = '<p>Новости</p>';
    const xml = `<rss version="2.0"><channel><title>R</title>${entry(0, html)}</channel></rss>`;
    // windows-1251 only by the HTTP header (the stored ref carries it), so the body decodes as at ingest.
    const bytes = Buffer.from(xml.replace('Новости', '\u0000'), 'latin1');
    const at = bytes.indexOf(0);
    const body = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8]), bytes.subarray(at + 1)]);
    await stores.blobs.put('raw/feeds/r/1.gz', gzipSync(body), { contentType: 'application/gzip' });
    expect(await readRawHtml(stores.blobs, { key: 'raw/feeds/r/1.gz', entry: 0, contentType: 'application/rss+xml; charset=windows-1251' })).toBe(html);
    expect(await readRawHtml(stores.blobs, { key: 'raw/feeds/r/missing.gz', entry: 0 })).toBeUndefined();
  });
});
