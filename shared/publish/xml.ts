/**
 * XML output helpers: removal of characters XML 1.0 cannot carry, text and attribute escaping,
 * and a small indenting writer that builds a document as an array of lines joined once.
 *
 * HTML (summaries, content) is written as escaped character data, never as CDATA: escaping is
 * correct for any input, while a CDATA section breaks on a literal `]]>` inside the HTML.
 */

/**
 * Characters XML 1.0 does not allow (§2.2 Char): C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and lone surrogates. With the `u` flag `[\uD800-\uDFFF]` matches only
 * unpaired surrogates, since a valid pair is read as one astral code point.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
/** The same minus lone surrogates, without the `u` flag: a fast first check. */
const NOT_XML_BMP_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** ES2024 `String.prototype.isWellFormed` (Node 20+), missing from the project's ES2023 lib typings. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/** The string with every character XML 1.0 does not allow removed. */
export function cleanText(value: string): string {
  // Almost every string is clean; two native scans are much faster than a `u`-mode regex pass.
  if (!NOT_XML_BMP_CHAR.test(value) && (value as unknown as WellFormedCheck).isWellFormed()) return value;
  return value.replace(NOT_XML_CHAR, '');
}

/**
 * Character data for an element: cleaned, then `&` and `<` escaped, `>` where it ends `]]>` (the
 * only place XML 1.0 §2.4 requires it; leaving the many `>` of HTML alone keeps output small and
 * fast), and CR, which a parser would otherwise normalise to LF.
 */
export function escapeText(value: string): string {
  // One native pass per character kind is faster than a single pass with a replacer callback.
  let out = cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (out.includes(']]>')) out = out.replace(/]]>/g, ']]&gt;');
  if (out.includes('\r')) out = out.replace(/\r/g, '&#13;');
  return out;
}

/**
 * A double-quoted attribute value's content: as escapeText, plus every `>` and `"`, and tab and
 * LF, which attribute-value normalisation would otherwise turn into spaces.
 */
export function escapeAttr(value: string): string {
  const out = escapeText(value).replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return /[\t\n]/.test(out) ? out.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;') : out;
}

/** Plain text as HTML: `&`, `<`, `>` and `"` escaped, so the text reads the same when rendered. */
export function textToHtml(value: string): string {
  return value.replace(/[&<>"]/g, (ch) =>
    ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;',
  );
}

/** Attributes in insertion order; undefined values are left out. */
export type XmlAttrs = Readonly<Record<string, string | number | undefined>>;

function renderAttrs(attrs: XmlAttrs | undefined): string {
  if (attrs === undefined) return '';
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) out += ` ${name}="${escapeAttr(String(value))}"`;
  }
  return out;
}

/** Builds an XML document line by line, indenting by nesting depth; names must be valid XML names. */
export class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  private readonly open: string[] = [];

  /** Starts an element that will hold child elements. */
  start(name: string, attrs?: XmlAttrs): this {
    this.lines.push(`${this.indent()}<${name}${renderAttrs(attrs)}>`);
    this.open.push(name);
    return this;
  }

  /** Ends the innermost open element. */
  end(): this {
    const name = this.open.pop();
    if (name === undefined) throw new Error('XmlWriter.end() without an open element');
    this.lines.push(`${this.indent()}</${name}>`);
    return this;
  }

  /** An element holding only text (escaped here); nothing is written when text is undefined. */
  text(name: string, text: string | undefined, attrs?: XmlAttrs): this {
    if (text === undefined) return this;
    this.lines.push(`${this.indent()}<${name}${renderAttrs(attrs)}>${escapeText(text)}</${name}>`);
    return this;
  }

  /** An empty element such as `<link href="…"/>`. */
  empty(name: string, attrs: XmlAttrs): this {
    this.lines.push(`${this.indent()}<${name}${renderAttrs(attrs)}/>`);
    return this;
  }

  /** The document, with every element closed. */
  toString(): string {
    if (this.open.length > 0) throw new Error(`XmlWriter: <${this.open.join('>, <')}> left open`);
    return `${this.lines.join('\n')}\n`;
  }

  private indent(): string {
    return '  '.repeat(this.open.length);
  }
}
