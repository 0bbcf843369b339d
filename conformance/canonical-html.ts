/**
 * HTML comparison for conformance checks: both sides are parsed into a DOM with htmlparser2 and
 * serialised the same way (lower-case names, sorted attributes, decoded entities re-escaped minimally,
 * whitespace collapsed, void elements uniform, comments dropped), so serialisation details such as
 * `<br />` versus `<br>` or attribute quoting do not count as differences.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

/** Elements that never have content; serialised as `<name>` without a closing tag. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** Block-level elements: whitespace next to their tags is not significant. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'br',
]);

function isElement(node: ChildNode | undefined): node is Element {
  return node !== undefined && (node.type === 'tag' || node.type === 'script' || node.type === 'style');
}

function isBlock(node: ChildNode | undefined): boolean {
  return isElement(node) && BLOCK_ELEMENTS.has(node.name.toLowerCase());
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Parses markup into DOM nodes: entities decoded, names lower-cased, CDATA read as text. */
function parseFragment(html: string): ChildNode[] {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }).children;
}

function serialiseChildren(nodes: readonly ChildNode[], parentIsBlock: boolean): string {
  let out = '';
  nodes.forEach((node, i) => {
    if (node.type === 'text') {
      let text = node.data.replace(/\s+/g, ' ');
      const before = nodes[i - 1];
      const after = nodes[i + 1];
      if ((before === undefined && parentIsBlock) || isBlock(before)) text = text.replace(/^ /, '');
      if ((after === undefined && parentIsBlock) || isBlock(after)) text = text.replace(/ $/, '');
      out += escapeText(text);
    } else if (node.type === 'cdata') {
      out += serialiseChildren(node.children, false);
    } else if (isElement(node)) {
      out += serialiseElement(node);
    }
  });
  return out;
}

function serialiseElement(el: Element): string {
  const name = el.name.toLowerCase();
  const attributes = Object.entries(el.attribs)
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
    .join('');
  if (VOID_ELEMENTS.has(name)) return `<${name}${attributes}>`;
  return `<${name}${attributes}>${serialiseChildren(el.children, BLOCK_ELEMENTS.has(name))}</${name}>`;
}

/** The canonical serialisation of an HTML fragment; equivalent markup gives the same string. */
export function canonicalHtml(html: string): string {
  return serialiseChildren(parseFragment(html), true).trim();
}

/** True when two HTML fragments are equivalent after canonicalisation. */
export function sameHtml(a: string, b: string): boolean {
  return canonicalHtml(a) === canonicalHtml(b);
}

function collectText(nodes: readonly ChildNode[], parts: string[]): void {
  for (const node of nodes) {
    if (node.type === 'text') parts.push(node.data);
    else if (node.type === 'cdata') collectText(node.children, parts);
    else if (isElement(node) && node.type === 'tag') {
      if (isBlock(node)) parts.push(' ');
      collectText(node.children, parts);
      if (isBlock(node)) parts.push(' ');
    }
  }
}

/** The visible text of an HTML fragment (scripts and styles excluded), whitespace collapsed and trimmed. */
export function htmlText(html: string): string {
  const parts: string[] = [];
  collectText(parseFragment(html), parts);
  return collapse(parts.join(''));
}

/** Collapses whitespace runs (including no-break spaces) to one space and trims. */
export function collapse(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** True when the string holds markup (an element), not just text and entities. */
export function hasMarkup(html: string): boolean {
  return parseFragment(html).some(function walk(node: ChildNode): boolean {
    return isElement(node) || (node.type === 'cdata' && node.children.some(walk));
  });
}

/** The inner markup when the fragment is one `<div>` element (whitespace around it ignored), else the fragment. */
export function unwrapDiv(html: string): string {
  const nodes = parseFragment(html).filter((n) => !(n.type === 'text' && n.data.trim() === ''));
  const only = nodes[0];
  if (nodes.length !== 1 || !isElement(only) || only.name.toLowerCase() !== 'div') return html;
  return serialiseChildren(only.children, true);
}

/** Elements whose content a reader never sees as text (scripts, frames, embedded objects). */
const HIDDEN_CONTENT = new Set(['script', 'style', 'iframe', 'noscript', 'noframes', 'object', 'applet', 'embed', 'template', 'xmp', 'noembed', 'title', 'textarea', 'select', 'head']);

/** The text of a fragment outside elements whose content is not shown, whitespace collapsed. */
export function harmlessText(html: string): string {
  const parts: string[] = [];
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push(node.data);
      else if (node.type === 'cdata') walk(node.children);
      else if (isElement(node) && !HIDDEN_CONTENT.has(node.name.toLowerCase())) {
        parts.push(' ');
        walk(node.children);
        parts.push(' ');
      }
    }
  };
  walk(parseFragment(html));
  return collapse(parts.join(''));
}

/** Elements whose presence in sanitised output is unsafe. */
const DANGEROUS_ELEMENTS = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'meta', 'link', 'base', 'form',
  'input', 'button', 'textarea', 'select', 'svg', 'math', 'xml', 'import', 'layer', 'ilayer', 'bgsound', 'blink',
  'marquee', 'noscript', 'plaintext', 'xmp', 'template', 'portal',
]);

/** Attributes that take a URL and so must not carry an executable scheme. */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'lowsrc', 'dynsrc',
  'codebase', 'cite', 'longdesc', 'usemap', 'srcset', 'ping', 'manifest', 'profile', 'classid',
]);

/** URL schemes that execute or embed active content. */
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|livescript|mocha|data|jar|about):/i;

/** CSS that can run code or load things. */
const DANGEROUS_STYLE = /expression\s*\(|url\s*\(|-moz-binding|behavior\s*:|javascript:|@import/i;

function attributeProblem(name: string, value: string): string | undefined {
  if (name.startsWith('on')) return `event handler attribute ${name}`;
  // Browsers drop control characters and whitespace inside a scheme ("java\tscript:").
  const squeezed = value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');
  if (URL_ATTRIBUTES.has(name) && DANGEROUS_SCHEME.test(squeezed)) return `${name}="${value.slice(0, 40)}"`;
  if (name === 'style' && DANGEROUS_STYLE.test(squeezed)) return `style="${value.slice(0, 40)}"`;
  if (name === 'srcdoc' || name === 'formaction') return `attribute ${name}`;
  return undefined;
}

function findProblems(nodes: readonly ChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type === 'cdata') findProblems(node.children, out);
    if (!isElement(node)) continue;
    const name = node.name.toLowerCase();
    if (DANGEROUS_ELEMENTS.has(name)) out.push(`<${name}> element`);
    for (const [attr, value] of Object.entries(node.attribs)) {
      const problem = attributeProblem(attr.toLowerCase(), value);
      if (problem) out.push(problem);
    }
    findProblems(node.children, out);
  }
}

/** What is unsafe in sanitised HTML (dangerous elements, on* attributes, script URLs, active CSS); empty when safe. */
export function unsafeParts(html: string): string[] {
  const out: string[] = [];
  findProblems(parseFragment(html), out);
  return out;
}

/** http(s) URLs in `src`/`href` attributes of a fragment: the harmless resources a sanitiser should keep. */
export function safeResourceUrls(html: string): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      for (const attr of ['src', 'href']) {
        const value = node.attribs[attr]?.trim();
        if (value && /^https?:\/\//i.test(value)) out.push(value);
      }
      walk(node.children);
    }
  };
  walk(parseFragment(html));
  return out;
}
