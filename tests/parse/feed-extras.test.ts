import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../shared/parse';
import { escapeStrayAmpersands } from '../../shared/parse/repair';

const rss = (channel: string, ns = ''): string => `<rss version="2.0"${ns}><channel>${channel}</channel></rss>`;
const atom = (body: string, attrs = ''): string => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}>${body}</feed>`;

describe('RSS full-content elements', () => {
  it('reads <body> as XHTML content and <fullitem> as HTML content; content:encoded still wins', () => {
    const feed = parseFeed(rss(`
      <item><body>safe<b>bold</b></body></item>
      <item><fullitem>&lt;i>it&lt;/i></fullitem></item>
      <item><content:encoded>&lt;p>main&lt;/p></content:encoded><fullitem>other</fullitem></item>`,
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'));
    expect(feed.entries[0]?.content).toMatchObject({ type: 'xhtml', value: 'safe<b>bold</b>' });
    expect(feed.entries[1]?.content).toMatchObject({ type: 'html', value: '<i>it</i>' });
    expect(feed.entries[2]?.content?.value).toBe('<p>main</p>');
  });
});

describe('RSS people and dates from other vocabularies', () => {
  it('takes managingEditor, channel author and dc:author as feed authors; webMaster only when none is named', () => {
    const dc = ' xmlns:dc="http://purl.org/dc/elements/1.1/"';
    expect(parseFeed(rss('<webMaster>web@example.org (Web)</webMaster>')).authors).toEqual([{ name: 'Web', email: 'web@example.org' }]);
    expect(parseFeed(rss('<webMaster>web@example.org</webMaster><managingEditor>ed@example.org</managingEditor>')).authors)
      .toEqual([{ email: 'ed@example.org' }]);
    expect(parseFeed(rss('<author>Ann (ann@example.org)</author>')).authors).toEqual([{ name: 'Ann', email: 'ann@example.org' }]);
    expect(parseFeed(rss('<dc:author>Bob</dc:author><item><dc:author>Cy</dc:author></item>', dc)).authors).toEqual([{ name: 'Bob' }]);
    expect(parseFeed(rss('<item><dc:author>Cy</dc:author></item>', dc)).entries[0]?.authors).toEqual([{ name: 'Cy' }]);
  });

  it('reads atom:author, atom:published, atom:updated, atom:category and atom:content in RSS items', () => {
    const feed = parseFeed(rss(`<item>
      <atom:author><atom:name>John</atom:name><atom:email>j@example.com</atom:email></atom:author>
      <atom:published>2019-01-02T15:04:05Z</atom:published><atom:updated>2020-01-02T15:04:05Z</atom:updated>
      <atom:category term="t" label="T"/><atom:content type="html">&lt;p>Body&lt;/p></atom:content>
    </item>`, ' xmlns:atom="http://www.w3.org/2005/Atom"'));
    const e = feed.entries[0];
    expect(e?.authors).toEqual([{ name: 'John', email: 'j@example.com' }]);
    expect(e?.published).toBe('2019-01-02T15:04:05Z');
    expect(e?.updated).toBe('2020-01-02T15:04:05Z');
    expect(e?.categories).toEqual([{ term: 't', label: 'T' }]);
    expect(e?.content).toMatchObject({ type: 'html', value: '<p>Body</p>' });
  });

  it('uses dc:date for both published and updated unless something more specific says', () => {
    const ns = ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"';
    const [plain, modified] = parseFeed(rss(`<item><dc:date>2003-12-31T10:14:55Z</dc:date></item>
      <item><dc:date>2003-12-31T10:14:55Z</dc:date><dcterms:modified>2004-01-01T00:00:00Z</dcterms:modified></item>`, ns)).entries;
    expect(plain).toMatchObject({ published: '2003-12-31T10:14:55Z', updated: '2003-12-31T10:14:55Z' });
    expect(modified).toMatchObject({ published: '2003-12-31T10:14:55Z', updated: '2004-01-01T00:00:00Z' });
  });

  it('reads itunes:category (nested) and itunes:keywords, and media:category with its default scheme and label', () => {
    const ns = ' xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss"';
    const e = parseFeed(rss(`<item><itunes:category text="Tech"><itunes:category text="Gadgets"/></itunes:category>
      <itunes:keywords>one, two</itunes:keywords><media:category label="L">cat1</media:category></item>`, ns)).entries[0];
    expect(e?.categories).toEqual([
      { term: 'Tech', scheme: 'http://www.itunes.com/' }, { term: 'Gadgets', scheme: 'http://www.itunes.com/' },
      { term: 'one' }, { term: 'two' },
      { term: 'cat1', scheme: 'http://search.yahoo.com/mrss/category_schema', label: 'L' },
    ]);
  });
});

describe('Atom extras', () => {
  it('decodes base64 content (a MIME type that is neither text nor XML; Atom 0.3 mode="base64")', () => {
    const feed = parseFeed(atom(`<title type="application/octet-stream"> RXhhbXBsZSA8Yj5BdG9tPC9iPg== </title>
      <entry><content type="image/png">iVBORw0KGgo=</content><summary type="application/x-thing">not base64!</summary></entry>`));
    expect(feed.title).toMatchObject({ type: 'text', value: 'Example <b>Atom</b>' });
    expect(feed.entries[0]?.content).toBeUndefined(); // binary: nothing a text field can show
    expect(feed.entries[0]?.summary?.value).toBe('not base64!');
    const old = parseFeed('<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title type="text/html" mode="base64">PGI+aGk8L2I+</title></feed>');
    expect(old.title).toMatchObject({ type: 'html', value: '<b>hi</b>' });
  });

  it('takes the text of a link without href (pre-1.0 style), and reads pre-0.3 namespaces and homepage', () => {
    const feed = parseFeed(`<feed version="0.3" xmlns="http://purl.org/echo/"><title>Echo</title><entry>
      <link rel="enclosure" type="audio/mpeg">http://example.com/a.mp3</link><link rel="alternate">http://example.com/page</link>
      <author><name>A</name><homepage>http://example.com/</homepage></author></entry></feed>`);
    expect(feed.format).toBe('atom03');
    expect(feed.title?.value).toBe('Echo');
    expect(feed.entries[0]?.link).toBe('http://example.com/page');
    expect(feed.entries[0]?.authors).toEqual([{ name: 'A', url: 'http://example.com/' }]);
  });
});

describe('languages', () => {
  it('respells en_US as en-US and lets xml:lang="" clear the inherited language', () => {
    const feed = parseFeed(atom(`<title>T</title><entry xml:lang=""><title>E</title></entry><entry><title xml:lang="fr_CA">F</title></entry>`,
      ' xml:lang="en_US"'));
    expect(feed.lang).toBe('en-US');
    expect(feed.title?.lang).toBe('en-US');
    expect(feed.entries[0]?.lang).toBeUndefined();
    expect(feed.entries[0]?.title?.lang).toBeUndefined();
    expect(feed.entries[1]?.title?.lang).toBe('fr-CA');
  });

  it('uses Content-Language only where the document states no language', () => {
    expect(parseFeed(rss('<title>T</title>'), { contentLanguage: 'en, fr' }).lang).toBe('en');
    expect(parseFeed(rss('<language>de</language>'), { contentLanguage: 'en' }).lang).toBe('de');
    expect(parseFeed(atom('<title>T</title>', ' xml:lang="fr"'), { contentLanguage: 'en' }).lang).toBe('fr');
    expect(parseFeed(atom('<entry><title>T</title></entry>'), { contentLanguage: 'en' }).entries[0]?.title?.lang).toBe('en');
  });
});

describe('document base', () => {
  it('resolves relative URLs against Content-Location (itself resolved against the document URL)', () => {
    const text = rss('<link>/home</link><item><link>rel/item</link></item>');
    const feed = parseFeed(text, { url: 'http://fetched.example/feed', contentLocation: 'http://example.com/dir/' });
    expect(feed.link).toBe('http://example.com/home');
    expect(feed.entries[0]?.link).toBe('http://example.com/dir/rel/item');
    expect(parseFeed(text, { url: 'http://fetched.example/a/feed', contentLocation: '/b/' }).entries[0]?.link).toBe('http://fetched.example/b/rel/item');
    expect(parseFeed(text, { url: 'http://fetched.example/a/feed' }).entries[0]?.link).toBe('http://fetched.example/a/rel/item');
  });
});

describe('stray ampersands', () => {
  it('keeps an unterminated reference as text instead of letting it swallow the end tag', () => {
    const feed = parseFeed(rss('<link>http://example/?a=1&b=2&c</link><item><link>http://example/?x&y</link><title>A &amp; B &copy;</title></item>'));
    expect(feed.link).toBe('http://example/?a=1&b=2&c');
    expect(feed.entries[0]?.link).toBe('http://example/?x&y');
    expect(feed.entries[0]?.title?.value).toBe('A & B ©');
    expect(feed.bozo).toBe(true);
  });

  it('escapes only stray & outside CDATA and comments, and returns the input itself when there is none', () => {
    const clean = '<a>&amp; &#38; &#x26; &nbsp;</a>';
    expect(escapeStrayAmpersands(clean)).toEqual({ text: clean, repaired: false });
    expect(escapeStrayAmpersands('<a>x&y<![CDATA[p&q]]><!-- r&s --></a>&z').text).toBe('<a>x&amp;y<![CDATA[p&q]]><!-- r&s --></a>&amp;z');
  });
});
