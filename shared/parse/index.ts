/**
 * The parse stage: decoded text → ParsedFeed, for RSS 0.90-0.94/2.0, RSS 1.0, Atom 0.3/1.0 and JSON Feed
 * 1.0/1.1. Pure: no I/O. Tolerant like feedparser: an ill-formed XML feed yields what can be recovered,
 * with `bozo` set; an HTML page throws NotAFeedError carrying the feeds it advertises.
 */
import type { FeedFormat, ParsedFeed } from '../model';
import { NotAFeedError, ParseError } from '../errors';
import { mapAtom } from './atom';
import { classifyRoot, type DocumentKind } from './detect';
import { discoverFeedLinks } from './discover';
import { isJsonFeed, parseJsonFeed } from './jsonfeed';
import { mapRss } from './rss';
import { readXml, type XmlDocument } from './xml-reader';

/** Options for {@link parseFeed}. */
export interface ParseOptions {
  /** The document URL: the outermost base for relative URLs, and the page URL for autodiscovery. */
  url?: string;
  /**
   * The response's Content-Location header: the URL of this representation (RFC 9110 §8.7), resolved against
   * `url`. When given it is the outermost base instead of `url`.
   */
  contentLocation?: string;
  /** The response's Content-Language header: the language where the document states none (its first tag is used). */
  contentLanguage?: string;
}

/** The outermost base for relative URLs: Content-Location resolved against the document URL, else the URL. */
export function documentBase(options: ParseOptions): string | undefined {
  const location = options.contentLocation?.trim();
  if (!location) return options.url;
  try {
    return new URL(location, options.url).href;
  } catch {
    return options.url;
  }
}

/** The first language tag of a Content-Language header (`en-US, fr` → `en-US`), or undefined. */
export function headerLanguage(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim().replace(/_/g, '-');
  return first ? first : undefined;
}

/** Elements read when sniffing a document's kind (enough to reach an RDF channel). */
const SNIFF_ELEMENTS = 64;

/** Index of the first character that is not whitespace or a BOM, or -1. */
function firstContentIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}

/** Guesses a document's format cheaply from its start: a feed format, 'html', or undefined. */
export function detectFormat(text: string): FeedFormat | 'html' | undefined {
  const start = firstContentIndex(text);
  if (start < 0) return undefined;
  if (text[start] === '{') {
    try {
      return isJsonFeed(JSON.parse(text)) ? 'json1' : undefined;
    } catch {
      return undefined;
    }
  }
  const sniff = readXml(text, { strict: false, maxElements: SNIFF_ELEMENTS });
  return classifyRoot(sniff.root, sniff.doctype);
}

function mapDocument(doc: XmlDocument, kind: FeedFormat, lang: string | undefined): ParsedFeed {
  if (!doc.root) throw new ParseError('not a feed: no root element');
  const feed = kind === 'atom10' || kind === 'atom03' ? mapAtom(doc.root, kind, lang) : mapRss(doc.root, kind, lang);
  feed.bozo = doc.bozo;
  if (doc.bozoReason !== undefined) feed.bozoReason = doc.bozoReason;
  return feed;
}

function notAFeed(text: string, url: string | undefined): NotAFeedError {
  const links = discoverFeedLinks(text, url);
  return new NotAFeedError(`not a feed: HTML page${links.length > 0 ? ` advertising ${links.length} feed(s)` : ''}`, links);
}

/**
 * Parses decoded feed text. Throws ParseError for empty text, invalid JSON or a root that is not a feed
 * ("not a feed: root element <foo>"), and NotAFeedError (with the advertised feed links) for HTML.
 * XML is read strictly first, skipping over errors; when that recovers no feed root, or no entries from
 * an ill-formed document, it is read again in sax's loose mode and the richer result is kept.
 */
export function parseFeed(text: string, options: ParseOptions = {}): ParsedFeed {
  const start = firstContentIndex(text);
  if (start < 0) throw new ParseError('empty document');
  const base = documentBase(options);
  const lang = headerLanguage(options.contentLanguage);
  if (text[start] === '{') return parseJsonFeed(text, base);
  const sniff = readXml(text, { strict: false, maxElements: 1 });
  if (classifyRoot(sniff.root, sniff.doctype) === 'html') throw notAFeed(text, options.url);

  const strict = readXml(text, { strict: true, url: base });
  let kind: DocumentKind = classifyRoot(strict.root, strict.doctype);
  if (kind === 'html') throw notAFeed(text, options.url);
  let feed = kind === undefined ? undefined : mapDocument(strict, kind, lang);

  if (kind === undefined || (strict.bozo && feed !== undefined && feed.entries.length === 0)) {
    const loose = readXml(text, { strict: false, url: base });
    const looseKind = classifyRoot(loose.root, loose.doctype);
    if (looseKind === 'html') throw notAFeed(text, options.url);
    if (looseKind !== undefined) {
      const looseFeed = mapDocument(loose, looseKind, lang);
      if (!feed || looseFeed.entries.length > feed.entries.length) {
        feed = looseFeed;
        kind = looseKind;
        feed.bozo = true;
        feed.bozoReason = strict.bozoReason ?? loose.bozoReason ?? 'not well-formed';
      }
    }
  }
  if (feed) return feed;
  const root = strict.root;
  if (!root) throw new ParseError(`not a feed: no root element${strict.bozoReason ? ` (${strict.bozoReason})` : ''}`);
  throw new ParseError(`not a feed: root element <${root.qname}>`);
}
