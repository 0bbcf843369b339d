import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../shared/publish';
import { BARE_ITEM, META, NASTY, NASTY_ITEM, RICH_ITEM, SOURCES, cleaned, makeItem } from './fixtures';
import { all, NOT_XML_CHAR, one, parseXml, textOf, type XmlNode } from './xml-tree';

const ATOM = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function feedOf(doc: string): XmlNode {
  const feed = parseXml(doc);
  expect([feed.uri, feed.local]).toEqual([ATOM, 'feed']);
  return feed;
}

function entries(doc: string): XmlNode[] {
  return all(feedOf(doc), ATOM, 'entry');
}

/** The RFC 4287 rules the RELAX NG schema states only as Schematron: an author and an alternate link or content per entry. */
function expectEntryRules(entry: XmlNode): void {
  expect(all(entry, ATOM, 'author').length).toBeGreaterThan(0);
  for (const author of all(entry, ATOM, 'author')) expect(textOf(author, ATOM, 'name')).toBeTruthy();
  const alternate = all(entry, ATOM, 'link').some((l) => l.attrs.rel === 'alternate' || l.attrs.rel === undefined);
  expect(alternate || all(entry, ATOM, 'content').length === 1).toBe(true);
  expect(textOf(entry, ATOM, 'id')).toMatch(/^urn:tributary:item:/);
  expect(textOf(entry, ATOM, 'updated')).toMatch(RFC3339);
  one(entry, ATOM, 'title');
}

describe('renderAtom', () => {
  it('writes the feed metadata: id from publicUrl and path, title, updated, self/alternate/hub links, generator, lang', () => {
    const feed = feedOf(renderAtom([], META, SOURCES));
    expect(feed.attrs['xml:lang']).toBe('en');
    expect(textOf(feed, ATOM, 'id')).toBe('https://d123.cloudfront.net/feed.atom');
    expect(textOf(feed, ATOM, 'title')).toBe('Tributary');
    expect(textOf(feed, ATOM, 'subtitle')).toBe('Everything I follow');
    expect(textOf(feed, ATOM, 'updated')).toBe('2026-11-27T13:51:02Z');
    expect(textOf(feed, ATOM, 'generator')).toBe('Tributary 0.1.0');
    expect(all(feed, ATOM, 'link').map((l) => l.attrs)).toEqual([
      { rel: 'self', type: 'application/atom+xml', href: 'https://d123.cloudfront.net/feed.atom' },
      { rel: 'alternate', href: 'https://d123.cloudfront.net' },
      { rel: 'hub', href: 'https://hub.example.net/' },
    ]);
    expect(all(feed, ATOM, 'entry')).toHaveLength(0);
  });

  it('derives the feed id only from publicUrl and path', () => {
    const id = (meta: typeof META) => textOf(feedOf(renderAtom([], meta, SOURCES)), ATOM, 'id');
    expect(id({ ...META, title: 'Renamed', updated: '2030-01-01T00:00:00Z' })).toBe(id(META));
    expect(id({ ...META, publicUrl: 'https://d123.cloudfront.net/', path: 'tags/world' })).toBe(
      'https://d123.cloudfront.net/tags/world.atom',
    );
  });

  it('round-trips an entry: id, title, dates, links, authors, categories, enclosures, summary, content', () => {
    const [entry] = entries(renderAtom([RICH_ITEM], META, SOURCES)) as [XmlNode];
    expectEntryRules(entry);
    expect(entry.attrs['xml:lang']).toBe('fr');
    expect(textOf(entry, ATOM, 'id')).toBe('urn:tributary:item:aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(one(entry, ATOM, 'title').attrs.type).toBe('text');
    expect(textOf(entry, ATOM, 'title')).toBe('Rates rise & markets <fall>');
    expect(textOf(entry, ATOM, 'updated')).toBe('2026-11-27T14:00:00Z');
    expect(textOf(entry, ATOM, 'published')).toBe('2026-11-27T13:51:02Z');
    const links = all(entry, ATOM, 'link').map((l) => l.attrs);
    expect(links.filter((l) => l.rel === 'alternate')).toEqual([
      { rel: 'alternate', href: 'https://alpha.example.com/story?id=1&ref=x' },
    ]);
    expect(links.filter((l) => l.rel === 'enclosure')).toEqual([
      { rel: 'enclosure', href: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: '12345', title: 'Audio' },
      { rel: 'enclosure', href: 'https://cdn.example.com/b.jpg' },
    ]);
    const authors = all(entry, ATOM, 'author').map((a) =>
      ['name', 'uri', 'email'].map((field) => textOf(a, ATOM, field)),
    );
    expect(authors).toEqual([
      ['Ada Lovelace', 'https://ada.example.com/', 'ada@example.com'],
      ['bob@example.com', undefined, 'bob@example.com'],
    ]);
    expect(all(entry, ATOM, 'category').map((c) => c.attrs.term)).toEqual(['economy', 'world']);
    expect(one(entry, ATOM, 'summary').attrs.type).toBe('html');
    expect(textOf(entry, ATOM, 'summary')).toBe('<p>Short <b>summary</b></p>');
    expect(one(entry, ATOM, 'content').attrs.type).toBe('html');
    expect(textOf(entry, ATOM, 'content')).toBe('<p>Full <em>story</em> &amp; more</p>');
  });

  it('attributes an entry to its first source in <source> and to every other source in a via link', () => {
    const [entry] = entries(renderAtom([RICH_ITEM], META, SOURCES)) as [XmlNode];
    const source = one(entry, ATOM, 'source');
    expect(textOf(source, ATOM, 'id')).toBe('urn:tributary:source:alpha');
    expect(textOf(source, ATOM, 'title')).toBe('Alpha News');
    expect(all(source, ATOM, 'link').map((l) => l.attrs)).toEqual([
      { rel: 'self', href: 'https://alpha.example.com/feed.xml' },
      { rel: 'alternate', href: 'https://alpha.example.com/' },
    ]);
    expect(textOf(source, ATOM, 'updated')).toBe('2026-11-27T14:05:00Z');
    const via = all(entry, ATOM, 'link').filter((l) => l.attrs.rel === 'via').map((l) => l.attrs);
    expect(via).toEqual([
      { rel: 'via', href: 'https://beta.example.org/atom', title: 'Beta Blog' },
      { rel: 'via', href: 'https://gamma.example.net/', title: 'Gamma & Co' },
    ]);
  });

  it('keeps the entry id when the title and link change', () => {
    const id = (doc: string) => textOf(entries(doc)[0] as XmlNode, ATOM, 'id');
    const changed = { ...RICH_ITEM, title: 'Another title', url: 'https://elsewhere.example/x' };
    expect(id(renderAtom([changed], META, SOURCES))).toBe(id(renderAtom([RICH_ITEM], META, SOURCES)));
  });

  it('keeps an entry with no url, authors or dates beyond sortDate valid: source as author, content instead of a link', () => {
    const [entry] = entries(renderAtom([BARE_ITEM], META, SOURCES)) as [XmlNode];
    expectEntryRules(entry);
    expect(entry.attrs['xml:lang']).toBeUndefined();
    expect(textOf(entry, ATOM, 'updated')).toBe('2026-11-20T08:00:00Z');
    expect(textOf(entry, ATOM, 'published')).toBeUndefined();
    expect(all(entry, ATOM, 'link')).toHaveLength(0);
    expect(textOf(one(entry, ATOM, 'author'), ATOM, 'name')).toBe('ghost');
    const source = one(entry, ATOM, 'source');
    expect(textOf(source, ATOM, 'id')).toBe('urn:tributary:source:ghost');
    expect(all(source, ATOM, 'link')).toHaveLength(0);
  });

  it('names a known source as author when the item has none, and links an unknown extra source by its urn', () => {
    const item = makeItem({ id: 'x1', url: 'https://beta.example.org/p', sourceId: 'beta', sourceIds: ['beta', 'ghost'] });
    const [entry] = entries(renderAtom([item], META, SOURCES)) as [XmlNode];
    expectEntryRules(entry);
    expect(textOf(one(entry, ATOM, 'author'), ATOM, 'name')).toBe('Beta Blog');
    expect(all(entry, ATOM, 'content')).toHaveLength(0);
    const via = all(entry, ATOM, 'link').filter((l) => l.attrs.rel === 'via');
    expect(via.map((l) => l.attrs.href)).toEqual(['urn:tributary:source:ghost']);
  });

  it('writes a plain summary as a text construct', () => {
    const item = makeItem({ id: 's1', url: 'https://a.example/', summaryText: 'a < b' });
    const [entry] = entries(renderAtom([item], META, SOURCES)) as [XmlNode];
    expect(one(entry, ATOM, 'summary').attrs.type).toBe('text');
    expect(textOf(entry, ATOM, 'summary')).toBe('a < b');
  });

  it('leaves out an invalid language tag and an email the schema would reject', () => {
    const item = makeItem({ id: 'l1', url: 'https://a.example/', lang: 'not a tag', authors: [{ name: 'N', email: 'nobody' }] });
    const [entry] = entries(renderAtom([item], META, SOURCES)) as [XmlNode];
    expect(entry.attrs['xml:lang']).toBeUndefined();
    expect(textOf(one(entry, ATOM, 'author'), ATOM, 'email')).toBeUndefined();
  });

  it('escapes or removes nasty strings and stays well-formed', () => {
    const doc = renderAtom([NASTY_ITEM], META, SOURCES);
    expect(doc).not.toMatch(NOT_XML_CHAR);
    expect(doc).not.toContain('<script>');
    expect(doc).not.toContain('<![CDATA[');
    expect(doc).not.toContain(']]>');
    const [entry] = entries(doc) as [XmlNode];
    expectEntryRules(entry);
    expect(textOf(entry, ATOM, 'title')).toBe(cleaned(NASTY_ITEM.title));
    expect(all(entry, ATOM, 'link')[0]?.attrs.href).toBe(NASTY_ITEM.url);
    expect(textOf(entry, ATOM, 'summary')).toBe(`<p>${NASTY.escaped} ${NASTY.cdataEnd}</p>`);
    expect(textOf(entry, ATOM, 'content')).toBe(cleaned(NASTY_ITEM.contentHtml ?? ''));
    expect(all(entry, ATOM, 'category').map((c) => c.attrs.term)).toEqual([NASTY.script, NASTY.quotes]);
  });
});
