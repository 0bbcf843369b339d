/**
 * A fast reader for the well-formed XML most feeds are: the same element tree that sax (strict, xmlns) gives
 * through xml-reader.ts, built with indexOf scans instead of sax's character-at-a-time state machine. It gives up
 * (undefined) wherever sax would report an error and on what it leaves to sax (an internal DTD subset, non-ASCII
 * names, an SGML declaration), so the caller reads those documents with sax as before.
 */
import { elementNode, type ResolvedAttribute } from './xml-element';
import { entityReferenceEnd, entityValue, isNameBody, isNameStart, isSpace, predefinedEntityAt, splitName } from './xml-lexical';
import type { XmlNode } from './xml-node';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
/** sax's namespace scope for the document: a plain object (so, like sax's, it inherits Object.prototype). */
const ROOT_SCOPE: Record<string, string> = { xml: XML_NAMESPACE, xmlns: XMLNS_NAMESPACE };

/** A namespace URI from a scope, or undefined when the lookup would not give sax a string. */
function lookup(scope: Record<string, string>, prefix: string): string | undefined {
  const uri: unknown = scope[prefix];
  return uri === undefined || typeof uri === 'string' ? (uri as string | undefined) ?? '' : undefined;
}

/** One reading of one document; every method returns false (or -1) to give up. */
class WellFormedReader {
  private pos = 0;
  private textNode = '';
  private readonly stack: XmlNode[] = [];
  private readonly scopes: Record<string, string>[] = [Object.create(ROOT_SCOPE) as Record<string, string>];
  root: XmlNode | undefined;
  /** The DOCTYPE text as sax reports it (after `<!DOCTYPE`, up to `>`), when the document has one. */
  doctype: string | undefined;
  private closedRoot = false;

  constructor(private readonly text: string, private readonly documentBase: string | undefined) {}

  /** Reads the whole document; false to give up. */
  read(): boolean {
    const s = this.text;
    if (s.charCodeAt(0) === 0xfeff) this.pos = 1;
    // The next `&` and `<` at or after the position, found again only once passed: entity-dense text stays linear.
    let nextAmp = -1;
    let nextLt = -1;
    while (this.pos < s.length) {
      if (this.stack.length === 0) {
        while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
        if (this.pos >= s.length) break;
        if (s.charCodeAt(this.pos) !== 60 || !this.markup()) return false;
        continue;
      }
      if (nextAmp < this.pos) {
        const found = s.indexOf('&', this.pos);
        nextAmp = found < 0 ? Infinity : found;
      }
      if (nextLt < this.pos) nextLt = s.indexOf('<', this.pos);
      if (nextLt < 0) return false; // unclosed root
      if (nextAmp < nextLt) {
        this.textNode += s.slice(this.pos, nextAmp);
        const end = this.entity(nextAmp);
        if (end < 0) return false;
        this.pos = end;
        continue;
      }
      if (nextLt > this.pos) this.textNode += s.slice(this.pos, nextLt);
      this.pos = nextLt;
      if (!this.markup()) return false;
    }
    return this.root !== undefined && this.closedRoot && this.stack.length === 0;
  }

  /** Reads `&name;` at `at` into the text node; the index after it, or -1. */
  private entity(at: number): number {
    const predefined = predefinedEntityAt(this.text, at);
    if (predefined !== undefined) {
      this.textNode += predefined.char;
      return at + predefined.length;
    }
    const end = entityReferenceEnd(this.text, at);
    if (end < 0) return -1;
    const value = entityValue(this.text.slice(at + 1, end));
    if (value === undefined) return -1;
    this.textNode += value;
    return end + 1;
  }

  /** Emits the pending text (sax does before every event), into the open element if any. */
  private flushText(): void {
    if (this.textNode === '') return;
    this.stack[this.stack.length - 1]?.children.push(this.textNode);
    this.textNode = '';
  }

  /** Reads the markup starting with `<` at the current position. */
  private markup(): boolean {
    const s = this.text;
    const at = this.pos;
    const next = s.charCodeAt(at + 1);
    if (next === 47) return this.closeTag(at);
    if (isNameStart(next)) return !this.closedRoot && this.openTag(at);
    if (next === 63) {
      const end = s.indexOf('?>', at + 2);
      // sax reads the `?` after a `?` as body text, so an end of `??>` is not where it stops.
      if (end < 0 || (end - 1 >= at + 2 && s.charCodeAt(end - 1) === 63)) return false;
      this.flushText();
      this.pos = end + 2;
      return true;
    }
    if (s.startsWith('<!DOCTYPE', at)) return this.doctypeDeclaration(at);
    if (s.startsWith('<!--', at)) {
      const end = s.indexOf('--', at + 4);
      if (end < 0 || s.charCodeAt(end + 2) !== 62) return false;
      if (end > at + 4) this.flushText(); // sax emits only non-empty comments
      this.pos = end + 3;
      return true;
    }
    if (s.startsWith('<![CDATA[', at) && this.stack.length > 0) {
      const end = s.indexOf(']]>', at + 9);
      if (end < 0) return false;
      this.flushText();
      if (end > at + 9) this.stack[this.stack.length - 1]!.children.push(s.slice(at + 9, end));
      this.pos = end + 3;
      return true;
    }
    return false;
  }

  /**
   * A DOCTYPE before the root, without an internal subset (sax would install its entities): its text is kept as sax
   * reports it, quoted parts (which may hold `>`) included.
   */
  private doctypeDeclaration(at: number): boolean {
    const s = this.text;
    if (this.root !== undefined || this.doctype !== undefined) return false;
    for (let i = at + 9; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 62) {
        const doctype = s.slice(at + 9, i);
        if (doctype.includes('[')) return false;
        this.doctype = doctype;
        this.pos = i + 1;
        return true;
      }
      if (c === 34 || c === 39) {
        i = s.indexOf(c === 34 ? '"' : "'", i + 1);
        if (i < 0) return false;
      } else if (c === 91) {
        return false;
      }
    }
    return false;
  }

  /** Index after the name starting at `at`, or -1 when no ASCII name starts there or a non-ASCII one continues. */
  private nameEnd(at: number): number {
    const s = this.text;
    if (!isNameStart(s.charCodeAt(at))) return -1;
    let i = at + 1;
    while (i < s.length && isNameBody(s.charCodeAt(i))) i++;
    return i < s.length && s.charCodeAt(i) >= 128 ? -1 : i;
  }

  /** Index of the first character from `at` that is not whitespace. */
  private skipSpace(at: number): number {
    let i = at;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** `</name>` (whitespace allowed before `>`), closing the innermost element. */
  private closeTag(at: number): boolean {
    const end = this.nameEnd(at + 2);
    const top = this.stack[this.stack.length - 1];
    if (end < 0 || !top || this.text.slice(at + 2, end) !== top.qname) return false;
    const gt = this.skipSpace(end);
    if (this.text.charCodeAt(gt) !== 62) return false;
    this.flushText();
    this.closeElement();
    this.pos = gt + 1;
    return true;
  }

  /** Ends the innermost element (the root too: then nothing but comments, PIs and whitespace may follow). */
  private closeElement(): void {
    this.stack.pop();
    this.scopes.pop();
    if (this.stack.length === 0) this.closedRoot = true;
  }

  /** A start tag or empty-element tag at `at`, with its attributes. */
  private openTag(at: number): boolean {
    const s = this.text;
    const nameEnd = this.nameEnd(at + 1);
    if (nameEnd < 0) return false;
    const attributes: [string, string][] = [];
    let scope = this.scopes[this.scopes.length - 1]!;
    const inherited = scope;
    let i = nameEnd;
    let selfClosing = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 62) break;
      if (c === 47) {
        if (s.charCodeAt(i + 1) !== 62) return false;
        selfClosing = true;
        i++;
        break;
      }
      if (!isSpace(c)) return false; // also the end of the text (NaN)
      i = this.skipSpace(i);
      const d = s.charCodeAt(i);
      if (d === 62 || d === 47) continue;
      const attrEnd = this.nameEnd(i);
      if (attrEnd < 0) return false;
      const name = s.slice(i, attrEnd);
      i = this.skipSpace(attrEnd);
      if (s.charCodeAt(i) !== 61) return false;
      i = this.skipSpace(i + 1);
      const value = this.attributeValue(i);
      if (value === undefined) return false;
      i = value[1];
      if (attributes.some((a) => a[0] === name)) return false;
      attributes.push([name, value[0]]);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        const local = name === 'xmlns' ? '' : name.slice(6);
        if (local.includes(':') || local in Object.prototype) return false;
        if ((local === 'xml' && value[0] !== XML_NAMESPACE) || (local === 'xmlns' && value[0] !== XMLNS_NAMESPACE)) return false;
        if (scope === inherited) scope = Object.create(inherited) as Record<string, string>;
        scope[local] = value[0];
      }
    }
    this.flushText();
    const tagName = s.slice(at + 1, nameEnd);
    const parts = splitName(tagName);
    const uri = parts && lookup(scope, parts[0]);
    if (!parts || uri === undefined || (parts[0] !== '' && uri === '')) return false;
    const resolved: ResolvedAttribute[] = [];
    for (const [name, value] of attributes) {
      const split: [string, string] | undefined = name === 'xmlns' ? ['xmlns', ''] : splitName(name);
      const attrUri = split && (split[0] === '' ? '' : lookup(scope, split[0]));
      if (!split || attrUri === undefined || (split[0] !== '' && split[0] !== 'xmlns' && attrUri === '')) return false;
      resolved.push({ name, value, prefix: split[0], local: split[1], uri: attrUri });
    }
    const parent = this.stack[this.stack.length - 1];
    const node = elementNode({ name: tagName, prefix: parts[0], local: parts[1], uri }, resolved, parent, this.documentBase);
    if (parent) parent.children.push(node);
    else this.root = node;
    this.stack.push(node);
    this.scopes.push(scope);
    if (selfClosing) this.closeElement();
    this.pos = i + 1;
    return true;
  }

  /** A quoted attribute value at `at`, entities decoded, and the index after its closing quote. */
  private attributeValue(at: number): [string, number] | undefined {
    const s = this.text;
    const quote = s.charCodeAt(at);
    if (quote !== 34 && quote !== 39) return undefined;
    const close = s.indexOf(quote === 34 ? '"' : "'", at + 1);
    if (close < 0) return undefined;
    const raw = s.slice(at + 1, close);
    let amp = raw.indexOf('&');
    if (amp < 0) return [raw, close + 1];
    let value = '';
    let from = 0;
    while (amp >= 0) {
      const end = entityReferenceEnd(this.text, at + 1 + amp) - (at + 1);
      const decoded = end >= 0 && end < raw.length ? entityValue(raw.slice(amp + 1, end)) : undefined;
      if (decoded === undefined) return undefined;
      value += raw.slice(from, amp) + decoded;
      from = end + 1;
      amp = raw.indexOf('&', from);
    }
    return [value + raw.slice(from), close + 1];
  }
}

/** What the fast reader makes of a well-formed document: its root element and DOCTYPE text. */
export interface WellFormedDocument {
  root: XmlNode;
  doctype?: string;
}

/**
 * The root element (and DOCTYPE) of a well-formed document, exactly as readXml builds them from sax's events in
 * strict mode; undefined when sax would report an error or the document needs sax (internal DTD subset, non-ASCII
 * names, ...).
 */
export function readWellFormedXml(text: string, documentBase: string | undefined): WellFormedDocument | undefined {
  try {
    const reader = new WellFormedReader(text, documentBase);
    if (!reader.read() || !reader.root) return undefined;
    return reader.doctype === undefined ? { root: reader.root } : { root: reader.root, doctype: reader.doctype };
  } catch {
    return undefined; // sax would meet the same failure in its handler; let it report it
  }
}
