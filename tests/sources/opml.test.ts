/**
 * parseOpml / serializeOpml against OPML 2.0 (http://opml.org/spec2.opml) and typical OPML 1.0
 * exports: folders and `category` become tags, `tributary:id` is read in its namespace, missing ids
 * are derived and made unique, and anything that is not a list of http(s) feeds is rejected.
 */
import { describe, expect, it } from 'vitest';
import { SourcesError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import { isValidSourceId, parseOpml, serializeOpml, TRIBUTARY_OPML_NS, type SourceList } from '../../shared/sources/opml';

const NS = `xmlns:tributary="${TRIBUTARY_OPML_NS}"`;
const opml = (body: string, head = '<head><title>Mine</title></head>', attrs = `version="2.0" ${NS}`) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<opml ${attrs}>${head}<body>${body}</body></opml>`;

function rejects(text: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    parseOpml(text);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SourcesError);
  expect((caught as Error).message).toMatch(/^sources: /);
  expect((caught as Error).message).toMatch(pattern);
}

describe('parseOpml: OPML 2.0', () => {
  it('reads title, feeds, htmlUrl, nested folders and category paths as tags, in document order', () => {
    const list = parseOpml(
      opml(`
        <outline text="Tech">
          <outline text="Web">
            <outline type="rss" text="A List Apart" title="A List Apart" xmlUrl="https://alistapart.com/main/feed/" htmlUrl="https://alistapart.com/" category="/Design/CSS,/Standards"/>
          </outline>
          <outline type="rss" text="Ars" xmlUrl="https://feeds.arstechnica.com/arstechnica/index" tributary:id="ars"/>
        </outline>
        <outline type="rss" text="Top level" xmlUrl="http://example.org/rss" category=" /News/ , , World "/>`),
    );
    expect(list.title).toBe('Mine');
    expect(list.sources).toEqual<Source[]>([
      { id: 'alistapart-com-main-feed', url: 'https://alistapart.com/main/feed/', title: 'A List Apart', tags: ['Tech', 'Web', 'Design/CSS', 'Standards'], siteUrl: 'https://alistapart.com/' },
      { id: 'ars', url: 'https://feeds.arstechnica.com/arstechnica/index', title: 'Ars', tags: ['Tech'] },
      { id: 'example-org-rss', url: 'http://example.org/rss', title: 'Top level', tags: ['News', 'World'] },
    ]);
  });

  it('does not repeat a tag given both by a folder and by category', () => {
    const [s] = parseOpml(opml('<outline text="News"><outline xmlUrl="https://a.example/f" category="/News,Local"/></outline>')).sources;
    expect(s?.tags).toEqual(['News', 'Local']);
  });

  it('uses title, else text, else the URL as the title', () => {
    const { sources } = parseOpml(
      opml(`<outline text="T1" title=" Both " xmlUrl="https://a.example/1"/><outline text="Only text" xmlUrl="https://a.example/2"/><outline xmlUrl="https://a.example/3"/>`),
    );
    expect(sources.map((s) => s.title)).toEqual(['Both', 'Only text', 'https://a.example/3']);
  });

  it('reads the id in the Tributary namespace whatever its prefix, and ignores a plain id attribute', () => {
    const { sources } = parseOpml(
      opml(
        `<outline xmlUrl="https://a.example/1" t:id="first"/><outline xmlUrl="https://a.example/2" id="not-this"/>`,
        '',
        `version="2.0" xmlns:t="${TRIBUTARY_OPML_NS}"`,
      ),
    );
    expect(sources.map((s) => s.id)).toEqual(['first', 'a-example-2']);
  });

  it('derives missing ids from the URL and keeps them unique, also against ids given later', () => {
    const { sources } = parseOpml(
      opml(`
        <outline xmlUrl="http://www.example.com/feed.xml"/>
        <outline xmlUrl="https://example.com/feed.xml"/>
        <outline xmlUrl="https://example.com/feed.rss?x=1"/>
        <outline xmlUrl="https://other.example/x" tributary:id="example-com-feed-2"/>`),
    );
    const ids = sources.map((s) => s.id);
    expect(ids[0]).toBe('example-com-feed');
    expect(ids[3]).toBe('example-com-feed-2');
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(isValidSourceId(id), id).toBe(true);
  });

  // BUG: the "-2" suffix is appended after the 64-char cap, giving a 66-char id that isValidSourceId
  // (and therefore the next parse of the serialised file) rejects.
  it('derives valid (≤ 64 char) unique ids for long URLs that share a prefix', () => {
    const long = `https://example.com/${'a'.repeat(80)}`;
    const list = parseOpml(opml(`<outline xmlUrl="${long}/one"/><outline xmlUrl="${long}/two"/>`));
    for (const s of list.sources) expect(isValidSourceId(s.id), s.id).toBe(true);
    expect(parseOpml(serializeOpml(list)).sources).toEqual(list.sources);
  });
});

describe('parseOpml: OPML 1.0 exports and attribute variants', () => {
  it('reads a classic reader export (no namespace, lower-case xmlurl, folder titled by title)', () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>mySubscriptions.opml</title><dateCreated>Sat, 18 Jun 2005 12:11:52 GMT</dateCreated></head>
  <body>
    <outline title="Blogs">
      <outline text="CNET News.com" description="Tech news" htmlUrl="http://news.com.com/" language="unknown" title="CNET News.com" type="rss" version="RSS2" xmlUrl="http://news.com.com/2547-1_3-0-5.xml"/>
      <outline text="lower" type="rss" xmlurl="http://lower.example/rss"/>
    </outline>
  </body>
</opml>`;
    const list = parseOpml(text);
    expect(list.title).toBe('mySubscriptions.opml');
    expect(list.sources.map((s) => [s.url, s.title, s.tags])).toEqual([
      ['http://news.com.com/2547-1_3-0-5.xml', 'CNET News.com', ['Blogs']],
      ['http://lower.example/rss', 'lower', ['Blogs']],
    ]);
    expect(list.sources[0]?.siteUrl).toBe('http://news.com.com/');
  });

  it('treats an empty xmlUrl outline as a folder, not a feed', () => {
    const { sources } = parseOpml(opml('<outline text="F" xmlUrl=""><outline xmlUrl="https://a.example/f"/></outline>'));
    expect(sources).toHaveLength(1);
    expect(sources[0]?.tags).toEqual(['F']);
  });
});

describe('parseOpml: rejections', () => {
  it.each([
    ['an RSS document', '<rss version="2.0"><channel><title>x</title></channel></rss>', /no <opml> root/],
    ['an empty string', '', /no <opml> root/],
    ['unclosed XML', '<opml version="2.0"><body><outline xmlUrl="https://a.example/f"/></body>', /not well-formed/],
    ['mismatched tags', '<opml><body></head></opml>', /not well-formed/],
    ['an unbound prefix', '<opml><body><outline tributary:id="x" xmlUrl="https://a.example/f"/></body></opml>', /not well-formed/],
  ])('rejects %s', (_name, text, pattern) => rejects(text, pattern));

  it.each(['ftp://example.com/feed', 'javascript:alert(1)', 'file:///etc/passwd', 'feed.xml', '/relative/feed'])('rejects the feed URL %s', (url) => {
    rejects(opml(`<outline xmlUrl="${url}"/>`), /http|absolute/);
  });

  it('rejects the same feed listed twice, also when spelled differently', () => {
    rejects(opml('<outline xmlUrl="https://a.example/f"/><outline xmlUrl="https://a.example/f"/>'), /listed twice/);
    rejects(opml('<outline xmlUrl="HTTPS://A.example:443/f"/><outline xmlUrl="https://a.example/f"/>'), /listed twice/);
  });

  it('rejects duplicate and invalid ids', () => {
    rejects(opml('<outline xmlUrl="https://a.example/1" tributary:id="x"/><outline xmlUrl="https://a.example/2" tributary:id="x"/>'), /duplicate source id "x"/);
    for (const bad of ['Upper', '-dash', '', 'has space', 'a'.repeat(65)]) {
      rejects(opml(`<outline xmlUrl="https://a.example/1" tributary:id="${bad}"/>`), /invalid source id/);
    }
  });
});

describe('serializeOpml', () => {
  const list: SourceList = {
    title: 'Feeds & "friends" <3',
    sources: [
      { id: 'a', url: 'https://a.example/feed?x=1&y=2', title: 'Tom & Jerry\'s "<best>" news', tags: ['News', 'Local/Dresden'], siteUrl: 'https://a.example/?p=1&q=2' },
      { id: 'b.2_x', url: 'http://b.example/rss', title: 'Two\nlines', tags: [] },
    ],
  };
  const NOW = new Date('2026-11-27T12:00:00Z');

  it('round-trips: parse(serialize(x)) equals x, with &, <, quotes and newlines escaped', () => {
    const text = serializeOpml(list, NOW);
    expect(parseOpml(text)).toEqual(list);
    expect(text).toContain('&amp;');
    expect(text).not.toMatch(/title="[^"]*</);
  });

  it('is deterministic and writes an OPML 2.0 document with the namespace declared', () => {
    const text = serializeOpml(list, NOW);
    expect(serializeOpml(structuredClone(list), NOW)).toBe(text);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0"/);
    expect(text).toContain(`xmlns:tributary="${TRIBUTARY_OPML_NS}"`);
    expect(text).toContain('<dateModified>Fri, 27 Nov 2026 12:00:00 GMT</dateModified>');
    expect(text.match(/type="rss"/g)).toHaveLength(2);
  });

  it('round-trips an empty list', () => {
    expect(parseOpml(serializeOpml({ title: 'Empty', sources: [] }, NOW))).toEqual({ title: 'Empty', sources: [] });
  });

  it('keeps a parsed file stable: serialize(parse(serialize(x))) is serialize(x)', () => {
    const once = serializeOpml(list, NOW);
    expect(serializeOpml(parseOpml(once), NOW)).toBe(once);
  });

  // BUG: tags are joined into `category` with ',', so a tag containing a comma (e.g. a folder named
  // "News, World" in an imported OPML) comes back as two tags after any save of the file.
  it('round-trips a folder name that contains a comma', () => {
    const parsed = parseOpml(opml('<outline text="News, World"><outline xmlUrl="https://a.example/f" title="A"/></outline>'));
    expect(parsed.sources[0]?.tags).toEqual(['News, World']);
    expect(parseOpml(serializeOpml(parsed, NOW)).sources).toEqual(parsed.sources);
  });

  // BUG (minor): only \n is escaped; a literal TAB or CR in an attribute value is turned into a space
  // by every conformant XML parser (XML 1.0 §2.11, §3.3.3), so other readers lose them.
  it('escapes TAB and CR in attribute values as character references', () => {
    const text = serializeOpml({ title: 't', sources: [{ id: 'a', url: 'https://a.example/f', title: 'a\tb\r\nc', tags: [] }] }, NOW);
    const attrs = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const value of attrs) expect(value).not.toMatch(/[\t\r\n]/);
  });
});
