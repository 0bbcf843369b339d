/** JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) mapped to ParsedFeed. */
import type { ParsedEnclosure, ParsedEntry, ParsedFeed, ParsedPerson, ParsedText } from '../model';
import { ParseError } from '../errors';
import { addEnclosure } from './entry-draft';
import { addPerson } from './people';
import { resolveUrl } from './urls';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty trimmed string, or undefined. */
function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** A non-negative finite number (also from a numeric string), or undefined. */
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function url(v: unknown, base: string | undefined): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : resolveUrl(s, base);
}

function text(v: unknown, type: ParsedText['type'], lang: string | undefined, base: string | undefined): ParsedText | undefined {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t: ParsedText = { value: type === 'text' ? v.trim() : v, type };
  if (base !== undefined) t.base = base;
  if (lang !== undefined) t.lang = lang;
  return t;
}

function person(v: unknown, base: string | undefined): ParsedPerson | undefined {
  if (!isObject(v)) return undefined;
  const p: ParsedPerson = {};
  const name = str(v['name']);
  if (name !== undefined) p.name = name;
  const u = url(v['url'], base);
  if (u !== undefined) {
    if (u.toLowerCase().startsWith('mailto:')) p.email = u.slice(7);
    else p.url = u;
  }
  return p.name !== undefined || p.url !== undefined || p.email !== undefined ? p : undefined;
}

/** JSON Feed 1.1 `authors`, else the 1.0 `author`. */
function people(obj: Json, base: string | undefined): ParsedPerson[] {
  const out: ParsedPerson[] = [];
  const list = Array.isArray(obj['authors']) ? obj['authors'] : obj['author'] !== undefined ? [obj['author']] : [];
  for (const a of list) addPerson(out, person(a, base));
  return out;
}

/** True when `value` looks like a JSON Feed: a version URL from jsonfeed.org or an `items` array. */
export function isJsonFeed(value: unknown): value is Json {
  if (!isObject(value)) return false;
  const version = value['version'];
  if (typeof version === 'string' && /^https?:\/\/jsonfeed\.org\/version\//i.test(version)) return true;
  return Array.isArray(value['items']);
}

/** Parses JSON Feed text; `url` (the document URL) resolves relative URLs. Throws ParseError when it is not one. */
export function parseJsonFeed(source: string, documentUrl?: string): ParsedFeed {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    throw new ParseError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isJsonFeed(value)) throw new ParseError('not a feed: JSON without a JSON Feed version or items');
  const base = str(value['feed_url']) !== undefined ? resolveUrl(str(value['feed_url']) ?? '', documentUrl) : documentUrl;
  const lang = str(value['language']);
  const feed: ParsedFeed = { format: 'json1', links: [], authors: people(value, base), entries: [], bozo: false };
  const title = text(value['title'], 'text', lang, undefined);
  if (title) feed.title = title;
  const subtitle = text(value['description'], 'text', lang, undefined);
  if (subtitle) feed.subtitle = subtitle;
  const home = url(value['home_page_url'], base);
  if (home !== undefined) {
    feed.link = home;
    feed.links.push({ href: home, rel: 'alternate', type: 'text/html' });
  }
  const self = url(value['feed_url'], documentUrl);
  if (self !== undefined) feed.links.push({ href: self, rel: 'self', type: 'application/feed+json' });
  if (lang !== undefined) feed.lang = lang;
  if (base !== undefined) feed.base = base;
  const image = url(value['icon'], base) ?? url(value['favicon'], base);
  if (image !== undefined) feed.image = image;
  if (Array.isArray(value['hubs'])) {
    for (const hub of value['hubs']) {
      const h = isObject(hub) ? url(hub['url'], base) : undefined;
      if (h !== undefined) { feed.hub = h; break; }
    }
  }
  const items = Array.isArray(value['items']) ? value['items'] : [];
  for (const item of items) if (isObject(item)) feed.entries.push(mapItem(item, base, lang, home));
  return feed;
}

function mapItem(item: Json, base: string | undefined, feedLang: string | undefined, homeBase: string | undefined): ParsedEntry {
  const lang = str(item['language']) ?? feedLang;
  const e: ParsedEntry = { links: [], authors: people(item, base), categories: [], enclosures: [] };
  const rawId = item['id'];
  const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : str(rawId);
  if (id !== undefined) e.id = id;
  const link = url(item['url'], base);
  if (link !== undefined) {
    e.link = link;
    e.links.push({ href: link, rel: 'alternate' });
  }
  const external = url(item['external_url'], base);
  if (external !== undefined) e.links.push({ href: external, rel: 'related' });
  const title = text(item['title'], 'text', lang, base);
  if (title) e.title = title;
  // JSON Feed has no xml:base: relative URLs in an item's HTML are read against the item's own page,
  // else the site's home page, else the feed URL.
  const contentBase = link ?? homeBase ?? base;
  const content = text(item['content_html'], 'html', lang, contentBase) ?? text(item['content_text'], 'text', lang, contentBase);
  if (content) e.content = content;
  const summary = text(item['summary'], 'text', lang, contentBase);
  if (summary) e.summary = summary;
  const published = str(item['date_published']);
  if (published !== undefined) e.published = published;
  const updated = str(item['date_modified']);
  if (updated !== undefined) e.updated = updated;
  if (Array.isArray(item['tags'])) {
    for (const tag of item['tags']) {
      const term = typeof tag === 'number' ? String(tag) : str(tag);
      if (term !== undefined) e.categories.push({ term });
    }
  }
  if (Array.isArray(item['attachments'])) {
    for (const a of item['attachments']) {
      if (!isObject(a)) continue;
      const u = url(a['url'], base);
      if (u === undefined) continue;
      const enc: ParsedEnclosure = { url: u };
      const type = str(a['mime_type']);
      if (type !== undefined) enc.type = type;
      const length = num(a['size_in_bytes']);
      if (length !== undefined) enc.length = Math.round(length);
      const encTitle = str(a['title']);
      if (encTitle !== undefined) enc.title = encTitle;
      const duration = num(a['duration_in_seconds']);
      if (duration !== undefined) enc.durationS = Math.round(duration);
      addEnclosure(e.enclosures, enc);
    }
  }
  const image = url(item['image'], base) ?? url(item['banner_image'], base);
  if (image !== undefined) e.image = image;
  if (base !== undefined) e.base = base;
  if (lang !== undefined) e.lang = lang;
  return e;
}
