import { describe, expect, it } from 'vitest';
import type { ParsedText } from '../../shared/model';
import { sanitizeHtml } from '../../shared/normalise/sanitize';
import { textOfSanitisedHtml } from '../../shared/normalise/sanitised-text';
import { htmlOf, htmlToText, textOf, tidyText } from '../../shared/normalise/text';
import { cutAtTagBoundary, truncateHtml, truncateText } from '../../shared/normalise/truncate';

describe('htmlToText', () => {
  it('removes tags and decodes entities', () => {
    expect(htmlToText('<b>Fish</b> &amp; <i>chips</i> &eacute;t&eacute; &#8212; &lt;tag&gt;')).toBe('Fish & chips été — <tag>');
  });

  it('puts block elements on their own lines with at most one blank line', () => {
    expect(htmlToText('<h1>Title</h1><p>One</p>\n\n<p>Two</p><div>Three</div><div>Four</div>'))
      .toBe('Title\n\nOne\n\nTwo\n\nThree\nFour');
    expect(htmlToText('<ul><li>a</li><li>b</li></ul><p></p><p></p><p>c</p>')).toBe('a\nb\n\nc');
  });

  it('turns <br> into a newline and collapses runs of spaces', () => {
    expect(htmlToText('line  one<br>line\t\ttwo<br/>  three &nbsp; four')).toBe('line one\nline two\nthree four');
  });

  it('keeps line breaks inside <pre>', () => {
    expect(htmlToText('<p>Code:</p><pre>a = 1\nb = 2</pre>after')).toBe('Code:\n\na = 1\nb = 2\n\nafter');
  });

  it('never includes script or style text', () => {
    expect(htmlToText('a<script>var x = "<p>";</script>b<style>p { color: red }</style>c')).toBe('abc');
  });

  it('separates table cells', () => {
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>')).toBe('a b\nc');
  });

  it('treats source newlines in plain text as spaces and trims', () => {
    expect(htmlToText('  one\ntwo  ')).toBe('one two');
    expect(htmlToText('')).toBe('');
  });
});

describe('textOfSanitisedHtml', () => {
  it('gives exactly what htmlToText gives for sanitiser output', () => {
    const inputs = [
      '<h2>T</h2><p>a &amp; b &lt; c &quot;q&quot;</p><ul><li>x<li>y</ul><pre> p\n  q </pre>',
      '<table><tr><th>h</th><td>d</td></tr></table><br><br><br>end',
      '<div><p>nested <b>bold <i>it</i></b></p></div>text<img src="a.png" alt="x > y">tail',
      'plain &amp; simple\n\nlines',
      '<blockquote><p>q</p></blockquote><figure><img src=i><figcaption>cap</figcaption></figure>',
    ];
    for (const input of inputs) {
      const html = sanitizeHtml(input, 'https://example.com/');
      expect(textOfSanitisedHtml(html)).toBe(htmlToText(html));
    }
  });
});

describe('textOf', () => {
  const text = (value: string, type: ParsedText['type']): ParsedText => ({ value, type });

  it('reads html and xhtml titles as markup, whitespace on one line', () => {
    expect(textOf(text('Tom &amp; Jerry <em>return</em>', 'html'))).toBe('Tom & Jerry return');
    expect(textOf(text('<div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b>\n move</div>', 'xhtml'))).toBe('A bold move');
    expect(textOf(text('<p>Line one</p><p>Line two</p>', 'html'))).toBe('Line one Line two');
  });

  it('takes text titles as given (the parser already decoded entities)', () => {
    expect(textOf(text('AT&T <b> is literal', 'text'))).toBe('AT&T <b> is literal');
    expect(textOf(text('  spaced\n\ttitle  ', 'text'))).toBe('spaced title');
    expect(textOf(undefined)).toBe('');
  });
});

describe('htmlOf', () => {
  it('escapes text constructs and keeps their line breaks', () => {
    expect(htmlOf({ value: 'a < b & c\nnext', type: 'text' })).toBe('a &lt; b &amp; c<br />next');
  });

  it('sanitises html and xhtml against the construct base', () => {
    expect(htmlOf({ value: '<a href="p/2" onclick="x()">n</a><script>x()</script>', type: 'html', base: 'https://e.com/a/' }))
      .toBe('<a href="https://e.com/a/p/2">n</a>');
  });

  it('gives undefined when nothing is left', () => {
    expect(htmlOf({ value: '<script>x()</script>', type: 'html' })).toBeUndefined();
    expect(htmlOf(undefined)).toBeUndefined();
  });
});

describe('tidyText', () => {
  it('keeps paragraphs, collapses spaces, trims lines', () => {
    expect(tidyText('  a   b \r\n\r\n\r\n  c\t d  ')).toBe('a b\n\nc d');
  });
});

describe('truncation', () => {
  it('cuts text at a word boundary with an ellipsis, within the limit', () => {
    const out = truncateText('The quick brown fox jumps over the lazy dog', 20);
    expect(out).toBe('The quick brown fox…');
    expect(out.length).toBeLessThanOrEqual(20);
    expect(truncateText('short', 20)).toBe('short');
  });

  it('cuts one overlong word rather than dropping it, never splitting a surrogate pair', () => {
    expect(truncateText('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
    const emoji = '😀'.repeat(10);
    const out = truncateText(emoji, 6);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out).toMatch(/^(?:😀)+…$/u);
  });

  it('cuts HTML before a tag and re-sanitises so every element is closed', () => {
    const html = `<div><p>${'word '.repeat(30)}</p><p><b>${'more '.repeat(30)}</b></p></div>`;
    const out = truncateHtml(html, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.startsWith('<div><p>word')).toBe(true);
    expect(out.endsWith('</div>')).toBe(true);
    expect(out.split('<p>').length).toBe(out.split('</p>').length);
  });

  it('cuts markup without tags inside text, never inside an entity', () => {
    expect(cutAtTagBoundary('a &amp; b', 4)).toBe('a ');
    expect(cutAtTagBoundary('<p>x</p><p>y</p>', 10)).toBe('<p>x</p>');
  });
});

describe('C1 control characters', () => {
  it('reads U+0080–U+009F as the windows-1252 characters they stand for, dropping its five undefined bytes', () => {
    expect(tidyText('don\u0092t \u0093quoted\u0094 \u0080 5\u0081')).toBe('don’t “quoted” € 5');
    expect(sanitizeHtml('<p>don\u0092t</p>')).toBe('<p>don’t</p>');
    expect(textOf({ type: 'text', value: 'it\u0092s \u0085' })).toBe('it’s …');
  });
});
