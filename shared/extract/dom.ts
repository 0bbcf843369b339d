/**
 * The small structural view of a DOM that extraction uses (the project compiles without the DOM
 * lib), and parsing HTML into one with linkedom.
 */
import { parseHTML } from 'linkedom';

/** Node types used here. */
export const ELEMENT_NODE = 1;
/** Text node type. */
export const TEXT_NODE = 3;

/** A DOM node as extraction sees it (elements, text, comments). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  parentNode: DomNode | null;
  childNodes: ArrayLike<DomNode>;
  tagName?: string;
  innerHTML?: string;
  getAttribute?(name: string): string | null;
  querySelectorAll?(selector: string): ArrayLike<DomNode>;
  remove(): void;
}

/** An element: a node with tag, attributes and selector queries. */
export interface DomElement extends DomNode {
  tagName: string;
  innerHTML: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}

/** A parsed document: the root element and selector queries over it. */
export interface DomDocument {
  documentElement: DomElement | null;
  body: DomElement | null;
  title: string;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** True when the node is an element. */
export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/** Lower-case tag name of an element ('' for other nodes). */
export function tagOf(node: DomNode): string {
  return node.nodeType === ELEMENT_NODE ? node.nodeName.toLowerCase() : '';
}

/** Parses an HTML document with linkedom (a whole page; a fragment is wrapped in a body). */
export function parseDocument(html: string): DomDocument {
  const source = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(source) as unknown as { document: DomDocument };
  return document;
}

/** Elements of a document matching a selector, as an array (empty when the selector is rejected). */
export function selectAll(root: { querySelectorAll(selector: string): ArrayLike<DomNode> }, selector: string): DomElement[] {
  try {
    return Array.from(root.querySelectorAll(selector)).filter(isElement);
  } catch {
    return [];
  }
}
