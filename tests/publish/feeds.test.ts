import { describe, expect, it } from 'vitest';
import { PublishError } from '../../shared/errors';
import { FEED_FILES, renderAtom, renderFeeds, renderJsonFeed, renderRss, TRIBUTARY_NS } from '../../shared/publish';
import { BARE_ITEM, META, NASTY_ITEM, RICH_ITEM, SOURCES, makeItem } from './fixtures';
import { all, one, parseXml, textOf, type XmlNode } from './xml-tree';

const ATOM = 'http://www.w3.org/2005/Atom';
const ITEMS = [RICH_ITEM, NASTY_ITEM, BARE_ITEM];

/** Per format, the item ids in document order and the source attribution of each item. */
function summarise(feeds: { rss: string; atom: string; json: string }) {
  const channel = one(parseXml(feeds.rss), '', 'channel');
  const rss = all(channel, '', 'item').map((item) => ({
    id: textOf(item, '', 'guid'),
    sources: [...all(item, '', 'source'), ...all(item, TRIBUTARY_NS, 'source')].map((s) => s.text),
  }));
  const atom = all(parseXml(feeds.atom), ATOM, 'entry').map((entry) => ({
    id: textOf(entry, ATOM, 'id'),
    sources: [
      textOf(one(entry, ATOM, 'source'), ATOM, 'title'),
      ...all(entry, ATOM, 'link').filter((l) => l.attrs.rel === 'via').map((l) => l.attrs.title),
    ],
  }));
  const json = (JSON.parse(feeds.json) as { items: { id: string; _tributary: { sources: { title: string }[] } }[] }).items.map(
    (item) => ({ id: item.id, sources: item._tributary.sources.map((s) => s.title) }),
  );
  return { rss, atom, json };
}

describe('renderFeeds', () => {
  it('renders the three formats, each equal to its own renderer', () => {
    const feeds = renderFeeds(ITEMS, META, SOURCES);
    expect(feeds.rss).toBe(renderRss(ITEMS, META, SOURCES));
    expect(feeds.atom).toBe(renderAtom(ITEMS, META, SOURCES));
    expect(feeds.json).toBe(renderJsonFeed(ITEMS, META, SOURCES));
  });

  it('gives every format the same item ids, in the given order, with every source of each item', () => {
    const { rss, atom, json } = summarise(renderFeeds(ITEMS, META, SOURCES));
    const expected = [
      { id: 'urn:tributary:item:aaaaaaaaaaaaaaaaaaaaaaaaaa', sources: ['Alpha News', 'Beta Blog', 'Gamma & Co'] },
      { id: 'urn:tributary:item:cccccccccccccccccccccccccc', sources: ['Alpha News'] },
      { id: 'urn:tributary:item:bbbbbbbbbbbbbbbbbbbbbbbbbb', sources: ['ghost'] },
    ];
    expect(rss).toEqual(expected);
    expect(atom).toEqual(expected);
    expect(json).toEqual(expected);
  });

  it('is deterministic: equal input, including fresh copies, gives byte-identical output', () => {
    const first = renderFeeds(ITEMS, META, SOURCES);
    const copies = structuredClone({ items: ITEMS, meta: META, sources: SOURCES });
    expect(renderFeeds(ITEMS, META, SOURCES)).toEqual(first);
    expect(renderFeeds(copies.items, copies.meta, copies.sources)).toEqual(first);
  });

  it('changes the output when an item changes, so the publisher does upload it', () => {
    const before = renderFeeds(ITEMS, META, SOURCES);
    const after = renderFeeds([{ ...RICH_ITEM, title: 'Edited' }, NASTY_ITEM, BARE_ITEM], META, SOURCES);
    expect(after.rss).not.toBe(before.rss);
    expect(after.atom).not.toBe(before.atom);
    expect(after.json).not.toBe(before.json);
  });

  it('points every self link at the file FEED_FILES names', () => {
    const feeds = renderFeeds([], { ...META, path: 'tags/world' }, SOURCES);
    const selfOf = (root: XmlNode, uri: string) => all(root, uri, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href;
    const base = 'https://d123.cloudfront.net/tags/world';
    expect(selfOf(one(parseXml(feeds.rss), '', 'channel'), ATOM)).toBe(`${base}${FEED_FILES.rss.ext}`);
    expect(selfOf(parseXml(feeds.atom), ATOM)).toBe(`${base}${FEED_FILES.atom.ext}`);
    expect((JSON.parse(feeds.json) as { feed_url: string }).feed_url).toBe(`${base}${FEED_FILES.json.ext}`);
  });

  it('names each format its extension and Content-Type', () => {
    expect(FEED_FILES).toEqual({
      rss: { ext: '.xml', contentType: 'application/rss+xml; charset=utf-8' },
      atom: { ext: '.atom', contentType: 'application/atom+xml; charset=utf-8' },
      json: { ext: '.json', contentType: 'application/feed+json; charset=utf-8' },
    });
  });

  it('fails with a publish error when a required date is not a date', () => {
    expect(() => renderFeeds([], { ...META, updated: 'yesterday' }, SOURCES)).toThrow(PublishError);
    const broken = makeItem({ id: 'd1', sortDate: 'soon' });
    expect(() => renderRss([broken], META, SOURCES)).toThrow(/^publish: item d1 sortDate is not a date/);
    expect(() => renderAtom([broken], META, SOURCES)).toThrow(PublishError);
    expect(() => renderJsonFeed([broken], META, SOURCES)).toThrow(PublishError);
  });

  it('leaves out an optional date that is not a date, falling back to sortDate', () => {
    const item = makeItem({ id: 'd2', url: 'https://a.example/', updated: 'garbage', published: 'garbage' });
    const entry = one(parseXml(renderAtom([item], META, SOURCES)), ATOM, 'entry');
    expect(textOf(entry, ATOM, 'published')).toBeUndefined();
    expect(textOf(entry, ATOM, 'updated')).toBe('2026-11-20T08:00:00Z');
    const rssItem = one(one(parseXml(renderRss([item], META, SOURCES)), '', 'channel'), '', 'item');
    expect(textOf(rssItem, '', 'pubDate')).toBe('Fri, 20 Nov 2026 08:00:00 +0000');
    const [jsonItem] = (JSON.parse(renderJsonFeed([item], META, SOURCES)) as { items: Record<string, unknown>[] }).items;
    expect(jsonItem?.date_published).toBe('2026-11-20T08:00:00Z');
    expect(jsonItem?.date_modified).toBeUndefined();
  });
});
