import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/extract';

const PARAGRAPHS = [
  'The harbour authority said on Tuesday that the new breakwater would protect the old town from winter storms for the next fifty years.',
  'Engineers spent three years designing the structure, which uses interlocking concrete blocks weighing twelve tonnes each, and tested it in a wave tank in Delft.',
  'Local fishermen, who had opposed the project at first, said the calmer water inside the harbour had already made landing their catch easier and safer.',
  'The mayor said the town would hold a public celebration on the quay next month, with guided walks along the top of the new wall for residents.',
];

function page(extraHead = '', extraBody = ''): string {
  return `<!doctype html><html lang="en-gb"><head><title>New breakwater opens | Coast News</title>
<meta property="og:title" content="New breakwater opens in harbour">
<meta property="og:image" content="/img/breakwater.jpg">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-03-03T09:30:00+01:00">
<meta name="description" content="A new breakwater protects the old town.">
${extraHead}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies. <a href="/privacy">Accept</a></div>
<article><h1>New breakwater opens in harbour</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
<figure><img src="/img/wall.jpg"><figcaption>The new wall at dusk. Photo: John Smith</figcaption></figure>
<p>Tags: harbour, storms, engineering</p>
<p><a href="/news/other">Read more: Storm damage costs rise</a></p>
<div class="newsletter-signup"><p>Sign up for our newsletter to get the latest news in your inbox.</p></div>
</article>
<aside class="related-links"><h3>Related</h3><ul><li><a href="/a">Ferry timetable changes</a></li><li><a href="/b">Lighthouse repainted</a></li></ul></aside>
${extraBody}<footer>© 2026 Coast News</footer></body></html>`;
}

describe('extractArticle', () => {
  it('keeps the article paragraphs, separated by blank lines', () => {
    const a = extractArticle(page(), 'https://news.example/harbour');
    for (const p of PARAGRAPHS) expect(a.text).toContain(p);
    expect(a.text).toContain(`${PARAGRAPHS[0]}\n\n${PARAGRAPHS[1]}`);
  });

  it('leaves navigation, cookie notice, share bar, captions, tag line, read-more, newsletter and related links out', () => {
    const a = extractArticle(page(), 'https://news.example/harbour');
    for (const junk of ['Home', 'cookies', 'Share on Facebook', 'Photo: John Smith', 'Tags:', 'Read more', 'newsletter', 'Ferry timetable', '© 2026']) {
      expect(a.text).not.toContain(junk);
    }
  });

  it('reads metadata from meta tags, with absolute lead image and UTC date', () => {
    const a = extractArticle(page(), 'https://news.example/harbour');
    expect(a.byline).toBe('Jane Doe');
    expect(a.published).toBe('2026-03-03T08:30:00.000Z');
    expect(a.leadImage).toBe('https://news.example/img/breakwater.jpg');
    expect(a.lang).toBe('en-GB');
    expect(a.title).toContain('breakwater');
  });

  it('prefers JSON-LD NewsArticle metadata', () => {
    const ld = `<script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [{ '@type': 'WebSite', name: 'Coast News' }, {
        '@type': 'NewsArticle', headline: 'Breakwater opens', author: [{ '@type': 'Person', name: 'Ann Lee' }],
        datePublished: '2026-03-02T18:00:00Z', image: { '@type': 'ImageObject', url: 'https://cdn.example/ld.jpg' },
      }],
    })}</script>`;
    const a = extractArticle(page(ld), 'https://news.example/harbour');
    expect(a.leadImage).toBe('https://cdn.example/ld.jpg');
    expect(a.published).toBe('2026-03-02T18:00:00.000Z');
    expect(a.byline).toBe('Ann Lee');
  });

  it('returns sanitised html without scripts or event handlers', () => {
    const a = extractArticle(page('', '<script>alert(1)</script>').replace('<p>The harbour', '<p onclick="x()">The harbour'), 'https://news.example/harbour');
    expect(a.html).toBeDefined();
    expect(a.html).not.toMatch(/<script|onclick/i);
    expect(a.html).toContain('interlocking concrete blocks');
  });

  it('never throws on junk input and returns empty text', () => {
    expect(extractArticle('', 'https://x.example/').text).toBe('');
    expect(extractArticle('<div><script>var x = 1;</script></div>', 'not a url').text).toBe('');
    expect(() => extractArticle('<<<>>>&&&<p <a href=', 'not a url')).not.toThrow();
  });
});
