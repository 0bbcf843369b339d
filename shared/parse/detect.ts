/** Recognising what a document is from its root element (and DOCTYPE), without mapping it. */
import type { FeedFormat } from '../model';
import { ATOM03, ATOM10, RSS090, RSS10 } from './names';
import { rssVersion } from './rss';
import { attr, type XmlNode } from './xml-node';

/** What a document's root says it is: a feed format, an HTML page, or something else (undefined). */
export type DocumentKind = FeedFormat | 'html' | undefined;

/** True when the DOCTYPE text names the html document type. */
export function isHtmlDoctype(doctype: string | undefined): boolean {
  return doctype !== undefined && /^\s*html\b/i.test(doctype);
}

/** The kind of document whose root element (with whatever children were read) is `root`. */
export function classifyRoot(root: XmlNode | undefined, doctype?: string): DocumentKind {
  if (!root) return isHtmlDoctype(doctype) ? 'html' : undefined;
  switch (root.local) {
    case 'rss':
      return rssVersion(attr(root, 'version'));
    case 'channel':
      return 'rss20';
    case 'rdf': {
      for (const c of root.children) {
        if (typeof c === 'string') continue;
        if (c.uri === RSS090) return 'rss090';
        if (c.uri === RSS10 || (c.uri === '' && (c.local === 'channel' || c.local === 'item'))) return 'rss10';
      }
      return undefined;
    }
    case 'feed':
      return root.uri === ATOM03 || attr(root, 'version')?.trim() === '0.3' ? 'atom03' : 'atom10';
    case 'entry': // an Atom Entry Document (RFC 4287 section 2): a feed of one entry
      return root.uri === ATOM10 ? 'atom10' : root.uri === ATOM03 ? 'atom03' : undefined;
    case 'html':
      return 'html';
    default:
      return isHtmlDoctype(doctype) ? 'html' : undefined;
  }
}
