/** Small hand-written feeds (RSS 2.0 and Atom 1.0) with known dates, shared by the API, handler and CLI tests. */
import type { FeedFile } from '../../cli/local/feed-server';

/** One entry of a test feed. */
export interface TestEntry {
  id: string;
  title: string;
  link: string;
  /** ISO date, in the past. */
  date: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** An RSS 2.0 feed. */
export function rssFeed(title: string, site: string, entries: TestEntry[]): string {
  const items = entries
    .map((e) => `<item><title>${esc(e.title)}</title><link>${esc(e.link)}</link><guid isPermaLink="false">${esc(e.id)}</guid><pubDate>${new Date(e.date).toUTCString()}</pubDate><description>About ${esc(e.title)}.</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>${esc(site)}</link><description>d</description>\n${items}\n</channel></rss>\n`;
}

/** An Atom 1.0 feed. */
export function atomFeed(title: string, site: string, entries: TestEntry[]): string {
  const items = entries
    .map((e) => `<entry><id>${esc(e.id)}</id><title>${esc(e.title)}</title><link href="${esc(e.link)}"/><updated>${e.date}</updated><published>${e.date}</published><summary>About ${esc(e.title)}.</summary></entry>`)
    .join('\n');
  const updated = entries.map((e) => e.date).sort().at(-1) ?? '2025-01-01T00:00:00Z';
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(title)}</title><id>${esc(site)}</id><link href="${esc(site)}"/><updated>${updated}</updated>\n${items}\n</feed>\n`;
}

/** A FeedFile for the loopback feed server. */
export function feedFile(text: string, contentType: string): FeedFile {
  return { body: new TextEncoder().encode(text), contentType, lastModified: new Date('2025-06-01T00:00:00Z') };
}

/** Entries of the RSS test source "alpha" (3) and the Atom test source "beta" (2), dates interleaved. */
export const ALPHA: TestEntry[] = [
  { id: 'alpha-1', title: 'Alpha one', link: 'https://alpha.example/2025/05/one', date: '2025-05-01T10:00:00Z' },
  { id: 'alpha-2', title: 'Alpha two', link: 'https://alpha.example/2025/05/two', date: '2025-05-03T10:00:00Z' },
  { id: 'alpha-3', title: 'Alpha three', link: 'https://alpha.example/2025/05/three', date: '2025-05-05T10:00:00Z' },
];
export const BETA: TestEntry[] = [
  { id: 'urn:beta:1', title: 'Beta one', link: 'https://beta.example/posts/one', date: '2025-05-02T10:00:00Z' },
  { id: 'urn:beta:2', title: 'Beta two', link: 'https://beta.example/posts/two', date: '2025-05-04T10:00:00Z' },
];

/** The two test feeds as server files: /alpha.xml (RSS) and /beta.atom (Atom). */
export function testFeedFiles(): Map<string, FeedFile> {
  return new Map([
    ['/alpha.xml', feedFile(rssFeed('Alpha', 'https://alpha.example/', ALPHA), 'application/rss+xml; charset=utf-8')],
    ['/beta.atom', feedFile(atomFeed('Beta', 'https://beta.example/', BETA), 'application/atom+xml; charset=utf-8')],
  ]);
}
