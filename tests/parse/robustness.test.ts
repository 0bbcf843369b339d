import { describe, expect, it } from 'vitest';
import { NotAFeedError, ParseError } from '../../shared/errors';
import { detectFormat, parseFeed } from '../../shared/parse/index';
import { fixture } from './load';

describe('ill-formed XML', () => {
  it('recovers the entries of a feed with an unclosed tag, a bad entity and a stray & and <', () => {
    const feed = parseFeed(fixture('ill-formed.xml'));
    expect(feed.bozo).toBe(true);
    expect(feed.bozoReason).toBeTruthy();
    expect(feed.title?.value).toBe('Broken & proud');
    expect(feed.entries.map((e) => e.link)).toEqual([
      'https://broken.example.com/1',
      'https://broken.example.com/2',
      'https://broken.example.com/3',
    ]);
    expect(feed.entries[0]?.title?.value).toBe('One &bogus; entity');
    expect(feed.entries[0]?.summary?.value).toBe('Unclosed <b>bold</b>');
  });

  it('finds items swallowed by an unclosed element', () => {
    const feed = parseFeed('<rss><channel><title>T</title><category><item><title>A</title></item><item><title>B</title></item></channel></rss>');
    expect(feed.entries.map((e) => e.title?.value)).toEqual(['A', 'B']);
    expect(feed.bozo).toBe(true);
  });

  it('tolerates undeclared conventional prefixes', () => {
    const feed = parseFeed('<rss version="2.0"><channel><item><title>T</title><dc:creator>Ann</dc:creator></item></channel></rss>');
    expect(feed.bozo).toBe(true);
    expect(feed.entries[0]?.authors).toEqual([{ name: 'Ann' }]);
  });
});

describe('entities', () => {
  it('decodes HTML named entities that XML does not define, and declared ones', () => {
    const feed = parseFeed(
      '<!DOCTYPE rss [<!ENTITY me "Tributary">]><rss><channel><title>&hellip;&rsquo;&NotEqualTilde;&amp;&me;</title></channel></rss>',
    );
    expect(feed.title?.value).toBe('…’≂̸&Tributary');
  });

  it('bounds a billion-laughs document: fast, small output, flagged bozo', () => {
    const started = performance.now();
    const feed = parseFeed(fixture('billion-laughs.xml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(feed.bozo).toBe(true);
    expect(feed.title?.value).toBe(`Laughs ${'lol'.repeat(10)}`);
    const size = JSON.stringify(feed).length;
    expect(size).toBeLessThan(2_000_000);
    expect(feed.entries).toHaveLength(2);
    expect(feed.entries[0]?.title?.value).toBe('&lol9;');
  });

  it('keeps CDATA text exactly', () => {
    const feed = parseFeed('<rss><channel><item><description><![CDATA[ a &amp; <b>b</b> < c ]]></description></item></channel></rss>');
    expect(feed.entries[0]?.summary?.value).toBe(' a &amp; <b>b</b> < c ');
    expect(feed.bozo).toBe(false);
  });
});

describe('not a feed', () => {
  it('throws NotAFeedError with the advertised feed links resolved against the page URL', () => {
    let error: unknown;
    try {
      parseFeed(fixture('page.html'), { url: 'https://site.example.com/blog/post' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NotAFeedError);
    expect((error as NotAFeedError).feedLinks).toEqual([
      'https://site.example.com/feed.xml',
      'https://site.example.com/blog/atom.xml',
      'https://cdn.example.net/feed.json',
    ]);
  });

  it('throws ParseError for empty text and for XML whose root is not a feed', () => {
    expect(() => parseFeed('  \n ')).toThrow(ParseError);
    expect(() => parseFeed('<?xml version="1.0"?><note><to>x</to></note>')).toThrow('parse: not a feed: root element <note>');
    expect(() => parseFeed('just words')).toThrow(ParseError);
  });
});

describe('detectFormat', () => {
  it.each([
    ['<rss version="0.91"><channel/></rss>', 'rss091'],
    ['<?xml version="1.0"?>\n<rss><channel/></rss>', 'rss20'],
    ['<feed xmlns="http://www.w3.org/2005/Atom"/>', 'atom10'],
    ['<feed version="0.3" xmlns="http://purl.org/atom/ns#"/>', 'atom03'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>', 'rss10'],
    ['{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'json1'],
    ['<!DOCTYPE html><html><body></body></html>', 'html'],
    ['<note/>', undefined],
    ['', undefined],
  ])('%s → %s', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });
});
