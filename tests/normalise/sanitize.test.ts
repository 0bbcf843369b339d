import sax from 'sax';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../shared/normalise/sanitize';

const BASE = 'https://example.com/posts/1';

const FORBIDDEN_TAGS = new Set([
  'script', 'style', 'iframe', 'frame', 'object', 'embed', 'applet', 'form', 'input', 'button',
  'textarea', 'select', 'svg', 'math', 'meta', 'link', 'base', 'noscript', 'template',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'poster', 'cite']);

/** Everything executable found when a browser-like parser reads `html` (entities decoded). */
function executable(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      if (FORBIDDEN_TAGS.has(name)) found.push(`<${name}>`);
      for (const [attr, value] of Object.entries(attribs)) {
        if (attr.startsWith('on') || attr === 'style' || attr === 'class' || attr === 'id') found.push(`@${attr}`);
        if (!URL_ATTRIBUTES.has(attr)) continue;
        for (const url of attr === 'srcset' ? value.split(',') : [value]) {
          if (/^(javascript|vbscript|data|file):/i.test(url.replace(/[\u0000-\u0020\u007f]+/g, ''))) {
            found.push(`${attr}=${url}`);
          }
        }
      }
    },
  }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return found;
}

/** The sax error for `html` read as XML inside one root element, if any. */
function xmlError(html: string): string | undefined {
  const parser = sax.parser(true, {});
  let error: string | undefined;
  parser.onerror = (e) => {
    error = e.message;
    throw e;
  };
  try {
    parser.write(`<root>${html}</root>`).close();
  } catch {
    // recorded in `error`
  }
  return error;
}

const VECTORS = [
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href="  JaVaScRiPt:alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<img src=x onerror=alert(1)>',
  '<img src="x" srcset="javascript:alert(1) 1x, ok.png 2x">',
  '<svg onload=alert(1)><circle /></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<style>@import "http://evil/x.css";</style>',
  '<iframe src=javascript:alert(1)></iframe>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<div style="width: expression(alert(1))">x</div>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<b><i>nested <u>unclosed',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<!--<script>-->alert(1)<!--</script>-->',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<video autoplay src=v.mp4 poster="javascript:alert(1)" onplay=alert(1)></video>',
  '<blockquote cite="javascript:alert(1)">q</blockquote>',
  '<object data="javascript:alert(1)"><embed src="javascript:alert(1)"></object>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<template><script>alert(1)</script></template>',
  '<details open ontoggle=alert(1)>x</details>',
  '<a href=javascript:alert(1)//">x</a>',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<table background="javascript:alert(1)"><td>x</td></table>',
  '<p class="evil" id="x" data-x="1" title="ok">t</p>',
];

describe('sanitizeHtml: XSS vectors', () => {
  for (const vector of VECTORS) {
    it(`neutralises ${JSON.stringify(vector)}`, () => {
      for (const base of [undefined, BASE]) {
        const out = sanitizeHtml(vector, base);
        expect(executable(out)).toEqual([]);
        expect(xmlError(out)).toBeUndefined();
      }
    });
  }

  it('drops script, style, noscript, template, svg and math together with their content', () => {
    const out = sanitizeHtml(
      'a<script>s1</script>b<style>s2</style>c<noscript>s3</noscript>d<template>s4</template>'
        + 'e<svg><text>s5</text></svg>f<math><mi>s6</mi></math>g',
    );
    expect(out).toBe('abcdefg');
  });

  it('drops everything inside a dropped element, allowed markup and nested dropped elements included', () => {
    expect(sanitizeHtml('a<noscript><p>x<b>y</b><script>s</script>z</p></noscript>b<svg><svg><a href="h">t</a></svg>u</svg>c'))
      .toBe('abc');
  });

  it('flattens nesting beyond 100 levels, keeping the content', () => {
    const out = sanitizeHtml(`${'<span>'.repeat(150)}deep${'</span>'.repeat(150)}`);
    expect(out).toBe(`${'<span>'.repeat(100)}deep${'</span>'.repeat(100)}`);
  });

  it('keeps the text of other disallowed elements but not the element', () => {
    expect(sanitizeHtml('<section><article>Body <blink>text</blink></article></section>')).toBe('Body text');
  });

  it('does not let a comment or CDATA smuggle markup', () => {
    expect(sanitizeHtml('x<!-- <img src=x onerror=alert(1)> -->y')).toBe('xy');
    expect(executable(sanitizeHtml('<![CDATA[<img src=x onerror=alert(1)>]]>'))).toEqual([]);
  });

  it('removes characters XML cannot carry, even when written as references', () => {
    expect(sanitizeHtml('a\u0001b&#x1;c\uFFFEd\uD800e')).toBe('abcde');
  });
});

describe('sanitizeHtml: legitimate markup', () => {
  it('keeps links and resolves relative URLs against the base', () => {
    expect(sanitizeHtml('<p>See <a href="../2?x=1&amp;y=2" title="next">next</a>.</p>', BASE))
      .toBe('<p>See <a href="https://example.com/2?x=1&amp;y=2" title="next">next</a>.</p>');
    expect(sanitizeHtml('<a href="mailto:me@example.com">mail</a>')).toBe('<a href="mailto:me@example.com">mail</a>');
  });

  it('keeps relative URLs as given when there is no base', () => {
    expect(sanitizeHtml('<a href="/a/b">x</a><img src="i.png" alt="">')).toBe('<a href="/a/b">x</a><img src="i.png" alt="" />');
  });

  it('keeps images with resolved src and srcset, self-closed', () => {
    expect(sanitizeHtml('<img src="img/a.png" srcset="img/a-2x.png 2x, img/a-640.png 640w" alt="A" width="10" height="20">', BASE))
      .toBe('<img src="https://example.com/posts/img/a.png" srcset="https://example.com/posts/img/a-2x.png 2x, '
        + 'https://example.com/posts/img/a-640.png 640w" alt="A" width="10" height="20" />');
  });

  it('keeps tables and lists', () => {
    const table = '<table><caption>C</caption><thead><tr><th scope="col">H</th></tr></thead>'
      + '<tbody><tr><td colspan="2" rowspan="1">D</td></tr></tbody></table>';
    expect(sanitizeHtml(table)).toBe(table);
    expect(sanitizeHtml('<ol start="3" reversed><li>a</li><li>b</li></ol><ul><li>c</ul>'))
      .toBe('<ol start="3" reversed="reversed"><li>a</li><li>b</li></ol><ul><li>c</li></ul>');
  });

  it('keeps media without autoplay and with boolean attributes spelt out', () => {
    expect(sanitizeHtml('<video src="v.mp4" autoplay controls muted loop poster="p.jpg"><track src="t.vtt" kind="captions" srclang="en"></video>', BASE))
      .toBe('<video src="https://example.com/posts/v.mp4" controls="controls" muted="muted" loop="loop" '
        + 'poster="https://example.com/posts/p.jpg"><track src="https://example.com/posts/t.vtt" kind="captions" srclang="en" /></video>');
  });

  it('keeps inline semantics and escapes text', () => {
    expect(sanitizeHtml('<p><b>b</b> <em>e</em> <code>a &lt; b &amp;&amp; c</code> <time datetime="2024-01-01">d</time></p>'))
      .toBe('<p><b>b</b> <em>e</em> <code>a &lt; b &amp;&amp; c</code> <time datetime="2024-01-01">d</time></p>');
  });

  it('closes unclosed elements so the output is well-formed', () => {
    expect(sanitizeHtml('<div><p>one<p>two')).toBe('<div><p>one</p><p>two</p></div>');
    expect(xmlError(sanitizeHtml('<b><i>x</b>y</i><br><hr>'))).toBeUndefined();
  });

  it('decodes entities in plain text and re-escapes only what HTML needs', () => {
    expect(sanitizeHtml('Fish &amp; chips &lt;3 &eacute;t&eacute; &#8212; ok')).toBe('Fish &amp; chips &lt;3 été — ok');
  });

  it('closes an open link before a new one starts, as HTML parsing does (no nested anchors)', () => {
    expect(sanitizeHtml('<a href="/1">one<a href="/2">two</a>')).toBe('<a href="/1">one</a><a href="/2">two</a>');
  });

  it('is idempotent', () => {
    const once = sanitizeHtml('<p>a <a href="x?a=1&b=2">l</a><img src=i.png><br>b &amp; c</p>', BASE);
    expect(sanitizeHtml(once)).toBe(once);
  });
});
