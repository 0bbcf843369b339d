/** A small namespace-resolved element tree built by the XML reader, with query and serialising helpers. */

/** An attribute with its namespace resolved. `local` is lower-cased for matching; `name` is as written. */
export interface XmlAttr {
  uri: string;
  local: string;
  name: string;
  value: string;
}

/** An element: namespace URI, lower-cased local name, children in document order, and the xml:base/xml:lang in scope. */
export interface XmlNode {
  uri: string;
  local: string;
  /** The local name as written, used when serialising markup. */
  name: string;
  /** The qualified name as written, for messages. */
  qname: string;
  attrs: XmlAttr[];
  children: Array<XmlNode | string>;
  /** Absolute base URL in scope (xml:base resolved against the parent's base, the document URL outermost). */
  base?: string;
  /** xml:lang in scope; '' when an `xml:lang=""` in scope says there is no language information. */
  lang?: string;
}

/** The value of the un-namespaced attribute `local` (lower-case), or of one in namespace `uri`. */
export function attr(node: XmlNode, local: string, uri = ''): string | undefined {
  for (const a of node.attrs) {
    if (a.local === local && a.uri === uri) return a.value;
  }
  return undefined;
}

/** True when `node` has at least one element child. */
export function hasElementChildren(node: XmlNode): boolean {
  for (const c of node.children) if (typeof c !== 'string') return true;
  return false;
}

/** The element children of `node`. */
export function elementChildren(node: XmlNode): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node.children) if (typeof c !== 'string') out.push(c);
  return out;
}

/** The first element child in namespace `uri` named `local` (lower-case). */
export function firstChild(node: XmlNode, uri: string, local: string): XmlNode | undefined {
  for (const c of node.children) {
    if (typeof c !== 'string' && c.local === local && c.uri === uri) return c;
  }
  return undefined;
}

/**
 * Every descendant of `node` (not `node` itself) named `local` in one of the namespaces `uris`, in document
 * order, including ones nested inside each other. Finds entries that an unclosed element swallowed.
 */
export function descendants(node: XmlNode, uris: ReadonlySet<string>, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode): void => {
    for (const c of n.children) {
      if (typeof c === 'string') continue;
      if (c.local === local && uris.has(c.uri)) out.push(c);
      if (c.children.length > 0) walk(c);
    }
  };
  walk(node);
  return out;
}

/** All descendant text of `node`, concatenated (markup dropped). */
export function textContent(node: XmlNode): string {
  const c = node.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  const parts: string[] = [];
  collectText(node, parts);
  return parts.join('');
}

function collectText(node: XmlNode, parts: string[]): void {
  for (const c of node.children) {
    if (typeof c === 'string') parts.push(c);
    else collectText(c, parts);
  }
}

/** Descendant text, trimmed; undefined when empty. For simple values: titles, links, ids, dates. */
export function trimmedText(node: XmlNode): string | undefined {
  const t = textContent(node).trim();
  return t === '' ? undefined : t;
}

/** HTML void elements, serialised as `<br />`; other empty elements get an explicit end tag. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** Escapes text for use as element content. */
export function escapeText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for use inside a double-quoted attribute value. */
export function escapeAttr(s: string): string {
  if (!/[&<>"]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The children of `node` serialised as markup without namespace prefixes or declarations: element names
 * and attribute names are local names (`xml:lang` becomes `lang`, `xml:base` is dropped), text is escaped.
 */
export function innerXml(node: XmlNode): string {
  const parts: string[] = [];
  serialiseChildren(node, parts);
  return parts.join('');
}

function serialiseChildren(node: XmlNode, parts: string[]): void {
  for (const c of node.children) {
    if (typeof c === 'string') parts.push(escapeText(c));
    else serialiseElement(c, parts);
  }
}

function serialiseElement(node: XmlNode, parts: string[]): void {
  parts.push('<', node.name);
  for (const a of node.attrs) {
    if (a.uri === 'http://www.w3.org/XML/1998/namespace' && a.local === 'base') continue;
    parts.push(' ', a.name, '="', escapeAttr(a.value), '"');
  }
  if (node.children.length === 0 && VOID_ELEMENTS.has(node.local)) {
    parts.push(' />');
    return;
  }
  parts.push('>');
  serialiseChildren(node, parts);
  parts.push('</', node.name, '>');
}
