import { describe, expect, it } from 'vitest';
import { canonicalHtml, harmlessText, hasMarkup, htmlText, sameHtml, unsafeParts, unwrapDiv } from '../../conformance/canonical-html';

describe('canonicalHtml', () => {
  it('treats serialisation differences as equal', () => {
    expect(sameHtml('<br />', '<br>')).toBe(true);
    expect(sameHtml('<img src="a.png" alt="x" />', "<IMG ALT='x' SRC=a.png>")).toBe(true);
    expect(sameHtml('<p>a &amp; b&#x2019;</p>', '<p>a &#38; b\u2019</p>')).toBe(true);
    expect(sameHtml('<p>one\n   two</p>', '<p>one two</p>')).toBe(true);
    expect(sameHtml('<p>x</p>\n<p>y</p>', '<p>x</p><p>y</p>')).toBe(true);
    expect(sameHtml('<a href="u" title="t">x</a>', '<a title="t" href="u">x</a>')).toBe(true);
    expect(sameHtml('<![CDATA[<b>x</b>]]>', '<b>x</b>')).toBe(false); // CDATA in HTML is a bogus comment
  });

  it('keeps real differences', () => {
    expect(sameHtml('<b>x</b>', '<i>x</i>')).toBe(false);
    expect(sameHtml('<a href="a">x</a>', '<a href="b">x</a>')).toBe(false);
    expect(sameHtml('<b>x</b> y', '<b>x</b>y')).toBe(false);
    expect(sameHtml('&lt;b&gt;', '<b></b>')).toBe(false);
    expect(sameHtml('<span>x</span>', '<span class="c">x</span>')).toBe(false);
  });

  it('serialises uniformly', () => {
    expect(canonicalHtml('<P CLASS="b" ID=a>x<BR/>y</P>')).toBe('<p class="b" id="a">x<br>y</p>');
    expect(canonicalHtml('a < b &amp; "c"')).toBe('a &lt; b &amp; "c"');
  });

  it('extracts text, detects markup and unwraps a lone div', () => {
    expect(htmlText('<p>a</p><p>b <script>x()</script></p>')).toBe('a b');
    expect(hasMarkup('&lt;b&gt; only text')).toBe(false);
    expect(hasMarkup('x <b>y</b>')).toBe(true);
    expect(canonicalHtml(unwrapDiv('<div><b>&amp;</b></div>'))).toBe('<b>&amp;</b>');
    expect(unwrapDiv('<div>a</div><div>b</div>')).toBe('<div>a</div><div>b</div>');
    expect(harmlessText('safe<iframe src="x"> hidden</iframe> text')).toBe('safe text');
  });
});

describe('unsafeParts', () => {
  it('finds what sanitising must remove', () => {
    expect(unsafeParts('<script>alert(1)</script>')).toContain('<script> element');
    expect(unsafeParts('<img src="x" onerror="alert(1)">')).toContain('event handler attribute onerror');
    expect(unsafeParts('<a href="java\tscript:alert(1)">x</a>')).toHaveLength(1);
    expect(unsafeParts('<span style="width: expression(alert(1))">x</span>')).toHaveLength(1);
    expect(unsafeParts('<iframe src="http://e/"></iframe>')).toContain('<iframe> element');
  });

  it('accepts harmless markup', () => {
    expect(unsafeParts('<a href="http://example.com/">x</a><img src="https://e/i.png" alt=""><b>t</b>')).toEqual([]);
  });
});
