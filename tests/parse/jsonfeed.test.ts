import { describe, expect, it } from 'vitest';
import { ParseError } from '../../shared/errors';
import { parseFeed } from '../../shared/parse/index';
import { fixture } from './load';

describe('JSON Feed', () => {
  it('maps JSON Feed 1.1', () => {
    const feed = parseFeed(fixture('jsonfeed11.json'));
    expect(feed.format).toBe('json1');
    expect(feed.title).toMatchObject({ value: 'JSON & Co', type: 'text' });
    expect(feed.link).toBe('https://json.example.com/');
    expect(feed.links).toContainEqual({ href: 'https://json.example.com/feed.json', rel: 'self', type: 'application/feed+json' });
    expect(feed.lang).toBe('en-US');
    expect(feed.hub).toBe('https://hub.example.net/');
    expect(feed.image).toBe('https://json.example.com/icon.png');
    expect(feed.authors).toEqual([{ name: 'Feed Author', url: 'https://json.example.com/me' }]);
    const [item, textOnly] = feed.entries;
    expect(item?.id).toBe('42');
    expect(item?.link).toBe('https://json.example.com/42');
    expect(item?.links).toContainEqual({ href: 'https://elsewhere.example.org/42', rel: 'related' });
    expect(item?.content).toMatchObject({ value: '<p>Hello</p>', type: 'html', lang: 'fr' });
    expect(item?.summary?.value).toBe('Hi');
    expect(item?.image).toBe('https://json.example.com/img/42.png');
    expect(item?.published).toBe('2024-01-01T08:00:00Z');
    expect(item?.updated).toBe('2024-01-01T09:00:00Z');
    expect(item?.authors).toEqual([{ name: 'Item Author' }]);
    expect(item?.categories).toEqual([{ term: 'a' }, { term: 'b' }]);
    expect(item?.enclosures).toEqual([
      { url: 'https://cdn.example.com/42.mp3', type: 'audio/mpeg', length: 1000, title: 'Audio', durationS: 90 },
    ]);
    expect(textOnly?.content).toMatchObject({ value: 'Just text', type: 'text', lang: 'en-US' });
  });

  it('maps JSON Feed 1.0 with the singular author', () => {
    const feed = parseFeed(fixture('jsonfeed10.json'));
    expect(feed.format).toBe('json1');
    expect(feed.authors).toEqual([{ name: 'Solo Author', email: 'solo@example.com' }]);
    expect(feed.entries[0]?.authors).toEqual([{ name: 'Item Solo' }]);
    expect(feed.entries[0]?.content?.type).toBe('html');
  });

  it('rejects invalid JSON and JSON that is not a feed with ParseError', () => {
    expect(() => parseFeed('{"version": ')).toThrow(ParseError);
    expect(() => parseFeed('{"hello": "world"}')).toThrow(/not a feed/);
  });
});

describe('JSON Feed base URLs', () => {
  const doc = (item: object) =>
    JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', home_page_url: 'https://site.example/blog/', feed_url: 'https://cdn.example/feed.json', items: [item] });

  it('reads relative URLs in an item\'s HTML against the item\'s own url', () => {
    const feed = parseFeed(doc({ id: '1', url: 'https://site.example/blog/2026/post', content_html: '<a href="img/a.png">a</a>' }), { url: 'https://cdn.example/feed.json' });
    expect(feed.entries[0]?.content?.base).toBe('https://site.example/blog/2026/post');
  });

  it('falls back to the home page, not the feed URL, when the item has no url', () => {
    const feed = parseFeed(doc({ id: '2', content_html: '<a href="/about">a</a>' }), { url: 'https://cdn.example/feed.json' });
    expect(feed.entries[0]?.content?.base).toBe('https://site.example/blog/');
  });
});
