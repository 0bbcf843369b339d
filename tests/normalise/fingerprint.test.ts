/**
 * Entry fingerprints and identities, which let ingest skip normalising entries unchanged since the
 * last fetch: the fingerprint covers everything normaliseEntry reads (checked by recording what it
 * reads), and entryIdentity gives the guid and link normaliseEntry gives.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParsedEntry, ParsedFeed } from '../../shared/model';
import { entryFingerprint, entryIdentity, normaliseEntry, NORMALISED_FORM_VERSION, type NormaliseContext } from '../../shared/normalise/items';
import { parseFeed } from '../../shared/parse';

const CTX: NormaliseContext = { sourceId: 'src-1', feedUrl: 'https://news.example.com/feed.xml', fetchedAt: new Date('2025-06-01T12:00:00.000Z') };

const RSS = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>News</title><link>https://news.example.com/</link><language>de</language>
<item><title>Erste &amp; beste</title><link>/a?utm_source=x</link><guid isPermaLink="false">id-1</guid>
<description><![CDATA[<p onclick="x()">Grüße <b>aus</b> Köln</p>]]></description><dc:creator>Anna</dc:creator>
<category>Politik</category><enclosure url="https://cdn.example.com/a.mp3" type="audio/mpeg" length="123"/>
<media:thumbnail url="https://cdn.example.com/a.jpg"/><pubDate>Mon, 02 Jun 2025 10:00:00 +0200</pubDate></item>
<item><title>Zweite</title><guid>https://news.example.com/b</guid><description>Plain text</description></item>
<item><description>No title, guid or link</description></item>
</channel></rss>`;

const parsed = () => parseFeed(RSS, { url: CTX.feedUrl });

/** A deep proxy that records the property paths read through it. */
function recording<T extends object>(value: T, path: string, reads: Set<string>): T {
  return new Proxy(value, {
    get(target, prop, receiver) {
      const got = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string') return got;
      reads.add(`${path}.${prop}`);
      return got !== null && typeof got === 'object' && !(got instanceof Date) ? recording(got as object, `${path}.${prop}`, reads) : got;
    },
  });
}

describe('entryFingerprint', () => {
  it('is the same for the same entry parsed again, and differs between entries', () => {
    const a = parsed();
    const b = parsed();
    const prints = a.entries.map((e) => entryFingerprint(e, a, CTX));
    expect(b.entries.map((e) => entryFingerprint(e, b, CTX))).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{16}$/);
  });

  it('covers every field of the feed and the context that normaliseEntry reads (but the fetch time)', () => {
    const feed = parsed();
    const all = new Set<string>();
    for (const entry of feed.entries) {
      const reads = all;
      normaliseEntry(recording(entry, 'entry', reads), recording(feed, 'feed', reads), recording(CTX, 'ctx', reads));
      const outside = new Set([...reads].filter((r) => !r.startsWith('entry.')).map((r) => r.split('.').slice(0, 2).join('.')));
      // The fingerprint hashes the whole entry, these feed fields and these context fields.
      const hashed = ['feed.authors', 'feed.base', 'feed.lang', 'ctx.sourceId', 'ctx.feedUrl', 'ctx.fetchedAt'];
      expect([...outside].filter((r) => !hashed.includes(r))).toEqual([]);
    }
    // The recording sees the reads (an entry without an author falls back to the feed's).
    expect([...all].filter((r) => /^(feed|ctx)\./.test(r)).map((r) => r.split('.').slice(0, 2).join('.'))).toEqual(expect.arrayContaining(['feed.authors', 'feed.base', 'ctx.sourceId', 'ctx.fetchedAt']));
  });

  it('changes with each input normaliseEntry reads, and with nothing else', () => {
    const feed = parsed();
    const entry = feed.entries[0] as ParsedEntry;
    const base = entryFingerprint(entry, feed, CTX);
    const variants: [string, ParsedEntry, ParsedFeed, NormaliseContext][] = [
      ['title', { ...entry, title: { type: 'text', value: 'Other' } }, feed, CTX],
      ['summary', { ...entry, summary: { type: 'html', value: '<p>Other</p>' } }, feed, CTX],
      ['date', { ...entry, published: 'Tue, 03 Jun 2025 10:00:00 +0200' }, feed, CTX],
      ['category', { ...entry, categories: [{ term: 'Wirtschaft' }] }, feed, CTX],
      ['entry base', { ...entry, base: 'https://other.example/' }, feed, CTX],
      ['feed authors', entry, { ...feed, authors: [{ name: 'Redaktion' }] } as ParsedFeed, CTX],
      ['feed lang', entry, { ...feed, lang: 'en' }, CTX],
      ['feed base', entry, { ...feed, base: 'https://other.example/' }, CTX],
      ['feed URL', entry, feed, { ...CTX, feedUrl: 'https://other.example/feed.xml' }],
      ['source', entry, feed, { ...CTX, sourceId: 'src-2' }],
    ];
    for (const [what, e, f, c] of variants) expect(entryFingerprint(e, f, c), what).not.toBe(base);
    expect(entryFingerprint(entry, { ...feed, title: { type: 'text', value: 'Renamed' } }, { ...CTX, fetchedAt: new Date() } as NormaliseContext)).toBe(base);
  });
});

describe('entryIdentity', () => {
  it('gives the guid and canonical link normaliseEntry gives, without rendering the entry', () => {
    const feed = parsed();
    for (const entry of feed.entries) {
      const draft = normaliseEntry(entry, feed, CTX);
      const identity = entryIdentity(entry, CTX);
      expect(identity).toEqual({ sourceId: CTX.sourceId, ...(draft.guid ? { guid: draft.guid } : {}), ...(draft.url ? { url: draft.url } : {}) });
    }
    expect(entryIdentity(feed.entries[1] as ParsedEntry, CTX)).toEqual({ sourceId: 'src-1', guid: 'https://news.example.com/b', url: 'https://news.example.com/b' });
  });
});

describe('NORMALISED_FORM_VERSION', () => {
  /** Entries that exercise each part of normalisation: sanitising, text, links, dates, people, categories, enclosures, language. */
  const entries: ParsedEntry[] = [
    { id: ' tag:x,2025:1 ', title: { type: 'html', value: 'A &amp; <b>B</b>' }, link: '/a?utm_source=rss&id=1', links: [], summary: { type: 'html', value: '<p onclick="x()">Grüße <script>evil()</script><a href="/b">aus</a> Köln</p><img src="/i.png">' }, published: 'Mon, 02 Jun 2025 10:00:00 +0200', authors: [{ name: 'Anna', email: 'anna@example.com' }], categories: [{ term: 'Politik' }, { term: ' politik ' }], enclosures: [{ url: '/a.mp3', type: 'audio/mpeg', length: 123 }], image: '/t.jpg', lang: 'de-DE', base: 'https://news.example.com/2025/' },
    { id: 'https://news.example.com/b', title: { type: 'text', value: '  Spaced\n  title  ' }, links: [{ href: 'https://news.example.com/canon', rel: 'canonical' }], content: { type: 'xhtml', value: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Привет, мир</p><iframe src="https://evil.example/"></iframe></div>' }, updated: '2025-06-03T08:00:00Z', authors: [], categories: [], enclosures: [] },
    { links: [], summary: { type: 'text', value: 'Only a summary, which becomes the title of an entry that has none, cut at its limit if it is long enough to need it' }, published: '2031-01-01T00:00:00Z', authors: [], categories: [], enclosures: [], lang: 'ar' },
  ];
  const feed: ParsedFeed = { format: 'rss20', links: [], authors: [{ name: 'Redaktion' }], lang: 'de', entries, bozo: false };

  it('is bumped whenever the same entries normalise differently (then this digest is updated with it)', () => {
    const drafts = entries.map((e) => normaliseEntry(e, feed, CTX));
    const digest = createHash('sha256').update(JSON.stringify(drafts)).digest('hex').slice(0, 16);
    // A failure here means normalisation changed: bump NORMALISED_FORM_VERSION (shared/normalise/items.ts),
    // so stored fingerprints stop matching and every entry is normalised and compared again, and put
    // the new digest here.
    expect({ version: NORMALISED_FORM_VERSION, digest }).toEqual({ version: 1, digest: 'f6055a6c08a7229a' });
  });
});
