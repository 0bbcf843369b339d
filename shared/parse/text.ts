/** Text constructs: turning RSS and Atom text elements into ParsedText (type text, html or xhtml). */
import type { ParsedText } from '../model';
import { attr, elementChildren, escapeText, hasElementChildren, innerXml, textContent, type XmlNode } from './xml-node';

/** Whether a value is trimmed (titles and other simple values) or kept exactly (summaries, content). */
export type Trim = 'trim' | 'keep';

/** Markup that survived entity decoding: a start/end tag, comment or doctype-ish `<!`. Linear: `[^<>]*`. */
const LITERAL_MARKUP = /<[a-zA-Z/!][^<>]*>/;

function make(value: string, type: ParsedText['type'], node: XmlNode, lang: string | undefined, trim: Trim): ParsedText | undefined {
  const v = trim === 'trim' ? value.trim() : value;
  if (v.trim() === '') return undefined;
  const text: ParsedText = { value: v, type };
  if (node.base !== undefined) text.base = node.base;
  const l = node.lang ?? lang;
  if (l) text.lang = l; // '' is xml:lang="": no language
  return text;
}

/**
 * A title-like RSS element (plain text by the spec). Its entity-decoded text is type `text`, unless it
 * still holds literal markup after decoding (e.g. `&lt;b&gt;` or `<![CDATA[<b>]]>`), or has unescaped child
 * elements: then it is type `html` (the markup serialised) so that the normaliser strips the tags.
 */
export function titleText(node: XmlNode, lang?: string): ParsedText | undefined {
  if (hasElementChildren(node)) return make(innerXml(node), 'html', node, lang, 'trim');
  const value = textContent(node);
  return make(value, LITERAL_MARKUP.test(value) ? 'html' : 'text', node, lang, 'trim');
}

/** An element whose text is HTML (RSS description, content:encoded); unescaped child elements are serialised. */
export function htmlText(node: XmlNode, lang?: string): ParsedText | undefined {
  const value = hasElementChildren(node) ? innerXml(node) : textContent(node);
  return make(value, 'html', node, lang, 'keep');
}

/** An element whose text is plain (itunes:summary, JSON-like plain values). */
export function plainText(node: XmlNode, lang?: string, trim: Trim = 'keep'): ParsedText | undefined {
  if (hasElementChildren(node)) return make(innerXml(node), 'html', node, lang, trim);
  return make(textContent(node), 'text', node, lang, trim);
}

/** The serialised content of an inline XHTML construct: the inner content of its wrapping `div`, if any. */
function xhtmlValue(node: XmlNode): string {
  const elements = elementChildren(node);
  const only = elements.length === 1 ? elements[0] : undefined;
  if (only && only.local === 'div') {
    const outside = node.children.some((c) => typeof c === 'string' && c.trim() !== '');
    if (!outside) return innerXml(only);
  }
  return innerXml(node);
}

/** How an Atom `type` (1.0 keywords or a MIME type) reads, before `mode` is considered. */
function atomKind(type: string | undefined): ParsedText['type'] | 'other' {
  if (type === undefined || type === '' || type === 'text' || type.startsWith('text/plain')) return 'text';
  if (type === 'html' || type.startsWith('text/html')) return 'html';
  if (type === 'xhtml' || type.startsWith('application/xhtml+xml')) return 'xhtml';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'xhtml';
  if (type.startsWith('text/')) return 'text';
  return 'other';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Base64 text decoded as UTF-8 (whitespace ignored). Undefined when the text is not base64 at all, or
 * decodes to bytes that are not UTF-8 text (an image or other binary payload, which no text field can show).
 */
export function decodeBase64Text(value: string): { text?: string; isBase64: boolean } {
  const compact = value.replace(/[\t\n\r ]+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { isBase64: false };
  try {
    return { text: UTF8.decode(Buffer.from(compact, 'base64')), isBase64: true };
  } catch {
    return { isBase64: true };
  }
}

/** A base64 construct decoded to `type`; binary payloads give undefined, and text that is not base64 stays as given. */
function fromBase64(node: XmlNode, type: ParsedText['type'], lang: string | undefined, trim: Trim): ParsedText | undefined {
  const raw = textContent(node);
  const decoded = decodeBase64Text(raw);
  if (!decoded.isBase64) return make(raw, type, node, lang, trim);
  return decoded.text === undefined ? undefined : make(decoded.text, type, node, lang, trim);
}

/**
 * An Atom 1.0 or 0.3 text construct (title, subtitle, summary, content, rights). `type` is text, html or
 * xhtml, or a MIME type; Atom 0.3's `mode` is `xml` (inline), `escaped` or `base64`. A MIME type that is
 * neither XML nor text/* means base64 (RFC 4287 §4.1.3.3); decoded, it is shown as plain text. Inline XHTML is
 * serialised without prefixes; unexpected child elements in a text/html construct are serialised as html.
 */
export function atomText(node: XmlNode, lang: string | undefined, trim: Trim): ParsedText | undefined {
  const type = attr(node, 'type')?.trim().toLowerCase();
  const mode = attr(node, 'mode')?.trim().toLowerCase();
  const kind = atomKind(type);
  if (mode === 'base64') return fromBase64(node, kind === 'html' || kind === 'xhtml' ? 'html' : 'text', lang, trim);
  if (kind === 'other' && mode === undefined && !hasElementChildren(node)) return fromBase64(node, 'text', lang, trim);
  if (hasElementChildren(node)) {
    if (kind === 'xhtml' || mode === 'xml' || (type === undefined && mode === undefined)) {
      return make(xhtmlValue(node), 'xhtml', node, lang, trim);
    }
    return make(innerXml(node), 'html', node, lang, trim);
  }
  const value = textContent(node);
  if (kind === 'html' || (mode === 'escaped' && kind !== 'text')) return make(value, 'html', node, lang, trim);
  if (kind === 'xhtml') return make(escapeText(value), 'xhtml', node, lang, trim);
  return make(value, 'text', node, lang, trim);
}
