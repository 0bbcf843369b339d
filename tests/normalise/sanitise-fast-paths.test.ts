import { Parser, Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { HtmlTokenizer } from '../../shared/normalise/html-tokenizer';
import { sanitizeHtml, sanitizeHtmlWithText } from '../../shared/normalise/sanitize';
import { textOfSanitisedHtml } from '../../shared/normalise/sanitised-text';

/** Markup that exercises text runs, entities, special elements and odd tokens. */
const SAMPLES = [
  '',
  'plain text, no markup',
  'a &amp; b &lt; c &gt; d &quot;e&quot; &nbsp;f&nbsp &notit; &#1;&#x85;&#128;',
  '<p>One  two\tthree\nfour\u00a0five\u2003six</p><p>  lead and trail  </p>',
  '<p>a<b>b</b>c<i> d </i>e</p>\n\n<ul><li>x</li><li>y</ul><table><tr><td>1</td><td>2</td></tr></table>',
  '<pre>line 1\r\n  line 2\n\n\n\nline 3</pre>after<br>break<br/>again',
  '<a href="/x?a=1&amp;b=2" title=\'t &quot;q&quot;\'>link</a><img src="i.png" alt="A &amp; B" srcset="i-2x.png 2x">',
  '<script>if (a < b && c) {}</script><style>p{}</style><svg><p>in svg</p></svg>after',
  '<title>T &amp; t</title><textarea>a &lt; b</textarea><xmp><b>raw</b></xmp>',
  '<!-- comment --><![CDATA[cdata]]><!doctype html><?pi x?>text',
  '<p>unclosed <b>bold <i>both',
  'x < y and y > z & so on',
  '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><p style="x">s</p>',
  'lone \ud800 surrogate, pair 😀, c1 \u0085 \u0092 control \u0001 char',
  '<p>r&eacute;sum&eacute; &#x1F600; &#55357;</p><h1>h</h1><h2>h2</h2><hr>',
  '<div><figure><img src="a.jpg"><figcaption>cap</figcaption></figure></div>',
  '<a href="x">a</a>  <a href="y">b</a> \n <span> </span>end',
];

/** The events htmlparser2 reports for `html` with the given tokenizer. */
function events(html: string, tokenizer: typeof Tokenizer): string[] {
  const out: string[] = [];
  const parser = new Parser(
    {
      onopentag: (name, attribs) => out.push(`<${name} ${JSON.stringify(attribs)}`),
      onclosetag: (name, implied) => out.push(`</${name} ${implied}`),
      ontext: (text) => out.push(`text ${JSON.stringify(text)}`),
      oncomment: (text) => out.push(`comment ${JSON.stringify(text)}`),
      onprocessinginstruction: (name, data) => out.push(`pi ${name} ${data}`),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, Tokenizer: tokenizer },
  );
  parser.write(html);
  parser.end();
  return out;
}

describe('HtmlTokenizer', () => {
  it('reports exactly the events of htmlparser2\'s own tokenizer', () => {
    for (const html of SAMPLES) expect(events(html, HtmlTokenizer), html).toEqual(events(html, Tokenizer));
  });

  it('stays linear on markup dense with entities and tags', () => {
    const html = '<p>&lt;x&gt; '.repeat(20_000);
    expect(events(html, HtmlTokenizer)).toEqual(events(html, Tokenizer));
  });
});

describe('sanitizeHtmlWithText', () => {
  it('gives sanitizeHtml\'s output and textOfSanitisedHtml of it', () => {
    const base = 'https://example.com/a/b.html';
    for (const html of SAMPLES) {
      const sanitised = sanitizeHtml(html, base);
      expect(sanitizeHtmlWithText(html, base), html).toEqual({ html: sanitised, text: textOfSanitisedHtml(sanitised) });
    }
  });
});
