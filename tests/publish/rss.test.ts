import { describe, expect, it } from 'vitest';
import { renderRss, TRIBUTARY_NS } from '../../shared/publish';
import { BARE_ITEM, META, NASTY, NASTY_ITEM, RICH_ITEM, SOURCES, cleaned, makeItem } from './fixtures';
import { all, NOT_XML_CHAR, one, parseXml, textOf, type XmlNode } from './xml-tree';

const ATOM = 'http://www.w3.org/2005/Atom';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const DC = 'http://purl.org/dc/elements/1.1/';
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

function channelOf(doc: string): XmlNode {
  const rss = parseXml(doc);
  expect(rss.local).toBe('rss');
  expect(rss.uri).toBe('');
  expect(rss.attrs.version).toBe('2.0');
  return one(rss, '', 'channel');
}

describe('renderRss', () => {
  it('writes the channel elements RSS 2.0 requires plus self and hub links', () => {
    const channel = channelOf(renderRss([RICH_ITEM], META, SOURCES));
    expect(textOf(channel, '', 'title')).toBe('Tributary');
    expect(textOf(channel, '', 'link')).toBe('https://d123.cloudfront.net');
    expect(textOf(channel, '', 'description')).toBe('Everything I follow');
    expect(textOf(channel, '', 'language')).toBe('en');
    expect(textOf(channel, '', 'lastBuildDate')).toBe('Fri, 27 Nov 2026 13:51:02 +0000');
    expect(textOf(channel, '', 'generator')).toBe('Tributary 0.1.0');
    expect(textOf(channel, '', 'docs')).toBe('https://www.rssboard.org/rss-specification');
    const links = all(channel, ATOM, 'link').map((l) => l.attrs);
    expect(links).toEqual([
      { href: 'https://d123.cloudfront.net/feed.xml', rel: 'self', type: 'application/rss+xml' },
      { href: 'https://hub.example.net/', rel: 'hub' },
    ]);
  });

  it('declares every namespace once, on <rss>', () => {
    const doc = renderRss([RICH_ITEM, NASTY_ITEM], META, SOURCES);
    expect(doc.match(/xmlns:/g)).toHaveLength(4);
    expect(doc).toMatch(/<rss [^>]*xmlns:tributary="https:\/\/tributary\.dev\/ns\/1\.0"/);
  });

  it('falls back to the title for the required description and leaves out absent optional elements', () => {
    const bare = { ...META, description: undefined, lang: undefined, hub: undefined, generator: undefined };
    const channel = channelOf(renderRss([], bare, SOURCES));
    expect(textOf(channel, '', 'description')).toBe('Tributary');
    expect(textOf(channel, '', 'language')).toBeUndefined();
    expect(textOf(channel, '', 'generator')).toBeUndefined();
    expect(all(channel, ATOM, 'link').map((l) => l.attrs.rel)).toEqual(['self']);
    expect(all(channel, '', 'item')).toHaveLength(0);
  });

  it('round-trips an item: guid, title, link, date, HTML, authors, categories, first enclosure, sources', () => {
    const [item] = all(channelOf(renderRss([RICH_ITEM], META, SOURCES)), '', 'item') as [XmlNode];
    expect(one(item, '', 'guid').attrs).toEqual({ isPermaLink: 'false' });
    expect(textOf(item, '', 'guid')).toBe('urn:tributary:item:aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(textOf(item, '', 'title')).toBe('Rates rise & markets <fall>');
    expect(textOf(item, '', 'link')).toBe('https://alpha.example.com/story?id=1&ref=x');
    expect(textOf(item, '', 'pubDate')).toBe('Fri, 27 Nov 2026 13:51:02 +0000');
    expect(textOf(item, '', 'description')).toBe('<p>Short <b>summary</b></p>');
    expect(textOf(item, CONTENT, 'encoded')).toBe('<p>Full <em>story</em> &amp; more</p>');
    expect(all(item, DC, 'creator').map((c) => c.text)).toEqual(['Ada Lovelace', 'bob@example.com']);
    expect(all(item, '', 'category').map((c) => c.text)).toEqual(['economy', 'world']);
    expect(all(item, '', 'enclosure').map((e) => e.attrs)).toEqual([
      { url: 'https://cdn.example.com/a.mp3', length: '12345', type: 'audio/mpeg' },
    ]);
    expect(one(item, '', 'source').attrs).toEqual({ url: 'https://alpha.example.com/feed.xml' });
    expect(textOf(item, '', 'source')).toBe('Alpha News');
    expect(all(item, TRIBUTARY_NS, 'source').map((s) => [s.attrs, s.text])).toEqual([
      [{ url: 'https://beta.example.org/atom', id: 'beta' }, 'Beta Blog'],
      [{ url: 'https://gamma.example.net/rss?a=1&b=2', id: 'gamma' }, 'Gamma & Co'],
    ]);
  });

  it('keeps the guid when the title and link change', () => {
    const guid = (doc: string) => textOf(all(channelOf(doc), '', 'item')[0] as XmlNode, '', 'guid');
    const changed = { ...RICH_ITEM, title: 'Another title', url: 'https://elsewhere.example/x' };
    expect(guid(renderRss([changed], META, SOURCES))).toBe(guid(renderRss([RICH_ITEM], META, SOURCES)));
  });

  it('fills in what the spec requires of an enclosure of unknown length and type', () => {
    const item = makeItem({ id: 'e1', enclosures: [{ url: 'https://cdn.example.com/x' }, { url: 'https://cdn.example.com/y' }] });
    const [node] = all(channelOf(renderRss([item], META, SOURCES)), '', 'item') as [XmlNode];
    expect(all(node, '', 'enclosure').map((e) => e.attrs)).toEqual([
      { url: 'https://cdn.example.com/x', length: '0', type: 'application/octet-stream' },
    ]);
  });

  it('uses the plain summary, escaped as HTML, when there is no HTML', () => {
    const item = makeItem({ id: 'p1', summaryText: 'a < b & c' });
    const [node] = all(channelOf(renderRss([item], META, SOURCES)), '', 'item') as [XmlNode];
    expect(textOf(node, '', 'description')).toBe('a &lt; b &amp; c');
    expect(textOf(node, CONTENT, 'encoded')).toBeUndefined();
  });

  it('keeps an item with no url, authors or dates beyond sortDate valid, attributing an unknown source by id', () => {
    const [node] = all(channelOf(renderRss([BARE_ITEM], META, SOURCES)), '', 'item') as [XmlNode];
    expect(textOf(node, '', 'guid')).toBe('urn:tributary:item:bbbbbbbbbbbbbbbbbbbbbbbbbb');
    expect(textOf(node, '', 'title')).toBe('');
    expect(textOf(node, '', 'link')).toBeUndefined();
    expect(textOf(node, '', 'pubDate')).toBe('Fri, 20 Nov 2026 08:00:00 +0000');
    expect(textOf(node, '', 'pubDate')).toMatch(RFC822);
    // <source> requires a url, so a source without one is named in tributary:source instead.
    expect(all(node, '', 'source')).toHaveLength(0);
    expect(all(node, TRIBUTARY_NS, 'source').map((s) => [s.attrs, s.text])).toEqual([[{ id: 'ghost' }, 'ghost']]);
  });

  it('escapes or removes nasty strings and stays well-formed', () => {
    const doc = renderRss([NASTY_ITEM], META, SOURCES);
    expect(doc).not.toMatch(NOT_XML_CHAR);
    expect(doc).not.toContain('<script>');
    expect(doc).not.toContain('<![CDATA[');
    expect(doc).not.toContain(']]>');
    const [node] = all(channelOf(doc), '', 'item') as [XmlNode];
    expect(textOf(node, '', 'title')).toBe(cleaned(NASTY_ITEM.title));
    expect(textOf(node, '', 'link')).toBe(NASTY_ITEM.url);
    expect(textOf(node, '', 'description')).toBe(`<p>${NASTY.escaped} ${NASTY.cdataEnd}</p>`);
    expect(textOf(node, CONTENT, 'encoded')).toBe(cleaned(NASTY_ITEM.contentHtml ?? ''));
    expect(textOf(node, DC, 'creator')).toBe(`${NASTY.arabic} xyzw`);
    expect(all(node, '', 'category').map((c) => c.text)).toEqual([NASTY.script, NASTY.quotes]);
  });
});
