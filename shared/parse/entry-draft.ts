/** Building a ParsedEntry from elements in any order: core fields win over extension fallbacks. */
import type { ParsedEnclosure, ParsedEntry, ParsedLink, ParsedText } from '../model';
import { isHttpUrl, resolveUrl } from './urls';
import { attr, trimmedText, type XmlNode } from './xml-node';

/** An entry being built, with the fallbacks that only apply when no core element gave a value. */
export interface EntryDraft {
  entry: ParsedEntry;
  /** The language entry texts fall back to (the feed's). */
  lang?: string;
  fallbackTitle?: ParsedText;
  fallbackSummary?: ParsedText;
  fallbackContent?: ParsedText;
  /** feedburner:origLink: the article's own URL behind the feed's (redirecting) link. */
  origLink?: string;
  /** Atom rel=alternate link or Atom content src, for entries without a link element. */
  alternateLink?: string;
  fallbackPublished?: string;
  fallbackUpdated?: string;
  /** dc:date, a date of no stated kind: published and updated when nothing more specific says. */
  genericDate?: string;
  fallbackImage?: string;
  /** itunes:duration in seconds, applied to the entry's single enclosure when it does not say. */
  durationS?: number;
}

/** A new draft for the entry element `node`; `lang` is the feed's language, used when no xml:lang is in scope. */
export function newDraft(node: XmlNode, lang: string | undefined): EntryDraft {
  const entry: ParsedEntry = { links: [], authors: [], categories: [], enclosures: [] };
  if (node.base !== undefined) entry.base = node.base;
  const l = node.lang ?? lang;
  if (l) entry.lang = l; // '' is xml:lang="": no language
  return { entry, lang };
}

/** A non-negative integer from an attribute or text, else undefined. */
export function toInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}

/** Seconds from `3600`, `1:02:03`, `62:03` or `12.5`; undefined when not a duration. */
export function toSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t));
  if (!/^\d{1,4}(:\d{1,2}){1,2}(\.\d+)?$/.test(t)) return undefined;
  let total = 0;
  for (const part of t.split(':')) total = total * 60 + Number(part);
  return Math.round(total);
}

/** Adds an enclosure unless one with the same URL exists; then fills the fields the earlier one lacked. */
export function addEnclosure(list: ParsedEnclosure[], enc: ParsedEnclosure): void {
  if (enc.url === '') return;
  const same = list.find((e) => e.url === enc.url);
  if (!same) {
    list.push(enc);
    return;
  }
  same.type ??= enc.type;
  same.length ??= enc.length;
  same.title ??= enc.title;
  same.durationS ??= enc.durationS;
}

/**
 * An Atom link element (also atom:link in RSS), href resolved against the element's base. A link without
 * href or url attribute but with text (pre-1.0 Atom drafts wrote links RSS-style) takes its text as href.
 */
export function atomLink(node: XmlNode): ParsedLink | undefined {
  const raw = attr(node, 'href') ?? attr(node, 'url') ?? trimmedText(node);
  if (raw === undefined || raw.trim() === '') return undefined;
  const link: ParsedLink = { href: resolveUrl(raw, node.base) };
  const rel = attr(node, 'rel')?.trim();
  if (rel) link.rel = rel;
  const type = attr(node, 'type')?.trim();
  if (type) link.type = type;
  const title = attr(node, 'title')?.trim();
  if (title) link.title = title;
  const length = toInt(attr(node, 'length'));
  if (length !== undefined) link.length = length;
  const hreflang = attr(node, 'hreflang')?.trim();
  if (hreflang) link.hreflang = hreflang;
  return link;
}

/** Records an Atom-style link on the entry: enclosures for rel=enclosure, the first alternate as fallback link. */
export function addEntryLink(draft: EntryDraft, link: ParsedLink): void {
  draft.entry.links.push(link);
  const rel = link.rel ?? 'alternate';
  if (rel === 'enclosure') {
    const enc: ParsedEnclosure = { url: link.href };
    if (link.type !== undefined) enc.type = link.type;
    if (link.length !== undefined) enc.length = link.length;
    if (link.title !== undefined) enc.title = link.title;
    addEnclosure(draft.entry.enclosures, enc);
  } else if (rel === 'alternate' && draft.alternateLink === undefined) {
    draft.alternateLink = link.href;
  }
}

/**
 * The finished entry. Link: the feed's own link element, else an Atom alternate, else feedburner:origLink, else
 * the guid when it is a permalink (isPermaLink not "false") and an absolute http(s) URL. An origLink that differs
 * from the link is kept as a `rel="canonical"` link (RFC 6596: the article's preferred URL, which normalise uses).
 */
export function finishDraft(draft: EntryDraft): ParsedEntry {
  const e = draft.entry;
  e.link ??= draft.alternateLink;
  if (draft.origLink !== undefined) {
    if (e.link === undefined) e.link = draft.origLink;
    else if (draft.origLink !== e.link) e.links.push({ href: draft.origLink, rel: 'canonical' });
  }
  if (e.link === undefined && e.id !== undefined && e.guidIsPermaLink !== false && isHttpUrl(e.id)) e.link = e.id;
  e.title ??= draft.fallbackTitle;
  e.summary ??= draft.fallbackSummary;
  e.content ??= draft.fallbackContent;
  e.published ??= draft.fallbackPublished ?? draft.genericDate;
  e.updated ??= draft.fallbackUpdated ?? draft.genericDate;
  e.image ??= draft.fallbackImage;
  const only = e.enclosures.length === 1 ? e.enclosures[0] : undefined;
  if (only && draft.durationS !== undefined) only.durationS ??= draft.durationS;
  return e;
}
