/** Namespaced extension elements shared by RSS and Atom entries and feeds: Dublin Core, content, Media RSS, iTunes, FeedBurner, XHTML, atom:link. */
import type { ParsedCategory, ParsedEnclosure, ParsedFeed } from '../model';
import { addEnclosure, addEntryLink, atomLink, toInt, toSeconds, type EntryDraft } from './entry-draft';
import { ATOM10, CONTENT, DC, DCTERMS, FEEDBURNER, ITUNES, MEDIA, XHTML } from './names';
import { addPerson, atomPerson, parseAuthorString } from './people';
import { atomText, htmlText, plainText, titleText } from './text';
import { resolveUrl } from './urls';
import { attr, innerXml, trimmedText, type XmlNode } from './xml-node';

/** A Dublin Core subject as a category, or undefined when empty. */
function subject(node: XmlNode): ParsedCategory | undefined {
  const term = trimmedText(node);
  return term === undefined ? undefined : { term };
}

/** An absolute URL from the `url`-like attribute `name` of `node`, or undefined. */
function urlAttr(node: XmlNode, name: string): string | undefined {
  const raw = attr(node, name);
  return raw === undefined || raw.trim() === '' ? undefined : resolveUrl(raw, node.base);
}

/** media:content as an enclosure. */
function mediaEnclosure(node: XmlNode): ParsedEnclosure | undefined {
  const url = urlAttr(node, 'url');
  if (url === undefined) return undefined;
  const enc: ParsedEnclosure = { url };
  const type = attr(node, 'type')?.trim();
  if (type) enc.type = type;
  const length = toInt(attr(node, 'filesize'));
  if (length !== undefined) enc.length = length;
  const duration = toSeconds(attr(node, 'duration'));
  if (duration !== undefined) enc.durationS = duration;
  for (const c of node.children) {
    if (typeof c !== 'string' && c.uri === MEDIA && c.local === 'title') {
      const title = trimmedText(c);
      if (title !== undefined) enc.title = title;
    }
  }
  return enc;
}

/** Media RSS elements of an entry (media:group recursed). Returns false for elements it does not know. */
function applyMedia(draft: EntryDraft, node: XmlNode): boolean {
  switch (node.local) {
    case 'content': {
      const enc = mediaEnclosure(node);
      if (enc) addEnclosure(draft.entry.enclosures, enc);
      for (const c of node.children) if (typeof c !== 'string' && c.uri === MEDIA && c.local !== 'title') applyMedia(draft, c);
      return true;
    }
    case 'group':
      for (const c of node.children) if (typeof c !== 'string' && c.uri === MEDIA) applyMedia(draft, c);
      return true;
    case 'thumbnail':
      draft.fallbackImage ??= urlAttr(node, 'url');
      return true;
    case 'category': {
      const category = mediaCategory(node);
      if (category) draft.entry.categories.push(category);
      return true;
    }
    case 'title':
      draft.fallbackTitle ??= titleText(node, draft.lang);
      return true;
    case 'description':
      draft.fallbackSummary ??= attr(node, 'type')?.trim().toLowerCase() === 'html'
        ? htmlText(node, draft.lang)
        : plainText(node, draft.lang);
      return true;
    default:
      return false;
  }
}

/**
 * Applies an extension element of an entry (RSS item or Atom entry) to the draft. Extension values only
 * fill fields that the format's own elements leave empty. Returns false when the element is not one of them.
 */
export function applyEntryExtension(draft: EntryDraft, node: XmlNode): boolean {
  const e = draft.entry;
  switch (node.uri) {
    case DC:
      switch (node.local) {
        case 'creator': case 'contributor': case 'author': {
          const s = trimmedText(node);
          if (s !== undefined) addPerson(e.authors, parseAuthorString(s));
          return true;
        }
        case 'date': draft.genericDate ??= trimmedText(node); return true;
        case 'subject': { const c = subject(node); if (c) e.categories.push(c); return true; }
        case 'title': draft.fallbackTitle ??= titleText(node, draft.lang); return true;
        case 'description': draft.fallbackSummary ??= htmlText(node, draft.lang); return true;
        case 'language': { const l = trimmedText(node); if (l !== undefined && node.lang === undefined) e.lang = l; return true; }
        default: return false;
      }
    case DCTERMS:
      switch (node.local) {
        case 'issued': case 'created': draft.fallbackPublished ??= trimmedText(node); return true;
        case 'modified': draft.fallbackUpdated ??= trimmedText(node); return true;
        default: return false;
      }
    case CONTENT:
      if (node.local !== 'encoded') return false;
      e.content ??= htmlText(node, draft.lang);
      return true;
    case MEDIA:
      return applyMedia(draft, node);
    case ITUNES:
      switch (node.local) {
        case 'author': { const s = trimmedText(node); if (s !== undefined) addPerson(e.authors, { name: s }); return true; }
        case 'image': draft.fallbackImage ??= urlAttr(node, 'href') ?? urlAttr(node, 'url'); return true;
        case 'duration': draft.durationS ??= toSeconds(trimmedText(node)); return true;
        case 'summary': draft.fallbackSummary ??= plainText(node, draft.lang); return true;
        case 'keywords': for (const term of keywordList(trimmedText(node))) e.categories.push({ term }); return true;
        case 'category': addItunesCategories(e.categories, node); return true;
        default: return false;
      }
    case FEEDBURNER:
      if (node.local !== 'origlink') return false;
      { const s = trimmedText(node); if (s !== undefined) draft.origLink ??= resolveUrl(s, node.base); }
      return true;
    case XHTML:
      if (node.local !== 'body') return false;
      draft.fallbackContent ??= xhtmlBody(node, draft.lang);
      return true;
    case ATOM10:
      return applyAtomInRss(draft, node);
    default:
      return false;
  }
}

/** Atom 1.0 elements inside an RSS item: links, authors, dates, categories, content and summary as fallbacks. */
function applyAtomInRss(draft: EntryDraft, node: XmlNode): boolean {
  const e = draft.entry;
  switch (node.local) {
    case 'link': { const link = atomLink(node); if (link) addEntryLink(draft, link); return true; }
    case 'author': addPerson(e.authors, atomPerson(node)); return true;
    case 'published': draft.fallbackPublished ??= trimmedText(node); return true;
    case 'updated': draft.fallbackUpdated ??= trimmedText(node); return true;
    case 'category': { const c = atomCategory(node); if (c) e.categories.push(c); return true; }
    case 'summary': draft.fallbackSummary ??= atomText(node, draft.lang, 'keep'); return true;
    case 'content':
      if (attr(node, 'src') === undefined) draft.fallbackContent ??= atomText(node, draft.lang, 'keep');
      return true;
    default: return false;
  }
}

/** An Atom category (term, scheme, label; 0.3-style text content when there is no term). */
export function atomCategory(node: XmlNode): ParsedCategory | undefined {
  const term = attr(node, 'term')?.trim() || trimmedText(node);
  if (!term) return undefined;
  const category: ParsedCategory = { term };
  const scheme = attr(node, 'scheme')?.trim();
  if (scheme) category.scheme = scheme;
  const label = attr(node, 'label')?.trim();
  if (label) category.label = label;
  return category;
}

/** The scheme feedparser and Apple use for iTunes categories. */
const ITUNES_SCHEME = 'http://www.itunes.com/';
/** Media RSS's default category scheme (Media RSS 1.5.1, media:category). */
const MEDIA_CATEGORY_SCHEME = 'http://search.yahoo.com/mrss/category_schema';

/** Comma-separated itunes:keywords as terms. */
function keywordList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((k) => k.trim()).filter((k) => k !== '');
}

/** An itunes:category (its `text`) and the subcategories nested in it, in document order. */
function addItunesCategories(list: ParsedCategory[], node: XmlNode): void {
  const term = attr(node, 'text')?.trim();
  if (term) list.push({ term, scheme: ITUNES_SCHEME });
  for (const c of node.children) {
    if (typeof c !== 'string' && c.uri === ITUNES && c.local === 'category') addItunesCategories(list, c);
  }
}

/** A media:category: its text is the term; `scheme` defaults to the Media RSS one; `label` is kept. */
function mediaCategory(node: XmlNode): ParsedCategory | undefined {
  const term = trimmedText(node);
  if (term === undefined) return undefined;
  const category: ParsedCategory = { term, scheme: attr(node, 'scheme')?.trim() || MEDIA_CATEGORY_SCHEME };
  const label = attr(node, 'label')?.trim();
  if (label) category.label = label;
  return category;
}

/** An xhtml:body (or RSS `<body>`) element as an xhtml text construct. */
export function xhtmlBody(node: XmlNode, lang: string | undefined): ParsedFeed['title'] {
  const value = innerXml(node);
  if (value.trim() === '') return undefined;
  const text: NonNullable<ParsedFeed['title']> = { value, type: 'xhtml' };
  if (node.base !== undefined) text.base = node.base;
  const l = node.lang ?? lang;
  if (l) text.lang = l; // '' is xml:lang="": no language
  return text;
}

/** Fallbacks a feed collects from extension elements, used where the format's own elements say nothing. */
export interface FeedFallbacks {
  title?: ParsedFeed['title'];
  subtitle?: ParsedFeed['subtitle'];
  rights?: ParsedFeed['rights'];
  updated?: string;
  lang?: string;
  image?: string;
}

/** Applies a feed-level extension element (dc:*, itunes:*, atom:link, media:thumbnail). False when unknown. */
export function applyFeedExtension(feed: ParsedFeed, fb: FeedFallbacks, node: XmlNode): boolean {
  if (node.uri === ATOM10 && node.local === 'link') {
    const link = atomLink(node);
    if (link) addFeedLink(feed, link);
    return true;
  }
  if (node.uri === DC || node.uri === DCTERMS) {
    switch (node.local) {
      case 'creator': case 'publisher': case 'author': { const s = trimmedText(node); if (s !== undefined) addPerson(feed.authors, parseAuthorString(s)); return true; }
      case 'date': case 'modified': fb.updated ??= trimmedText(node); return true;
      case 'language': fb.lang ??= trimmedText(node); return true;
      case 'rights': fb.rights ??= plainText(node, undefined, 'trim'); return true;
      case 'title': fb.title ??= titleText(node); return true;
      case 'description': fb.subtitle ??= plainText(node, undefined, 'trim'); return true;
      default: return false;
    }
  }
  if (node.uri === ITUNES) {
    switch (node.local) {
      case 'author': { const s = trimmedText(node); if (s !== undefined) addPerson(feed.authors, { name: s }); return true; }
      case 'image': fb.image ??= urlAttr(node, 'href') ?? urlAttr(node, 'url'); return true;
      case 'summary': case 'subtitle': fb.subtitle ??= plainText(node, undefined, 'trim'); return true;
      default: return false;
    }
  }
  if (node.uri === MEDIA && node.local === 'thumbnail') {
    fb.image ??= urlAttr(node, 'url');
    return true;
  }
  return false;
}

/** Records a feed-level link: rel=hub sets the hub, the first alternate the feed link. */
export function addFeedLink(feed: ParsedFeed, link: NonNullable<ReturnType<typeof atomLink>>): void {
  feed.links.push(link);
  const rel = link.rel ?? 'alternate';
  if (rel === 'hub') feed.hub ??= link.href;
}
