import { describe, expect, it } from 'vitest';
import { resolved, sameLink } from '../../conformance/goldens/compare';
import { isXml2jsRebuild, xml2jsContent } from '../../conformance/goldens/xml2js';
import type { ItemDraft, ParsedEntry } from '../../shared/model';

const entry = (over: Partial<ParsedEntry>): ParsedEntry => ({ links: [], authors: [], categories: [], enclosures: [], ...over });

describe('golden links', () => {
  it('resolves a relative golden link against the base Tributary used (RFC 3986)', () => {
    expect(resolved('/a/b?x=1', 'https://e.org/feed.xml')).toBe('https://e.org/a/b?x=1');
    expect(resolved('https://other.org/', 'https://e.org/feed.xml')).toBe('https://other.org/');
    const draft = { url: 'https://e.org/a/b' } as ItemDraft;
    expect(sameLink('/a/b', 'https://e.org/feed.xml', draft, undefined)).toBe(true);
    expect(sameLink('/a/c', 'https://e.org/feed.xml', draft, undefined)).toBe(false);
  });

  it("compares with the entry's own link when Tributary's URL is the canonical one", () => {
    const draft = { url: 'https://origin.org/story' } as ItemDraft;
    const e = entry({ link: 'http://feedproxy.example/~r/1', links: [{ href: 'https://origin.org/story', rel: 'canonical' }] });
    expect(sameLink('http://feedproxy.example/~r/1', 'https://e.org/', draft, e)).toBe(true);
  });
});

describe('xml2js rebuild (rss-parser goldens)', () => {
  it('joins an element’s text first, then its child elements grouped by name', () => {
    expect(xml2jsContent('<td>by<a href="u">x</a>to<a href="r">y</a><br/><a>z</a></td>')).toEqual({
      children: '<td>byto<a href="u">x</a><a href="r">y</a><a>z</a><br/></td>',
    });
  });

  it('keeps only the top-level text when the content has any', () => {
    expect(xml2jsContent('submitted by<a href="u">x</a>to<a>y</a>')).toEqual({ text: 'submitted byto' });
  });

  it('accepts a golden only when it is exactly the rebuild of Tributary’s value', () => {
    const ours = '<table><tr><td>by<a href="u">x</a>to<a href="r">y</a></td></tr></table>';
    expect(isXml2jsRebuild('<div><table><tr><td>byto<a href="u">x</a><a href="r">y</a></td></tr></table></div>', ours, false)).toBe(true);
    expect(isXml2jsRebuild('<div><table><tr><td>byto<a href="u">x</a></td></tr></table></div>', ours, false)).toBe(false);
    expect(isXml2jsRebuild('byto', 'by<a>x</a>to', false)).toBe(true);
    expect(isXml2jsRebuild('by', 'by<a>x</a>to', false)).toBe(false);
  });

  it('restores the xhtml div of Atom xhtml content, with its namespace attribute', () => {
    const golden = '<div type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>ab<i>c</i><b>d</b></p></div></div>';
    expect(isXml2jsRebuild(golden, '<p>a<i>c</i>b<b>d</b></p>', true)).toBe(true);
  });
});
