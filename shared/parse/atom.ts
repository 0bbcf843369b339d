/** Atom 1.0 (RFC 4287) and Atom 0.3 mapped to ParsedFeed. */
import type { FeedFormat, ParsedEntry, ParsedFeed } from '../model';
import { addEntryLink, atomLink, finishDraft, newDraft } from './entry-draft';
import { addFeedLink, applyEntryExtension, applyFeedExtension, atomCategory, type FeedFallbacks } from './extensions';
import { ATOM03, ATOM10 } from './names';
import { addPerson, atomPerson } from './people';
import { atomText } from './text';
import { resolveUrl } from './urls';
import { attr, descendants, trimmedText, type XmlNode } from './xml-node';

/** Elements of the feed's Atom namespace, plus un-namespaced ones (tolerated in documents without xmlns). */
function isAtom(node: XmlNode, ns: string): boolean {
  return node.uri === ns || node.uri === '';
}

/**
 * Maps an Atom `<feed>` document (1.0 or 0.3, per `format`), or an Atom Entry Document, to a ParsedFeed.
 * `defaultLang` (HTTP Content-Language) is the language outside any xml:lang.
 */
export function mapAtom(root: XmlNode, format: FeedFormat, defaultLang?: string): ParsedFeed {
  const ns = format === 'atom03' ? ATOM03 : root.uri === ATOM03 ? ATOM03 : ATOM10;
  const feed: ParsedFeed = { format, links: [], authors: [], entries: [], bozo: false };
  const lang = root.lang ?? defaultLang;
  if (root.local === 'entry') {
    feed.entries.push(mapEntry(root, ns, lang));
    if (root.base !== undefined) feed.base = root.base;
    if (lang) feed.lang = lang;
    return feed;
  }
  const fb: FeedFallbacks = {};
  if (lang) feed.lang = lang;
  if (root.base !== undefined) feed.base = root.base;
  let logo: string | undefined;
  let icon: string | undefined;
  let modified: string | undefined;
  for (const c of root.children) {
    if (typeof c === 'string') continue;
    if (!isAtom(c, ns)) {
      applyFeedExtension(feed, fb, c);
      continue;
    }
    switch (c.local) {
      case 'title': feed.title ??= atomText(c, lang, 'trim'); break;
      case 'subtitle': case 'tagline': feed.subtitle ??= atomText(c, lang, 'keep'); break;
      case 'rights': case 'copyright': feed.rights ??= atomText(c, lang, 'trim'); break;
      case 'id': feed.id ??= trimmedText(c); break;
      case 'updated': feed.updated ??= trimmedText(c); break;
      case 'modified': modified ??= trimmedText(c); break;
      case 'link': { const link = atomLink(c); if (link) addFeedLink(feed, link); break; }
      case 'author': addPerson(feed.authors, atomPerson(c)); break;
      case 'logo': { const s = trimmedText(c); if (s !== undefined) logo ??= resolveUrl(s, c.base); break; }
      case 'icon': { const s = trimmedText(c); if (s !== undefined) icon ??= resolveUrl(s, c.base); break; }
      default: break;
    }
  }
  // Entries anywhere, so that ones swallowed by an unclosed element are still found.
  for (const entry of descendants(root, new Set([ns, '']), 'entry')) feed.entries.push(mapEntry(entry, ns, lang));
  feed.updated ??= modified ?? fb.updated;
  feed.title ??= fb.title;
  feed.subtitle ??= fb.subtitle;
  feed.rights ??= fb.rights;
  if (feed.lang === undefined && fb.lang !== undefined) feed.lang = fb.lang;
  const image = logo ?? icon ?? fb.image;
  if (image !== undefined) feed.image = image;
  const alternate = feed.links.find((l) => (l.rel ?? 'alternate') === 'alternate');
  if (alternate) feed.link = alternate.href;
  return feed;
}

/** One Atom `<entry>`. */
function mapEntry(node: XmlNode, ns: string, feedLang: string | undefined): ParsedEntry {
  const draft = newDraft(node, feedLang);
  const e = draft.entry;
  let issued: string | undefined;
  let created: string | undefined;
  let modified: string | undefined;
  for (const c of node.children) {
    if (typeof c === 'string') continue;
    if (!isAtom(c, ns)) {
      applyEntryExtension(draft, c);
      continue;
    }
    switch (c.local) {
      case 'id': e.id ??= trimmedText(c); break;
      case 'title': e.title ??= atomText(c, feedLang, 'trim'); break;
      case 'summary': e.summary ??= atomText(c, feedLang, 'keep'); break;
      case 'content': {
        const src = attr(c, 'src');
        if (src !== undefined && src.trim() !== '') {
          const link: { href: string; rel: string; type?: string } = { href: resolveUrl(src, c.base), rel: 'alternate' };
          const type = attr(c, 'type')?.trim();
          if (type) link.type = type;
          addEntryLink(draft, link);
        } else {
          e.content ??= atomText(c, feedLang, 'keep');
        }
        break;
      }
      case 'published': e.published ??= trimmedText(c); break;
      case 'issued': issued ??= trimmedText(c); break;
      case 'created': created ??= trimmedText(c); break;
      case 'updated': e.updated ??= trimmedText(c); break;
      case 'modified': modified ??= trimmedText(c); break;
      case 'link': { const link = atomLink(c); if (link) addEntryLink(draft, link); break; }
      case 'author': addPerson(e.authors, atomPerson(c)); break;
      case 'category': { const category = atomCategory(c); if (category) e.categories.push(category); break; }
      case 'source': e.origin ??= atomSource(c, ns); break;
      default: break;
    }
  }
  e.published ??= issued ?? created;
  e.updated ??= modified;
  return finishDraft(draft);
}

/** An Atom `<source>`: its title, id and alternate link. */
function atomSource(node: XmlNode, ns: string): ParsedEntry['origin'] {
  const origin: NonNullable<ParsedEntry['origin']> = {};
  for (const c of node.children) {
    if (typeof c === 'string' || !isAtom(c, ns)) continue;
    if (c.local === 'title' && origin.title === undefined) {
      const t = atomText(c, undefined, 'trim');
      if (t) origin.title = t.value;
    } else if (c.local === 'id' && origin.id === undefined) {
      const id = trimmedText(c);
      if (id !== undefined) origin.id = id;
    } else if (c.local === 'link' && origin.url === undefined) {
      const link = atomLink(c);
      if (link && (link.rel ?? 'alternate') === 'alternate') origin.url = link.href;
    }
  }
  return origin.title !== undefined || origin.id !== undefined || origin.url !== undefined ? origin : undefined;
}
