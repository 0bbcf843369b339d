/** Feed bodies for the chaos suite: good RSS feeds with known entries, and the broken bodies faults send. */
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

/** One entry a good feed carries; the suite expects to find it stored exactly once. */
export interface ExpectedEntry {
  sourceId: string;
  guid: string;
  url: string;
  title: string;
}

/** The entries of a source: `count` stories with guids and links no other source uses. */
export function entriesFor(sourceId: string, count: number, titlePrefix = 'Story'): ExpectedEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    sourceId,
    guid: `urn:chaos:${sourceId}:${i + 1}`,
    url: `https://example.org/chaos/${sourceId}/${i + 1}`,
    title: `${titlePrefix} ${i + 1} of ${sourceId}`,
  }));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An RSS 2.0 document carrying the entries (dates one hour apart, newest first; no <link> when an entry's url is ""). */
export function rssFeed(title: string, entries: ExpectedEntry[], encodingDecl = 'utf-8'): string {
  const base = Date.UTC(2026, 10, 20, 12, 0, 0);
  const items = entries.map(
    (e, i) =>
      `<item><title>${escapeXml(e.title)}</title>${e.url ? `<link>${e.url}</link>` : ''}<guid isPermaLink="false">${e.guid}</guid>` +
      `<pubDate>${new Date(base - i * 3_600_000).toUTCString()}</pubDate><description>About ${escapeXml(e.title)}.</description></item>`,
  );
  return `<?xml version="1.0" encoding="${encodingDecl}"?>\n<rss version="2.0"><channel><title>${escapeXml(title)}</title>` +
    `<link>https://example.org/chaos/</link><description>chaos</description>${items.join('')}</channel></rss>\n`;
}

/** The same feed as UTF-8 bytes. */
export function rssBytes(title: string, entries: ExpectedEntry[]): Buffer {
  return Buffer.from(rssFeed(title, entries), 'utf8');
}

/** A feed that is not well-formed (bare `&`, an unclosed `<br>`, no closing tags) but whose entries are recoverable. */
export function brokenXmlFeed(entries: ExpectedEntry[]): Buffer {
  const good = rssFeed('Broken & proud', entries)
    .replace('<description>chaos</description>', '<description>Fish & chips <br> daily</description>')
    .replace('</channel></rss>\n', '');
  return Buffer.from(good, 'utf8');
}

/** windows-1251 bytes of a Cyrillic feed, with no encoding in the XML declaration (the header will lie). */
export function cp1251Feed(entries: ExpectedEntry[]): Buffer {
  const text = rssFeed('Новости хаоса', entries).replace('<?xml version="1.0" encoding="utf-8"?>\n', '<?xml version="1.0"?>\n');
  return iconv.encode(text, 'windows-1251');
}

/** Cyrillic entries (their titles must come back un-mangled from a mislabelled body). */
export function cyrillicEntries(sourceId: string, count: number): ExpectedEntry[] {
  return entriesFor(sourceId, count).map((e, i) => ({ ...e, title: `Новость номер ${i + 1}: дамбы выдержали` }));
}

/** An HTML page that advertises a feed at `feedHref` (for autodiscovery). */
export function htmlPage(feedHref: string): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><title>Chaos blog</title><link rel="alternate" type="application/rss+xml" title="Feed" href="${feedHref}"></head>` +
      '<body><h1>Welcome</h1><p>This is a page, not a feed.</p></body></html>',
    'utf8',
  );
}

/** The classic billion-laughs document: ten levels of ten-fold entity expansion inside a feed entry. */
export function billionLaughsFeed(): Buffer {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return Buffer.from(
    `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${levels.join('\n')}\n]>\n<rss version="2.0"><channel><title>laughs</title>` +
      '<item><title>&lol9;</title><guid isPermaLink="false">urn:chaos:laughs:1</guid><description>&lol9;</description></item></channel></rss>\n',
    'utf8',
  );
}

/** Deterministic pseudo-random bytes (no feed syntax in them). */
export function binaryGarbage(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x00;
  return out;
}

let bomb: Buffer | undefined;

/** gzip of 16 MiB of spaces (about 16 KiB on the wire): decompresses far past any sane body cap. */
export function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  return bomb;
}
