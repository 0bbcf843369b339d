/** Items, sources and feed metadata for the publish tests. */
import type { Item } from '../../shared/model';
import type { FeedMeta, SourceInfo } from '../../shared/publish';

/** The combined feed's metadata. */
export const META: FeedMeta = {
  title: 'Tributary',
  description: 'Everything I follow',
  publicUrl: 'https://d123.cloudfront.net',
  path: 'feed',
  lang: 'en',
  hub: 'https://hub.example.net/',
  generator: 'Tributary 0.1.0',
  updated: '2026-11-27T13:51:02.000Z',
};

/** Three known sources; one id used in items (`ghost`) is deliberately missing. */
export const SOURCES = new Map<string, SourceInfo>([
  ['alpha', { id: 'alpha', title: 'Alpha News', url: 'https://alpha.example.com/feed.xml', siteUrl: 'https://alpha.example.com/' }],
  ['beta', { id: 'beta', title: 'Beta Blog', url: 'https://beta.example.org/atom' }],
  ['gamma', { id: 'gamma', title: 'Gamma & Co', url: 'https://gamma.example.net/rss?a=1&b=2', siteUrl: 'https://gamma.example.net/' }],
]);

/** A stored item with only the required fields, overridable. */
export function makeItem(overrides: Partial<Item> & { id: string }): Item {
  return {
    sourceId: 'alpha',
    sourceIds: ['alpha'],
    title: `Title of ${overrides.id}`,
    authors: [],
    categories: [],
    enclosures: [],
    contentHash: 'h',
    sortDate: '2026-11-20T08:00:00.000Z',
    firstSeenAt: '2026-11-20T08:05:00.000Z',
    changedAt: '2026-11-20T08:05:00.000Z',
    ...overrides,
  };
}

/** A full item: every optional field set, three sources. */
export const RICH_ITEM = makeItem({
  id: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
  sourceId: 'alpha',
  sourceIds: ['alpha', 'beta', 'gamma'],
  url: 'https://alpha.example.com/story?id=1&ref=x',
  title: 'Rates rise & markets <fall>',
  summaryHtml: '<p>Short <b>summary</b></p>',
  summaryText: 'Short summary',
  contentHtml: '<p>Full <em>story</em> &amp; more</p>',
  contentText: 'Full story & more',
  authors: [{ name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://ada.example.com/' }, { email: 'bob@example.com' }],
  categories: ['economy', 'world'],
  enclosures: [
    { url: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: 12345, title: 'Audio', durationS: 61 },
    { url: 'https://cdn.example.com/b.jpg' },
  ],
  image: 'https://cdn.example.com/thumb.jpg',
  published: '2026-11-27T13:51:02.000Z',
  updated: '2026-11-27T14:00:00.000Z',
  lang: 'fr',
  sortDate: '2026-11-27T13:51:02.000Z',
  changedAt: '2026-11-27T14:05:00.000Z',
});

/** An item with nothing beyond the required fields and a source missing from the map. */
export const BARE_ITEM = makeItem({ id: 'bbbbbbbbbbbbbbbbbbbbbbbbbb', sourceId: 'ghost', sourceIds: ['ghost'], title: '' });

/** Strings that must come out escaped or removed. */
export const NASTY = {
  script: '<script>alert(1)</script>',
  cdataEnd: 'a ]]> b',
  escaped: 'Tom &amp; Jerry',
  controls: 'x\u0001y\u000Bz\uFFFEw\uFFFF',
  emoji: 'launch 🚀 done 👍🏽',
  arabic: 'مرحبا بالعالم',
  loneSurrogate: 'half\uD83Dway\uDE00end',
  quotes: `"double" 'single' tab\there\r\nline`,
};

/** An item whose every text field carries the nasty strings. */
export const NASTY_ITEM = makeItem({
  id: 'cccccccccccccccccccccccccc',
  sourceIds: ['alpha'],
  url: `https://alpha.example.com/q?x="1"&y=<2>`,
  title: Object.values(NASTY).join(' | '),
  summaryText: NASTY.script + NASTY.controls,
  summaryHtml: `<p>${NASTY.escaped} ${NASTY.cdataEnd}</p>`,
  contentHtml: `<div dir="rtl">${NASTY.arabic}</div>${NASTY.script}${NASTY.loneSurrogate}${NASTY.emoji}`,
  authors: [{ name: `${NASTY.arabic} ${NASTY.controls}` }],
  categories: [NASTY.script, NASTY.quotes],
});

/** What a nasty string reads as once cleaned of characters XML 1.0 cannot carry. */
export function cleaned(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[\uD800-\uDFFF]/gu, '');
}
