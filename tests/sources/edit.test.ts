/** addSource / removeSource / importSources: pure edits of a source list, as the CLI applies them. */
import { describe, expect, it } from 'vitest';
import { SourcesError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import { addSource, importSources, removeSource } from '../../shared/sources/edit';
import { isValidSourceId, parseOpml, serializeOpml, type SourceList } from '../../shared/sources/opml';

const base = (): SourceList => ({
  title: 'Mine',
  sources: [
    { id: 'wire', url: 'https://wire.example/feed.xml', title: 'Wire', tags: ['news'] },
    { id: 'blog', url: 'https://blog.example/atom', title: 'Blog', tags: [] },
  ],
});

function sourcesError(fn: () => unknown, pattern: RegExp): void {
  expect(fn).toThrow(SourcesError);
  expect(fn).toThrow(pattern);
}

describe('addSource', () => {
  it('appends a source with the given id, title, trimmed unique tags and site, without touching the input', () => {
    const list = base();
    const before = structuredClone(list);
    const { list: next, added } = addSource(list, { url: ' https://new.example/rss ', id: 'new', title: '  New  ', tags: [' a ', 'b', 'a', ''], siteUrl: 'https://new.example/' });
    expect(added).toEqual<Source>({ id: 'new', url: 'https://new.example/rss', title: 'New', tags: ['a', 'b'], siteUrl: 'https://new.example/' });
    expect(next.sources.map((s) => s.id)).toEqual(['wire', 'blog', 'new']);
    expect(next.title).toBe('Mine');
    expect(list).toEqual(before);
  });

  it('derives the id from the URL and makes it unique; the title defaults to the URL', () => {
    const list: SourceList = { title: '', sources: [{ id: 'a-example-feed', url: 'https://a.example/other', title: 'x', tags: [] }] };
    const { added } = addSource(list, { url: 'https://a.example/feed.xml' });
    expect(added.id).toBe('a-example-feed-2');
    expect(added.title).toBe('https://a.example/feed.xml');
    expect(added.tags).toEqual([]);
    expect(added).not.toHaveProperty('siteUrl');
  });

  it('rejects a URL already listed, also when spelled differently', () => {
    sourcesError(() => addSource(base(), { url: 'https://wire.example/feed.xml' }), /already a source/);
    sourcesError(() => addSource(base(), { url: 'HTTPS://WIRE.example:443/feed.xml' }), /already a source/);
  });

  it('rejects a taken or invalid id and a non-http URL', () => {
    sourcesError(() => addSource(base(), { url: 'https://x.example/f', id: 'wire' }), /taken/);
    sourcesError(() => addSource(base(), { url: 'https://x.example/f', id: 'Bad Id' }), /invalid source id/);
    sourcesError(() => addSource(base(), { url: 'ftp://x.example/f' }), /http/);
    sourcesError(() => addSource(base(), { url: 'not a url' }), /absolute/);
  });

  it('gives a list that serialises and parses back to itself', () => {
    const { list } = addSource(base(), { url: 'https://new.example/rss', tags: ['x/y'], title: 'Q & "A"' });
    expect(parseOpml(serializeOpml(list))).toEqual(list);
  });
});

describe('removeSource', () => {
  it('removes by id or by URL and returns the removed source', () => {
    const byId = removeSource(base(), 'wire');
    expect(byId.removed.url).toBe('https://wire.example/feed.xml');
    expect(byId.list.sources.map((s) => s.id)).toEqual(['blog']);
    const byUrl = removeSource(base(), 'https://blog.example/atom');
    expect(byUrl.removed.id).toBe('blog');
    expect(byUrl.list.sources.map((s) => s.id)).toEqual(['wire']);
  });

  it('throws when there is no such source, leaving the list as it was', () => {
    const list = base();
    sourcesError(() => removeSource(list, 'nope'), /no source "nope"/);
    expect(list).toEqual(base());
  });
});

describe('importSources', () => {
  it('adds new URLs, skips known ones, and renames a clashing id', () => {
    const imported: Source[] = [
      { id: 'wire', url: 'https://wire.example/feed.xml', title: 'Wire again', tags: [] },
      { id: 'blog', url: 'https://other.example/blog', title: 'Other blog', tags: ['x'] },
      { id: 'fresh', url: 'https://fresh.example/rss', title: 'Fresh', tags: ['y'], siteUrl: 'https://fresh.example/' },
    ];
    const { list, added, skipped } = importSources(base(), imported);
    expect(skipped.map((s) => s.url)).toEqual(['https://wire.example/feed.xml']);
    expect(added.map((s) => [s.id, s.url, s.title])).toEqual([
      ['blog-2', 'https://other.example/blog', 'Other blog'],
      ['fresh', 'https://fresh.example/rss', 'Fresh'],
    ]);
    expect(added[1]?.siteUrl).toBe('https://fresh.example/');
    expect(list.sources).toHaveLength(4);
    expect(new Set(list.sources.map((s) => s.id)).size).toBe(4);
    expect(list.sources.find((s) => s.id === 'wire')?.title).toBe('Wire');
  });

  it('imports a parsed OPML export twice: the second time everything is skipped', () => {
    const exported = parseOpml(
      '<opml version="1.0"><body><outline text="F"><outline xmlUrl="https://one.example/rss" text="One"/><outline xmlUrl="https://two.example/rss" text="Two"/></outline></body></opml>',
    );
    const first = importSources(base(), exported.sources);
    expect([first.added.length, first.skipped.length]).toEqual([2, 0]);
    expect(first.added.map((s) => s.tags)).toEqual([['F'], ['F']]);
    const second = importSources(first.list, exported.sources);
    expect([second.added.length, second.skipped.length]).toEqual([0, 2]);
    expect(second.list).toEqual(first.list);
  });

  // BUG: uniqueId appends "-2" to a 64-char id, giving 66 chars; addSource then rejects the id it
  // was handed, so importing a feed whose (valid) id is taken fails with "invalid source id".
  it('imports a source whose 64-character id is taken, with a valid unique id', () => {
    const longId = 'a'.repeat(64);
    const list: SourceList = { title: '', sources: [{ id: longId, url: 'https://a.example/1', title: 'x', tags: [] }] };
    const { added } = importSources(list, [{ id: longId, url: 'https://a.example/2', title: 'y', tags: [] }]);
    expect(added).toHaveLength(1);
    expect(isValidSourceId(added[0]?.id ?? '')).toBe(true);
    expect(added[0]?.id).not.toBe(longId);
  });
});
