import { describe, expect, it } from 'vitest';
import type { ParsedEntry, ParsedFeed } from '../../shared/model';
import { normaliseFeed, type NormaliseContext } from '../../shared/normalise/items';
import { NORMALISE_LIMITS } from '../../shared/normalise/limits';

const FETCHED_AT = new Date('2025-06-01T12:00:00.000Z');
const CTX: NormaliseContext = { sourceId: 'src-1', feedUrl: 'https://news.example.com/feed.xml', fetchedAt: FETCHED_AT };

function entry(over: Partial<ParsedEntry> = {}): ParsedEntry {
  return { links: [], authors: [], categories: [], enclosures: [], ...over };
}

function feed(entries: ParsedEntry[], over: Partial<ParsedFeed> = {}): ParsedFeed {
  return { format: 'rss20', links: [], authors: [], entries, bozo: false, ...over };
}

function one(e: ParsedEntry, f: Partial<ParsedFeed> = {}, ctx: NormaliseContext = CTX) {
  const drafts = normaliseFeed(feed([e], f), ctx);
  expect(drafts).toHaveLength(1);
  return drafts[0]!;
}

describe('normaliseFeed: a full entry', () => {
  const full = entry({
    id: '  tag:news.example.com,2025:42  ',
    title: { value: 'Rates &amp; <em>markets</em>', type: 'html' },
    link: 'https://News.Example.com/2025/06/rates?utm_source=rss&id=42#comments',
    summary: { value: '<p>Short <b>summary</b> <img src="/i.png" onerror="x()"></p>', type: 'html', base: 'https://news.example.com/2025/' },
    content: { value: '<p>Full <a href="story">story</a></p><script>evil()</script>', type: 'html', base: 'https://news.example.com/2025/' },
    published: '2025-05-31T08:00:00Z',
    updated: '2025-05-31T09:30:00+01:00',
    authors: [{ name: ' Ann Writer ' }, { name: 'Ann Writer' }, { name: '  ' }, { email: 'bob@example.com' }],
    categories: [{ term: 'Economy' }, { term: 'economy' }, { term: ' ', label: 'Markets' }, { term: 'Rates ' }],
    enclosures: [
      { url: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: 1234 },
      { url: 'https://CDN.example.com/a.mp3#t=1', length: 99 },
      { url: 'ftp://cdn.example.com/b.mp3' },
      { url: 'https://cdn.example.com/c.jpg', type: 'image/jpeg', length: -5 },
    ],
    image: '/thumb.jpg',
    lang: 'en_gb',
  });
  const draft = one(full);

  it('maps identity and link', () => {
    expect(draft.sourceId).toBe('src-1');
    expect(draft.guid).toBe('tag:news.example.com,2025:42');
    expect(draft.url).toBe('https://news.example.com/2025/06/rates?id=42');
  });

  it('maps title, summary and content to plain text and sanitised HTML', () => {
    expect(draft.title).toBe('Rates & markets');
    expect(draft.summaryHtml).toBe('<p>Short <b>summary</b> <img src="https://news.example.com/i.png" /></p>');
    expect(draft.summaryText).toBe('Short summary');
    expect(draft.contentHtml).toBe('<p>Full <a href="https://news.example.com/2025/story">story</a></p>');
    expect(draft.contentText).toBe('Full story');
    expect(draft.rawHtml).toBe(full.content!.value);
  });

  it('cleans authors, categories, enclosures and the image', () => {
    expect(draft.authors).toEqual([{ name: 'Ann Writer' }, { email: 'bob@example.com' }]);
    expect(draft.categories).toEqual(['Economy', 'Markets', 'Rates']);
    expect(draft.enclosures).toEqual([
      { url: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: 1234 },
      { url: 'https://cdn.example.com/c.jpg', type: 'image/jpeg' },
    ]);
    expect(draft.image).toBe('https://news.example.com/thumb.jpg');
  });

  it('normalises dates and language', () => {
    expect(draft.published).toBe('2025-05-31T08:00:00.000Z');
    expect(draft.updated).toBe('2025-05-31T08:30:00.000Z');
    expect(draft.lang).toBe('en-GB');
  });

  it('hashes what a reader sees: 16 hex chars, stable, sensitive to visible changes only', () => {
    expect(draft.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect(one(full).contentHash).toBe(draft.contentHash);
    expect(one({ ...full, id: 'other-guid', lang: 'fr' }).contentHash).toBe(draft.contentHash);
    expect(one({ ...full, title: { value: 'Rates and markets', type: 'text' } }).contentHash).not.toBe(draft.contentHash);
    expect(one({ ...full, categories: [] }).contentHash).not.toBe(draft.contentHash);
  });
});

describe('normaliseFeed: links', () => {
  it('falls back to the first alternate link, then to a permalink guid', () => {
    expect(one(entry({ links: [{ href: 'https://e.com/self', rel: 'self' }, { href: 'https://e.com/alt', rel: 'alternate' }] })).url)
      .toBe('https://e.com/alt');
    expect(one(entry({ id: 'https://e.com/p/1?utm_campaign=x' })).url).toBe('https://e.com/p/1');
    expect(one(entry({ id: 'https://e.com/p/1', guidIsPermaLink: false })).url).toBeUndefined();
    expect(one(entry({ id: 'urn:uuid:1234' })).url).toBeUndefined();
  });

  it('prefers a rel=canonical link (FeedBurner origLink) over the link, which stays the fallback', () => {
    const links = [{ href: 'https://origin.example/story?utm_source=fb', rel: 'canonical' }];
    expect(one(entry({ link: 'http://feedproxy.example/~r/x/1', links })).url).toBe('https://origin.example/story');
    expect(one(entry({ link: 'http://feedproxy.example/~r/x/1', links: [{ href: 'mailto:x@example.com', rel: 'Canonical' }] })).url)
      .toBe('http://feedproxy.example/~r/x/1');
  });

  it('resolves relative links against the entry base, else the feed URL', () => {
    expect(one(entry({ link: '../a', base: 'https://e.com/x/y/' })).url).toBe('https://e.com/x/a');
    expect(one(entry({ link: '/story/9' })).url).toBe('https://news.example.com/story/9');
  });

  it('skips a link that is not http(s) in favour of the next candidate', () => {
    expect(one(entry({ link: 'javascript:alert(1)', links: [{ href: 'https://e.com/ok' }] })).url).toBe('https://e.com/ok');
  });

  it('leaves guid undefined when empty', () => {
    expect(one(entry({ id: '   ' })).guid).toBeUndefined();
  });
});

describe('normaliseFeed: titles', () => {
  it('reads text titles as given and xhtml titles as markup', () => {
    expect(one(entry({ title: { value: 'AT&T <3 you', type: 'text' } })).title).toBe('AT&T <3 you');
    expect(one(entry({ title: { value: '<span>X &amp; <b>Y</b></span>', type: 'xhtml' } })).title).toBe('X & Y');
  });

  it('derives a missing title from the summary at a word boundary', () => {
    const words = 'Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore';
    const title = one(entry({ summary: { value: `<p>${words}</p>`, type: 'html' } })).title;
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(NORMALISE_LIMITS.derivedTitle);
    expect(words.startsWith(title.slice(0, -1))).toBe(true);
    expect(words[title.length - 1]).toBe(' ');
    expect(one(entry({ content: { value: 'Short body', type: 'text' } })).title).toBe('Short body');
    expect(one(entry({})).title).toBe('');
  });

  it('cuts an overlong title at a word boundary', () => {
    const title = one(entry({ title: { value: 'word '.repeat(400), type: 'text' } })).title;
    expect(title.length).toBeLessThanOrEqual(NORMALISE_LIMITS.title);
    expect(title).toMatch(/word…$/);
  });
});

describe('normaliseFeed: dates', () => {
  it('clamps future dates to the fetch time', () => {
    const draft = one(entry({ published: '2030-01-01T00:00:00Z', updated: 'Tue, 01 Jan 2047 00:00:00 GMT' }));
    expect(draft.published).toBe(FETCHED_AT.toISOString());
    expect(draft.updated).toBe(FETCHED_AT.toISOString());
  });

  it('treats dates before 1990 and unparseable dates as absent', () => {
    const draft = one(entry({ published: '1970-01-01T00:00:00Z', updated: 'not a date' }));
    expect(draft.published).toBeUndefined();
    expect(draft.updated).toBeUndefined();
  });

  it('does not copy updated into published', () => {
    const draft = one(entry({ updated: '2025-01-02T03:04:05Z' }));
    expect(draft.published).toBeUndefined();
    expect(draft.updated).toBe('2025-01-02T03:04:05.000Z');
  });
});

describe('normaliseFeed: fallbacks and limits', () => {
  it('falls back to the feed authors and the feed language', () => {
    const draft = one(entry({}), { authors: [{ name: 'Desk', url: 'https://e.com/desk' }], lang: 'DE-at' });
    expect(draft.authors).toEqual([{ name: 'Desk', url: 'https://e.com/desk' }]);
    expect(draft.lang).toBe('de-AT');
  });

  it('renders text constructs as escaped HTML and keeps no rawHtml for them', () => {
    const draft = one(entry({ summary: { value: 'a < b\nc', type: 'text' } }));
    expect(draft.summaryHtml).toBe('a &lt; b<br />c');
    expect(draft.summaryText).toBe('a < b\nc');
    expect(draft.rawHtml).toBeUndefined();
  });

  it('takes rawHtml from the summary when the content is plain text', () => {
    const draft = one(entry({ content: { value: 'plain', type: 'text' }, summary: { value: '<p>s</p>', type: 'html' } }));
    expect(draft.rawHtml).toBe('<p>s</p>');
  });

  it('names a category by its display label when it has one, else by its term', () => {
    const categories = [{ term: 'cat-17', scheme: 'https://e.com/cats', label: 'Science & Space' }, { term: 'eterm2' }, { term: 'x', label: ' ' }];
    expect(one(entry({ categories })).categories).toEqual(['Science & Space', 'eterm2', 'x']);
  });

  it('caps categories at 50', () => {
    const categories = Array.from({ length: 80 }, (_, i) => ({ term: `tag${i}` }));
    expect(one(entry({ categories })).categories).toHaveLength(NORMALISE_LIMITS.categories);
  });

  it('cuts oversized content at a tag boundary, keeps it well-formed, and keeps the raw HTML whole', () => {
    const raw = `<div>${'<p>Paragraph text that repeats. </p>'.repeat(4000)}</div>`;
    const draft = one(entry({ content: { value: raw, type: 'html' } }));
    expect(draft.contentHtml!.length).toBeLessThanOrEqual(NORMALISE_LIMITS.contentHtml);
    expect(draft.contentHtml!.length).toBeGreaterThan(NORMALISE_LIMITS.contentHtml * 0.9);
    expect(draft.contentHtml!.endsWith('</p></div>')).toBe(true);
    expect(draft.contentText!.length).toBeLessThanOrEqual(NORMALISE_LIMITS.contentText);
    expect(draft.contentText!.endsWith('…')).toBe(true);
    expect(draft.rawHtml).toBe(raw);
  });

  it('cuts oversized summaries', () => {
    const raw = '<p>Summary words go here. </p>'.repeat(2000);
    const draft = one(entry({ summary: { value: raw, type: 'html' } }));
    expect(draft.summaryHtml!.length).toBeLessThanOrEqual(NORMALISE_LIMITS.summaryHtml);
    expect(draft.summaryText!.length).toBeLessThanOrEqual(NORMALISE_LIMITS.summaryText);
  });

  it('renders identical summary and content identically', () => {
    const value = '<p>Same <a href="x">body</a></p>';
    const draft = one(entry({ summary: { value, type: 'html' }, content: { value, type: 'html' } }));
    expect(draft.summaryHtml).toBe(draft.contentHtml);
    expect(draft.summaryText).toBe(draft.contentText);
  });

  it('takes at most maxItems entries (default 500), in feed order', () => {
    const entries = Array.from({ length: 600 }, (_, i) => entry({ id: `id-${i}` }));
    expect(normaliseFeed(feed(entries), CTX)).toHaveLength(NORMALISE_LIMITS.maxItems);
    const three = normaliseFeed(feed(entries), { ...CTX, maxItems: 3 });
    expect(three.map((d) => d.guid)).toEqual(['id-0', 'id-1', 'id-2']);
  });

  it('never sets optional fields to undefined explicitly', () => {
    const draft = one(entry({}));
    for (const value of Object.values(draft)) expect(value).not.toBeUndefined();
  });
});
