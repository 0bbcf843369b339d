/** RSS 0.90, 0.91-0.94, 2.0 and RSS 1.0 (RDF) mapped to ParsedFeed. */
import type { FeedFormat, ParsedEnclosure, ParsedEntry, ParsedFeed } from '../model';
import { addEnclosure, finishDraft, newDraft, toInt } from './entry-draft';
import { applyEntryExtension, applyFeedExtension, xhtmlBody, type FeedFallbacks } from './extensions';
import { addPerson, parseAuthorString } from './people';
import { RDF, RSS090, RSS10 } from './names';
import { htmlText, plainText, titleText } from './text';
import { resolveUrl } from './urls';
import { attr, descendants, trimmedText, type XmlNode } from './xml-node';

/** The namespaces whose elements count as RSS core elements for a document with this root. */
function coreNamespaces(root: XmlNode): Set<string> {
  // RSS 0.9x/2.0 elements have no namespace; tolerate feeds that declare a default namespace on <rss>.
  return new Set(['', root.uri, RSS10, RSS090]);
}

/** The element-children of `parent` in the core namespaces named `local`. */
function coreChildren(parent: XmlNode, core: Set<string>, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of parent.children) if (typeof c !== 'string' && c.local === local && core.has(c.uri)) out.push(c);
  return out;
}

/** The RSS format name (feedparser's `version`) for an `<rss version>` attribute; absent or unknown means 2.0. */
export function rssVersion(version: string | undefined): FeedFormat {
  switch (version?.trim()) {
    case '0.90': case '0.9': return 'rss090';
    case '0.91': return 'rss091';
    case '0.92': return 'rss092';
    case '0.93': return 'rss093';
    case '0.94': return 'rss094';
    default: return 'rss20';
  }
}

/**
 * Maps an `<rss>`, `<rdf:RDF>` or bare `<channel>` document to a ParsedFeed of the given format.
 * `defaultLang` (HTTP Content-Language) applies when neither xml:lang nor a language element says.
 */
export function mapRss(root: XmlNode, format: FeedFormat, defaultLang?: string): ParsedFeed {
  const core = coreNamespaces(root);
  const channel = root.local === 'channel' ? root : coreChildren(root, core, 'channel')[0] ?? root;
  // Items anywhere: RSS 1.0 puts them beside the channel, and an unclosed element may have swallowed some.
  const items = descendants(root, core, 'item');

  const feed: ParsedFeed = { format, links: [], authors: [], entries: [], bozo: false };
  const fb: FeedFallbacks = {};
  let feedImage: string | undefined;
  let pubDate: string | undefined;
  // xml:lang="" in scope means "no language": a language element may still say.
  let lang = channel.lang || undefined;
  for (const c of channel.children) {
    if (typeof c !== 'string' && c.local === 'language' && core.has(c.uri)) lang ??= trimmedText(c);
  }
  const webMasters: ParsedFeed['authors'] = [];
  const imageHolders = channel === root ? [channel] : [channel, root];
  for (const holder of imageHolders) {
    for (const img of coreChildren(holder, core, 'image')) {
      const url = coreChildren(img, core, 'url')[0];
      const text = url ? trimmedText(url) : undefined;
      if (text !== undefined && feedImage === undefined) feedImage = resolveUrl(text, url?.base);
    }
  }

  for (const c of channel.children) {
    if (typeof c === 'string') continue;
    if (!core.has(c.uri)) {
      applyFeedExtension(feed, fb, c);
      continue;
    }
    switch (c.local) {
      case 'title': feed.title ??= titleText(c, lang); break;
      case 'link': { const s = trimmedText(c); if (s !== undefined) feed.link ??= resolveUrl(s, c.base); break; }
      case 'description': feed.subtitle ??= htmlText(c, lang); break;
      case 'copyright': feed.rights ??= plainText(c, lang, 'trim'); break;
      case 'lastbuilddate': feed.updated ??= trimmedText(c); break;
      case 'pubdate': pubDate ??= trimmedText(c); break;
      case 'managingeditor': case 'author': { const s = trimmedText(c); if (s !== undefined) addPerson(feed.authors, parseAuthorString(s)); break; }
      case 'webmaster': { const s = trimmedText(c); if (s !== undefined) addPerson(webMasters, parseAuthorString(s)); break; }
      case 'ttl': feed.ttlMinutes ??= toInt(trimmedText(c)); break;
      default: break;
    }
  }
  const about = attr(channel, 'about', RDF);
  if (about !== undefined && about.trim() !== '') feed.id = about.trim();
  feed.title ??= fb.title;
  feed.subtitle ??= fb.subtitle;
  feed.rights ??= fb.rights;
  feed.updated ??= fb.updated ?? pubDate;
  lang ??= fb.lang ?? defaultLang;
  if (lang !== undefined) feed.lang = lang;
  // The webmaster answers for the feed when no editor or author is named.
  if (feed.authors.length === 0) for (const p of webMasters) addPerson(feed.authors, p);
  const base = channel.base ?? root.base;
  if (base !== undefined) feed.base = base;
  feed.image = feedImage ?? fb.image;
  if (feed.image === undefined) delete feed.image;
  feed.link ??= feed.links.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href;
  if (feed.link === undefined) delete feed.link;

  for (const item of items) feed.entries.push(mapItem(item, core, lang));
  return feed;
}

/** One RSS `<item>`. */
function mapItem(item: XmlNode, core: Set<string>, feedLang: string | undefined): ParsedEntry {
  const draft = newDraft(item, feedLang);
  const e = draft.entry;
  for (const c of item.children) {
    if (typeof c === 'string') continue;
    if (!core.has(c.uri)) {
      applyEntryExtension(draft, c);
      continue;
    }
    switch (c.local) {
      case 'title': e.title ??= titleText(c, feedLang); break;
      case 'link': { const s = trimmedText(c); if (s !== undefined) e.link ??= resolveUrl(s, c.base); break; }
      case 'description': e.summary ??= htmlText(c, feedLang); break;
      // Pre-2.0 full-content elements: <body> holds XHTML (like xhtml:body), <fullitem> escaped HTML.
      case 'body': draft.fallbackContent ??= xhtmlBody(c, feedLang); break;
      case 'fullitem': draft.fallbackContent ??= htmlText(c, feedLang); break;
      case 'guid': {
        const id = trimmedText(c);
        if (id === undefined || e.id !== undefined) break;
        e.id = id;
        const perma = attr(c, 'ispermalink')?.trim().toLowerCase();
        if (perma === 'false') e.guidIsPermaLink = false;
        else if (perma === 'true') e.guidIsPermaLink = true;
        break;
      }
      case 'pubdate': e.published ??= trimmedText(c); break;
      case 'author': { const s = trimmedText(c); if (s !== undefined) addPerson(e.authors, parseAuthorString(s)); break; }
      case 'category': {
        const term = trimmedText(c);
        if (term === undefined) break;
        const domain = attr(c, 'domain')?.trim();
        e.categories.push(domain ? { term, scheme: domain } : { term });
        break;
      }
      case 'enclosure': { const enc = rssEnclosure(c); if (enc) addEnclosure(e.enclosures, enc); break; }
      case 'comments': { const s = trimmedText(c); if (s !== undefined) e.comments ??= resolveUrl(s, c.base); break; }
      case 'source': {
        const origin: NonNullable<ParsedEntry['origin']> = {};
        const title = trimmedText(c);
        if (title !== undefined) origin.title = title;
        const url = attr(c, 'url');
        if (url !== undefined && url.trim() !== '') origin.url = resolveUrl(url, c.base);
        if (origin.title !== undefined || origin.url !== undefined) e.origin ??= origin;
        break;
      }
      default: break;
    }
  }
  if (e.id === undefined) {
    const about = attr(item, 'about', RDF)?.trim();
    if (about) e.id = about;
  }
  return finishDraft(draft);
}

/** An RSS `<enclosure url length type>`, url resolved. */
function rssEnclosure(node: XmlNode): ParsedEnclosure | undefined {
  const url = attr(node, 'url') ?? attr(node, 'href');
  if (url === undefined || url.trim() === '') return undefined;
  const enc: ParsedEnclosure = { url: resolveUrl(url, node.base) };
  const type = attr(node, 'type')?.trim();
  if (type) enc.type = type;
  const length = toInt(attr(node, 'length'));
  if (length !== undefined && length > 0) enc.length = length;
  return enc;
}
