import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../shared/parse/index';
import { fixture } from './load';

describe('RSS 2.0', () => {
  const feed = parseFeed(fixture('rss20.xml'), { url: 'https://news.example.com/feed.xml' });
  const [first, second, third] = feed.entries;

  it('maps the channel', () => {
    expect(feed.format).toBe('rss20');
    expect(feed.bozo).toBe(false);
    expect(feed.title).toMatchObject({ value: 'AT&T — News\u00a0été', type: 'text', lang: 'en-GB' });
    expect(feed.subtitle).toMatchObject({ value: 'All the <b>news</b>', type: 'html' });
    expect(feed.link).toBe('https://news.example.com/');
    expect(feed.lang).toBe('en-GB');
    expect(feed.rights?.value).toBe('© 2024 Example');
    expect(feed.updated).toBe('Tue, 02 Jan 2024 10:00:00 GMT');
    expect(feed.ttlMinutes).toBe(30);
    expect(feed.image).toBe('https://news.example.com/logo.png');
    expect(feed.hub).toBe('https://hub.example.net/');
    expect(feed.links).toContainEqual({ href: 'https://news.example.com/feed.xml', rel: 'self' });
    expect(feed.entries).toHaveLength(3);
  });

  it('maps core item elements, keeping feedburner:origLink beside the link as its canonical URL', () => {
    expect(first?.title).toMatchObject({ value: 'First & foremost', type: 'text' });
    expect(first?.link).toBe('https://news.example.com/1?utm=x&a=b');
    expect(first?.links).toContainEqual({ href: 'https://origin.example.com/story-1', rel: 'canonical' });
    expect(first?.id).toBe('story-1');
    expect(first?.guidIsPermaLink).toBe(false);
    expect(first?.published).toBe('Mon, 01 Jan 2024 09:00:00 GMT');
    expect(first?.summary).toMatchObject({ value: '<p>Summary <b>one</b> & more</p>', type: 'html' });
    expect(first?.content).toMatchObject({ value: '<p>Full text</p>', type: 'html' });
    expect(first?.comments).toBe('https://news.example.com/1#comments');
    expect(first?.origin).toEqual({ title: 'Wire Service', url: 'https://wire.example.org/rss' });
  });

  it('parses authors in both RSS forms and dc:creator', () => {
    expect(first?.authors).toEqual([{ name: 'Jane Doe', email: 'jane@example.com' }, { name: 'John Smith' }]);
    expect(third?.authors).toEqual([{ name: 'Jane Roe', email: 'roe@example.com' }]);
    expect(second?.authors).toEqual([{ name: 'Pod Caster' }]);
  });

  it('keeps category domains as schemes and adds dc:subject', () => {
    expect(first?.categories).toEqual([
      { term: 'World', scheme: 'https://news.example.com/tags' },
      { term: 'Politics' },
      { term: 'Elections' },
    ]);
  });

  it('collects every enclosure and media:content (also in media:group), de-duplicated by URL', () => {
    expect(first?.enclosures).toEqual([
      { url: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: 12345, durationS: 61 },
      { url: 'https://cdn.example.com/b.ogg', type: 'audio/ogg', length: 999 },
      { url: 'https://cdn.example.com/v.mp4', type: 'video/mp4', length: 5000 },
      { url: 'https://cdn.example.com/v.webm', type: 'video/webm' },
    ]);
    expect(first?.image).toBe('https://cdn.example.com/thumb.jpg');
  });

  it('uses a permalink guid as the link and reads iTunes extensions', () => {
    expect(second?.link).toBe('https://news.example.com/2');
    expect(second?.guidIsPermaLink).toBeUndefined();
    expect(second?.image).toBe('https://cdn.example.com/ep2.jpg');
    expect(second?.enclosures[0]?.durationS).toBe(3723);
  });

  it('types a title that still holds markup after decoding as html', () => {
    expect(second?.title).toMatchObject({ value: 'Title with <b>markup</b>', type: 'html' });
  });

  it('trims simple values but keeps summaries as given, and never links a guid marked not permalink', () => {
    expect(third?.title?.value).toBe('Spaced   title');
    expect(third?.summary?.value).toBe('  keep   spacing  ');
    expect(third?.link).toBeUndefined();
    expect(third?.id).toBe('https://news.example.com/3');
  });
});

describe('RSS 0.9x and versions', () => {
  const doc = (version: string) =>
    `<rss${version}><channel><title>T</title><link>http://x.example/</link><description>D</description>` +
    `<item><title>I</title><link>http://x.example/i</link><description>d</description></item></channel></rss>`;

  it.each([
    [' version="0.91"', 'rss091'],
    [' version="0.92"', 'rss092'],
    [' version="0.93"', 'rss093'],
    [' version="0.94"', 'rss094'],
    [' version="2.0"', 'rss20'],
    ['', 'rss20'],
  ])('<rss%s> is %s and yields its item', (version, format) => {
    const feed = parseFeed(doc(version));
    expect(feed.format).toBe(format);
    expect(feed.entries[0]?.link).toBe('http://x.example/i');
  });

  it('tolerates RSS 2.0 elements wrongly put in a default namespace', () => {
    const feed = parseFeed(doc(' version="2.0" xmlns="http://backend.userland.com/rss2"'));
    expect(feed.title?.value).toBe('T');
    expect(feed.entries).toHaveLength(1);
  });

  it('takes feedburner:origLink as the link only when the item has none, and adds no canonical link equal to the link', () => {
    const fb = 'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"';
    const only = parseFeed(`<rss version="2.0" ${fb}><channel><item><feedburner:origLink>https://a.example/1</feedburner:origLink></item></channel></rss>`);
    expect(only.entries[0]?.link).toBe('https://a.example/1');
    expect(only.entries[0]?.links).toEqual([]);
    const same = parseFeed(`<rss version="2.0" ${fb}><channel><item><link>https://a.example/1</link><feedburner:origLink>https://a.example/1</feedburner:origLink></item></channel></rss>`);
    expect(same.entries[0]?.links).toEqual([]);
  });

  it('reads a known namespace declared without (or with an extra) trailing slash', () => {
    const feed = parseFeed(
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1"><channel><item><dc:creator>Ann</dc:creator></item></channel></rss>',
    );
    expect(feed.entries[0]?.authors).toEqual([{ name: 'Ann' }]);
    const extra = parseFeed('<rss version="2.0" xmlns:fb="http://rssnamespace.org/feedburner/ext/1.0/"><channel>' +
      '<item><fb:origLink>https://a.example/1</fb:origLink></item></channel></rss>');
    expect(extra.entries[0]?.link).toBe('https://a.example/1');
  });

  it('resolves namespaces by URI, not by prefix', () => {
    const feed = parseFeed(
      '<rss version="2.0" xmlns:x="http://purl.org/dc/elements/1.1/" xmlns:dc="urn:not-dublin-core"><channel>' +
        '<item><x:creator>Right</x:creator><dc:creator>Wrong</dc:creator></item></channel></rss>',
    );
    expect(feed.entries[0]?.authors).toEqual([{ name: 'Right' }]);
  });
});

describe('RSS 1.0 and 0.90', () => {
  it('maps RDF channel and sibling items', () => {
    const feed = parseFeed(fixture('rss10.rdf'));
    expect(feed.format).toBe('rss10');
    expect(feed.id).toBe('https://rdf.example.com/rss');
    expect(feed.lang).toBe('de');
    expect(feed.updated).toBe('2024-01-02T10:00:00Z');
    expect(feed.rights?.value).toBe('CC BY');
    expect(feed.image).toBe('https://rdf.example.com/logo.gif');
    expect(feed.entries.map((e) => e.id)).toEqual(['https://rdf.example.com/a', 'https://rdf.example.com/b']);
    const a = feed.entries[0];
    expect(a?.published).toBe('2024-01-01T08:00:00Z');
    expect(a?.updated).toBe('2024-01-01T09:00:00Z');
    expect(a?.authors).toEqual([{ name: 'Ann' }]);
    expect(a?.categories).toEqual([{ term: 'Science' }]);
    expect(a?.lang).toBe('de');
  });

  it('recognises RSS 0.90 by its namespace', () => {
    const feed = parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">' +
        '<channel><title>Old</title><link>http://old.example/</link></channel>' +
        '<item><title>One</title><link>http://old.example/1</link></item></rdf:RDF>',
    );
    expect(feed.format).toBe('rss090');
    expect(feed.entries[0]?.title?.value).toBe('One');
  });
});
