import { describe, expect, it } from 'vitest';
import { renderJsonFeed } from '../../shared/publish';
import { BARE_ITEM, META, NASTY, NASTY_ITEM, RICH_ITEM, SOURCES, cleaned, makeItem } from './fixtures';

/** A parsed JSON Feed item, loosely typed for assertions. */
type JsonItem = Record<string, unknown> & { _tributary: { sources: Record<string, string>[] } };

function parse(doc: string): { feed: Record<string, unknown>; items: JsonItem[] } {
  const feed = JSON.parse(doc) as Record<string, unknown>;
  expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
  expect(Array.isArray(feed.items)).toBe(true);
  return { feed, items: feed.items as JsonItem[] };
}

/** JSON Feed 1.1 requires id and content_html or content_text; null is never written. */
function expectItemRules(item: JsonItem): void {
  expect(typeof item.id).toBe('string');
  expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
  expect(JSON.stringify(item)).not.toContain('null');
}

describe('renderJsonFeed', () => {
  it('writes the top-level fields, with hubs as WebSub', () => {
    const { feed, items } = parse(renderJsonFeed([], META, SOURCES));
    expect(feed).toEqual({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Tributary',
      home_page_url: 'https://d123.cloudfront.net',
      feed_url: 'https://d123.cloudfront.net/feed.json',
      description: 'Everything I follow',
      language: 'en',
      hubs: [{ type: 'WebSub', url: 'https://hub.example.net/' }],
      items: [],
    });
    expect(items).toEqual([]);
  });

  it('omits absent optional top-level fields rather than writing null', () => {
    const { feed } = parse(renderJsonFeed([], { ...META, description: undefined, lang: undefined, hub: undefined }, SOURCES));
    expect(Object.keys(feed)).toEqual(['version', 'title', 'home_page_url', 'feed_url', 'items']);
  });

  it('round-trips an item with every field, and carries all its sources in _tributary', () => {
    const [item] = parse(renderJsonFeed([RICH_ITEM], META, SOURCES)).items as [JsonItem];
    expectItemRules(item);
    expect(item).toEqual({
      id: 'urn:tributary:item:aaaaaaaaaaaaaaaaaaaaaaaaaa',
      url: 'https://alpha.example.com/story?id=1&ref=x',
      title: 'Rates rise & markets <fall>',
      content_html: '<p>Full <em>story</em> &amp; more</p>',
      content_text: 'Full story & more',
      summary: 'Short summary',
      image: 'https://cdn.example.com/thumb.jpg',
      date_published: '2026-11-27T13:51:02Z',
      date_modified: '2026-11-27T14:00:00Z',
      authors: [
        { name: 'Ada Lovelace', url: 'https://ada.example.com/' },
        { name: 'bob@example.com', url: 'mailto:bob@example.com' },
      ],
      tags: ['economy', 'world'],
      language: 'fr',
      attachments: [
        { url: 'https://cdn.example.com/a.mp3', mime_type: 'audio/mpeg', title: 'Audio', size_in_bytes: 12345, duration_in_seconds: 61 },
        { url: 'https://cdn.example.com/b.jpg', mime_type: 'application/octet-stream' },
      ],
      _tributary: {
        sources: [
          { id: 'alpha', title: 'Alpha News', feed_url: 'https://alpha.example.com/feed.xml', home_page_url: 'https://alpha.example.com/' },
          { id: 'beta', title: 'Beta Blog', feed_url: 'https://beta.example.org/atom' },
          { id: 'gamma', title: 'Gamma & Co', feed_url: 'https://gamma.example.net/rss?a=1&b=2', home_page_url: 'https://gamma.example.net/' },
        ],
      },
    });
  });

  it('keeps the id when the title and link change', () => {
    const changed = { ...RICH_ITEM, title: 'Another title', url: 'https://elsewhere.example/x' };
    const id = (doc: string) => parse(doc).items[0]?.id;
    expect(id(renderJsonFeed([changed], META, SOURCES))).toBe(id(renderJsonFeed([RICH_ITEM], META, SOURCES)));
  });

  it('keeps a bare item valid: sortDate as date_published, title as content, an unknown source by id', () => {
    const [item] = parse(renderJsonFeed([makeItem({ id: 'b2', sourceId: 'ghost', sourceIds: ['ghost'] })], META, SOURCES))
      .items as [JsonItem];
    expectItemRules(item);
    expect(item).toEqual({
      id: 'urn:tributary:item:b2',
      title: 'Title of b2',
      content_text: 'Title of b2',
      date_published: '2026-11-20T08:00:00Z',
      _tributary: { sources: [{ id: 'ghost', title: 'ghost' }] },
    });
  });

  it('omits an empty title and still gives content', () => {
    const [item] = parse(renderJsonFeed([BARE_ITEM], META, SOURCES)).items as [JsonItem];
    expectItemRules(item);
    expect(item.title).toBeUndefined();
    expect(item.content_text).toBe('');
  });

  it('falls back to the summary HTML, then the plain summary, for content', () => {
    const html = makeItem({ id: 'h1', summaryHtml: '<p>s</p>', summaryText: 's' });
    const text = makeItem({ id: 't1', summaryText: 'plain' });
    const [a, b] = parse(renderJsonFeed([html, text], META, SOURCES)).items as [JsonItem, JsonItem];
    expect([a.content_html, a.content_text, a.summary]).toEqual(['<p>s</p>', undefined, 's']);
    expect([b.content_html, b.content_text, b.summary]).toEqual([undefined, 'plain', 'plain']);
  });

  it('removes characters XML cannot carry from every string and keeps the rest verbatim', () => {
    const doc = renderJsonFeed([NASTY_ITEM], META, SOURCES);
    expect(doc).not.toMatch(/\\u000[0-8bcef]|\\u001|\\ufff[ef]|\\ud[89a-f]/i);
    const [item] = parse(doc).items as [JsonItem];
    expectItemRules(item);
    expect(item.title).toBe(cleaned(NASTY_ITEM.title));
    expect(item.title).toContain(NASTY.script);
    expect(item.title).toContain(NASTY.emoji);
    expect(item.content_html).toBe(cleaned(NASTY_ITEM.contentHtml ?? ''));
    expect(item.summary).toBe(`${NASTY.script}xyzw`);
    expect(item.tags).toEqual([NASTY.script, NASTY.quotes]);
    expect(item.url).toBe(NASTY_ITEM.url);
  });
});
