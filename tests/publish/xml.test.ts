import { describe, expect, it } from 'vitest';
import { rfc3339, rfc822, requiredRfc3339 } from '../../shared/publish/dates';
import { cleanText, escapeAttr, escapeText, textToHtml, XmlWriter } from '../../shared/publish/xml';
import { PublishError } from '../../shared/errors';
import { parseXml } from './xml-tree';

describe('cleanText', () => {
  it('removes C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF', () => {
    expect(cleanText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi')).toBe('abcdefghi');
    expect(cleanText('tab\tlf\ncr\r')).toBe('tab\tlf\ncr\r');
  });

  it('removes lone surrogates but keeps surrogate pairs', () => {
    expect(cleanText('a\uD83Db\uDE00c')).toBe('abc');
    expect(cleanText('end\uD83D')).toBe('end');
    expect(cleanText('🚀 👍🏽 𝄞')).toBe('🚀 👍🏽 𝄞');
  });

  it('keeps other characters, including RTL text and C1 controls XML 1.0 allows', () => {
    expect(cleanText('مرحبا \u0085 \u200F')).toBe('مرحبا \u0085 \u200F');
  });
});

describe('escaping', () => {
  it('escapes text so markup and ]]> cannot appear, and keeps CR through parsing', () => {
    // XML 1.0 §2.4: `>` needs escaping only where it ends `]]>`.
    expect(escapeText('<a href="x">&amp; ]]> a]]]>\r')).toBe('&lt;a href="x">&amp;amp; ]]&gt; a]]]&gt;&#13;');
    expect(escapeText('plain text')).toBe('plain text');
  });

  it('escapes attribute values including quotes and whitespace that attribute normalisation would change', () => {
    expect(escapeAttr(`"q" 'a' <&>\t\n\r`)).toBe(`&quot;q&quot; 'a' &lt;&amp;&gt;&#9;&#10;&#13;`);
  });

  it('round-trips text and attributes through a strict parser', () => {
    const nasty = 'x "y" <z> & ]]> \t\r\n 🚀';
    const xml = new XmlWriter().start('r').text('t', nasty, { a: nasty }).end().toString();
    const root = parseXml(xml);
    expect(root.children[0]?.text).toBe(nasty);
    expect(root.children[0]?.attrs.a).toBe(nasty);
  });

  it('turns plain text into HTML that reads the same', () => {
    expect(textToHtml('a < b & "c"')).toBe('a &lt; b &amp; &quot;c&quot;');
  });
});

describe('XmlWriter', () => {
  it('indents by depth, skips undefined text and attributes, and refuses unclosed elements', () => {
    const xml = new XmlWriter().start('a', { x: '1', y: undefined }).text('b', undefined).empty('c', { n: 2 }).end();
    expect(xml.toString()).toBe('<?xml version="1.0" encoding="utf-8"?>\n<a x="1">\n  <c n="2"/>\n</a>\n');
    expect(() => new XmlWriter().start('a').toString()).toThrow(/left open/);
  });
});

describe('dates', () => {
  it('formats RFC 822 with a four-digit year and a numeric zone', () => {
    expect(rfc822('2026-11-27T13:51:02.000Z')).toBe('Fri, 27 Nov 2026 13:51:02 +0000');
    expect(rfc822('2026-01-04T01:02:03+02:00')).toBe('Sat, 03 Jan 2026 23:02:03 +0000');
  });

  it('formats RFC 3339 in UTC, keeping milliseconds only when present', () => {
    expect(rfc3339('2026-11-27T13:51:02.000Z')).toBe('2026-11-27T13:51:02Z');
    expect(rfc3339('2026-11-27T13:51:02.250Z')).toBe('2026-11-27T13:51:02.250Z');
  });

  it('treats non-dates as absent, and throws a publish error where a date is required', () => {
    expect(rfc3339('not a date')).toBeUndefined();
    expect(rfc822(undefined)).toBeUndefined();
    expect(() => requiredRfc3339('nope', 'feed updated')).toThrow(PublishError);
    expect(() => requiredRfc3339('nope', 'feed updated')).toThrow(/^publish: feed updated is not a date/);
  });
});
