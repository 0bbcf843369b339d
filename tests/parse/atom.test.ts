import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../shared/parse/index';
import { fixture } from './load';

describe('Atom 1.0', () => {
  const feed = parseFeed(fixture('atom10.xml'), { url: 'https://blog.example.com/feeds/atom' });
  const [first, second, third] = feed.entries;

  it('maps the feed, resolving links against xml:base', () => {
    expect(feed.format).toBe('atom10');
    expect(feed.title).toMatchObject({ value: 'Example & Co', type: 'text', lang: 'en', base: 'https://blog.example.com/base/' });
    expect(feed.subtitle).toMatchObject({ value: 'A <em>blog</em>', type: 'html' });
    expect(feed.id).toBe('tag:blog.example.com,2024:feed');
    expect(feed.link).toBe('https://blog.example.com/');
    expect(feed.links).toContainEqual({ href: 'https://blog.example.com/base/feed.atom', rel: 'self' });
    expect(feed.hub).toBe('https://hub.example.net/');
    expect(feed.image).toBe('https://blog.example.com/base/img/logo.png');
    expect(feed.base).toBe('https://blog.example.com/base/');
    expect(feed.lang).toBe('en');
    expect(feed.authors).toEqual([{ name: 'Blog Owner', email: 'owner@example.com', url: 'https://blog.example.com/about' }]);
  });

  it('nests xml:base and xml:lang at entry and content level, keeping ids as given', () => {
    expect(first?.id).toBe('tag:blog.example.com,2024:1');
    expect(first?.base).toBe('https://blog.example.com/base/posts/2024/');
    expect(first?.lang).toBe('fr');
    expect(first?.link).toBe('https://blog.example.com/base/posts/2024/hello.html');
    expect(first?.content?.base).toBe('https://blog.example.com/base/posts/2024/content/');
    expect(first?.content?.lang).toBe('de');
    expect(first?.title?.lang).toBe('fr');
    expect(first?.authors).toEqual([{ name: 'Alice', url: 'https://blog.example.com/base/posts/2024/alice/' }]);
  });

  it('keeps every link with its attributes and turns rel=enclosure into enclosures', () => {
    expect(first?.links).toEqual([
      { href: 'https://blog.example.com/base/posts/2024/hello.html' },
      { href: 'https://blog.example.com/base/posts/2024/second.html', rel: 'alternate', type: 'text/html' },
      { href: 'https://blog.example.com/media/hello.mp3', rel: 'enclosure', type: 'audio/mpeg', length: 42 },
      { href: 'https://other.example.org/x', rel: 'related', title: 'Other', hreflang: 'en' },
    ]);
    expect(first?.enclosures).toEqual([
      { url: 'https://blog.example.com/media/hello.mp3', type: 'audio/mpeg', length: 42 },
      { url: 'https://blog.example.com/base/posts/2024/v.mp4', type: 'video/mp4' },
    ]);
  });

  it('serialises xhtml content without the wrapping div or prefixes, escaping text and attributes', () => {
    expect(first?.content?.type).toBe('xhtml');
    expect(first?.content?.value).toBe(
      '<p class="a&amp;b" title="&quot;q&quot;">Hallo <a href="rel/link">Welt</a> 1 &lt; 2<br /></p><img src="pic.png" alt="" />',
    );
  });

  it('reads html and text constructs, dates, categories and source', () => {
    expect(first?.title).toMatchObject({ value: 'Bonjour &amp; salut', type: 'html' });
    expect(first?.summary).toMatchObject({ value: 'Short <not markup>', type: 'text' });
    expect(first?.published).toBe('2024-01-01T08:00:00Z');
    expect(first?.updated).toBe('2024-01-01T09:00:00+01:00');
    expect(first?.categories).toEqual([{ term: 'news', scheme: 'https://blog.example.com/cats', label: 'News' }]);
    expect(first?.origin).toEqual({ id: 'tag:src', title: 'Source feed', url: 'https://src.example.org/' });
    expect(third?.content).toMatchObject({ value: '<p>Para</p>', type: 'html' });
  });

  it('turns content with src into an alternate link', () => {
    expect(second?.content).toBeUndefined();
    expect(second?.link).toBe('https://blog.example.com/base/remote/2.html');
    expect(second?.links).toEqual([{ href: 'https://blog.example.com/base/remote/2.html', rel: 'alternate', type: 'text/html' }]);
    expect(second?.lang).toBe('en');
  });

  it('reads an Atom Entry Document as a feed of one entry', () => {
    const doc = parseFeed('<entry xmlns="http://www.w3.org/2005/Atom"><id>urn:e</id><title>Alone</title></entry>');
    expect(doc.format).toBe('atom10');
    expect(doc.entries.map((e) => e.id)).toEqual(['urn:e']);
  });

  it('resolves a relative xml:base against the document URL, and leaves links unresolved without any base', () => {
    const doc = '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="sub/"><entry><link href="a.html"/></entry></feed>';
    expect(parseFeed(doc, { url: 'https://h.example/x/feed' }).entries[0]?.link).toBe('https://h.example/x/sub/a.html');
    expect(parseFeed(doc).entries[0]?.link).toBe('a.html');
  });
});

describe('Atom 0.3', () => {
  const feed = parseFeed(fixture('atom03.xml'));
  it('maps modes, tagline, modified, issued and url', () => {
    expect(feed.format).toBe('atom03');
    expect(feed.title).toMatchObject({ value: 'Old <i>Atom</i>', type: 'html' });
    expect(feed.subtitle?.value).toBe('The tagline');
    expect(feed.updated).toBe('2004-01-02T10:00:00Z');
    expect(feed.rights?.value).toBe('Old rights');
    expect(feed.link).toBe('https://old.example.com/');
    const [one, two] = feed.entries;
    expect(one?.published).toBe('2004-01-01T08:00:00Z');
    expect(one?.updated).toBe('2004-01-01T09:00:00Z');
    expect(one?.authors).toEqual([{ name: 'Old Author', url: 'https://old.example.com/me' }]);
    expect(one?.summary).toMatchObject({ value: 'Plain summary', type: 'text' });
    expect(one?.content).toMatchObject({ value: 'Inline <b>xml</b>', type: 'xhtml', lang: 'en' });
    expect(two?.content).toMatchObject({ value: '<p>Hello</p>', type: 'html' });
  });
});

describe('Atom with FeedBurner', () => {
  it('keeps the alternate link as the link and feedburner:origLink as a canonical link', () => {
    const feed = parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><entry>' +
        '<link rel="alternate" href="http://feedproxy.example/~r/x/1"/><feedburner:origLink>https://blog.example/1</feedburner:origLink>' +
        '</entry></feed>',
    );
    expect(feed.entries[0]?.link).toBe('http://feedproxy.example/~r/x/1');
    expect(feed.entries[0]?.links).toEqual([
      { href: 'http://feedproxy.example/~r/x/1', rel: 'alternate' },
      { href: 'https://blog.example/1', rel: 'canonical' },
    ]);
  });
});
