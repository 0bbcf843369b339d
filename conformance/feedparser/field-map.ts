/**
 * feedparser result paths → Tributary outputs (FIELD-MAP.md). Item fields come from the ItemDraft (the
 * normalised level); what has no item-level equivalent comes from ParsedFeed/ParsedEntry or DecodedText,
 * and HTTP-level fields from the fetch result. Fields Tributary deliberately does not keep resolve to a
 * named skip reason; a path with no mapping and no reason is a failure, so gaps show up in the report.
 */
import type { DecodedText } from '../../shared/decode';
import type { ItemDraft, ParsedEntry, ParsedFeed, ParsedLink, ParsedPerson, ParsedText, Person } from '../../shared/model';
import { htmlOf, textOf } from '../../shared/normalise';
import { parseDate, toIsoUtc } from '../../shared/normalise/dates';
import type { PipelineFailure } from '../pipeline';
import type { Resolved, TextValue } from './rows';
import { SKIP_CHANNEL_METADATA, SKIP_FIELD_FAMILIES } from './skips';

/** Everything Tributary produced for one feedparser test file. */
export interface TributaryOutput {
  decoded?: DecodedText;
  parsed?: ParsedFeed;
  drafts?: ItemDraft[];
  failure?: PipelineFailure;
  /** HTTP validators, for files served over loopback. */
  http?: { etag?: string; lastModified?: string };
}

type Parts = readonly (string | number)[];

const value = (v: unknown): Resolved => (v === undefined ? { kind: 'absent' } : { kind: 'value', value: v });
const absent = (why?: string): Resolved => ({ kind: 'absent', why });

/** Element `i` of a list, counting from the end when negative (Python indexing). */
function at<T>(list: readonly T[] | undefined, i: string | number | undefined): T | undefined {
  if (!list || typeof i !== 'number') return undefined;
  return list[i < 0 ? list.length + i : i];
}

/** feedparser's MIME names for Tributary's text-construct types. */
const MIME_OF_TYPE: Record<ParsedText['type'], string> = { text: 'text/plain', html: 'text/html', xhtml: 'application/xhtml+xml' };

/** A text construct rendered the way normalise renders item text (htmlOf/textOf). */
function rendered(t: ParsedText | undefined): TextValue | undefined {
  if (!t) return undefined;
  return { html: htmlOf(t) ?? '', text: textOf(t), type: t.type, raw: t.value };
}

function textResolved(t: TextValue | undefined): Resolved {
  return t ? { kind: 'text', text: t } : absent();
}

/** `x_detail.{value,type,language,base}` of a construct. */
function detail(t: ParsedText | undefined, render: TextValue | undefined, key: string | number | undefined): Resolved {
  if (!t) return absent();
  switch (key) {
    case 'value': return textResolved(render);
    case 'type': return value(MIME_OF_TYPE[t.type]);
    case 'language': return value(t.lang);
    case 'base': return value(t.base);
    default: return absent(`no ${String(key)} in a text construct`);
  }
}

/** feedparser's "Name (email)" author string. */
function authorString(p: Person | ParsedPerson | undefined): string | undefined {
  if (!p) return undefined;
  if (p.name && p.email) return `${p.name} (${p.email})`;
  return p.name ?? p.email;
}

function person(p: Person | ParsedPerson | undefined, key: string | number | undefined): Resolved {
  if (!p) return absent();
  if (key === undefined) return value({ name: p.name, email: p.email, href: p.url });
  return value(key === 'href' ? p.url : key === 'name' ? p.name : key === 'email' ? p.email : undefined);
}

function link(l: ParsedLink | undefined, key: string | number | undefined): Resolved {
  if (!l) return absent();
  const shaped = { href: l.href, rel: l.rel ?? 'alternate', type: l.type, title: l.title, length: l.length, hreflang: l.hreflang };
  return key === undefined ? value(shaped) : value(shaped[key as keyof typeof shaped]);
}

function isoDate(raw: string | undefined): Resolved {
  const d = parseDate(raw);
  return d ? value(toIsoUtc(d)) : absent(raw === undefined ? undefined : `unparsed ${JSON.stringify(raw)}`);
}

/** The named reason a field family is not kept, if it is one of those. */
function skipReason(scope: 'feed' | 'entry', key: string | number | undefined): string | undefined {
  if (typeof key !== 'string') return undefined;
  return SKIP_FIELD_FAMILIES.find((f) => f.scopes.includes(scope) && f.matches(key))?.reason;
}

function feedField(feed: ParsedFeed, rest: Parts): Resolved {
  const [key, a, b] = rest;
  const skipped = skipReason('feed', key);
  if (skipped) return { kind: 'skip', reason: skipped };
  switch (key) {
    case undefined: return value(feed);
    case 'title': return textResolved(rendered(feed.title));
    case 'subtitle': case 'summary': return textResolved(rendered(feed.subtitle));
    case 'rights': return textResolved(rendered(feed.rights));
    case 'title_detail': return detail(feed.title, rendered(feed.title), a);
    case 'subtitle_detail': case 'summary_detail': return detail(feed.subtitle, rendered(feed.subtitle), a);
    case 'rights_detail': return detail(feed.rights, rendered(feed.rights), a);
    case 'link': return value(feed.link);
    case 'links': return a === undefined ? value(feed.links) : link(at(feed.links, a), b);
    case 'id': return value(feed.id);
    case 'language': return value(feed.lang);
    case 'updated': return value(feed.updated);
    case 'updated_parsed': return isoDate(feed.updated);
    case 'author': return value(authorString(feed.authors[0]));
    case 'author_detail': return person(feed.authors[0], a);
    case 'authors': return a === undefined ? value(feed.authors) : person(at(feed.authors, a), b);
    case 'image': return a === 'href' || a === 'url' ? value(feed.image) : { kind: 'skip', reason: SKIP_CHANNEL_METADATA };
    case 'ttl': return value(feed.ttlMinutes === undefined ? undefined : String(feed.ttlMinutes));
    default: return absent(`no mapping for feed.${String(key)}`);
  }
}

/** feedparser's guidislink: the guid serves as the link (a permalink guid and no link of its own). */
function guidIsLink(entry: ParsedEntry): boolean {
  const ownLinks = entry.links.filter((l) => l.href !== entry.id);
  return entry.id !== undefined && entry.guidIsPermaLink !== false && (entry.link === undefined || entry.link === entry.id) && ownLinks.length === 0;
}

/** The entry's links as feedparser lists them: its link elements, with the main link first when it is not among them. */
function entryLinks(entry: ParsedEntry): ParsedLink[] {
  if (entry.link === undefined || entry.links.some((l) => l.href === entry.link) || guidIsLink(entry)) return entry.links;
  return [{ href: entry.link, rel: 'alternate' }, ...entry.links];
}

function entryField(entry: ParsedEntry, draft: ItemDraft | undefined, rest: Parts): Resolved {
  const [key, a, b] = rest;
  const skipped = skipReason('entry', key);
  if (skipped) return { kind: 'skip', reason: skipped };
  // feedparser fills summary from content when the entry has no summary.
  const summarySource = entry.summary ?? entry.content;
  const summary: TextValue | undefined = draft && summarySource
    ? { html: draft.summaryHtml ?? draft.contentHtml ?? '', text: draft.summaryText ?? draft.contentText ?? '', type: summarySource.type, raw: summarySource.value }
    : undefined;
  const content: TextValue | undefined = draft && entry.content
    ? { html: draft.contentHtml ?? '', text: draft.contentText ?? '', type: entry.content.type, raw: entry.content.value }
    : undefined;
  const title: TextValue | undefined = entry.title
    ? { html: htmlOf(entry.title) ?? '', text: draft?.title ?? textOf(entry.title), type: entry.title.type, raw: entry.title.value }
    : undefined;
  switch (key) {
    case undefined: return value(entry);
    case 'title': return textResolved(title);
    case 'title_detail': return detail(entry.title, title, a);
    case 'summary': case 'description': return textResolved(summary);
    case 'summary_detail': return detail(summarySource, summary, a);
    case 'content':
      if (a === undefined) return value(entry.content ? [entry.content] : []);
      if (a !== 0) return absent('Tributary keeps one content');
      return b === undefined ? textResolved(content) : detail(entry.content, content, b);
    case 'link': return value(draft?.url);
    case 'links': return a === undefined ? value(entryLinks(entry)) : link(at(entryLinks(entry), a), b);
    case 'id': return value(draft?.guid);
    case 'guidislink': return value(guidIsLink(entry));
    case 'published': return value(entry.published);
    case 'published_parsed': return value(draft?.published);
    case 'updated': return value(entry.updated);
    case 'updated_parsed': return value(draft?.updated);
    case 'author': return value(authorString(draft?.authors[0]));
    case 'author_detail': return person(draft?.authors[0], a);
    case 'authors': return a === undefined ? value(draft?.authors) : person(at(draft?.authors, a), b);
    case 'tags':
      if (a === undefined) return value(draft?.categories);
      // feedparser's tags keep term, scheme and label apart; Tributary's item shows a category by its label, else term.
      if (b === 'term') return value(at(entry.categories, a)?.term.trim());
      return value(at(entry.categories, a)?.[b as 'scheme' | 'label']);
    case 'enclosures': {
      if (a === undefined) return value(draft?.enclosures);
      const e = at(draft?.enclosures, a);
      if (!e) return absent();
      const shaped = { href: e.url, length: e.length, type: e.type };
      return b === undefined ? value(shaped) : value(shaped[b as keyof typeof shaped]);
    }
    case 'comments': return value(entry.comments);
    case 'image': return value(draft?.image);
    case 'language': return value(entry.lang);
    case 'source':
      if (a === 'title') return value(entry.origin?.title);
      if (a === 'link' || a === 'href') return value(entry.origin?.url);
      if (a === 'id') return value(entry.origin?.id);
      return { kind: 'skip', reason: SKIP_ENTRY_SOURCE };
    default: return absent(`no mapping for entries[].${String(key)}`);
  }
}

/** Why `entries[].source.*` beyond title/link/id is skipped. */
const SKIP_ENTRY_SOURCE = 'source-feed details beyond title/link/id: Tributary keeps only where an entry came from';

/** Canonical names of a charset label per the WHATWG Encoding Standard (Python codec names are labels too). */
export function whatwgEncoding(label: string): string {
  let name: string;
  try {
    name = new TextDecoder(label.trim()).encoding;
  } catch {
    name = label.trim().toLowerCase();
  }
  // The WHATWG gbk decoder is the gb18030 decoder; feedparser upgrades gb2312/gbk to gb18030 likewise.
  return name === 'gbk' ? 'gb18030' : name;
}

/** feedparser `version` values that name the same format as a Tributary FeedFormat. */
function sameVersion(expected: unknown, actual: string | undefined): boolean {
  if (typeof expected !== 'string' || actual === undefined) return expected === actual || expected === '';
  if (expected === 'rss') return actual.startsWith('rss'); // feedparser: RSS without a version attribute
  if (expected === 'rss091u' || expected === 'rss091n') return actual === 'rss091';
  return expected === actual;
}

/** Builds the lookup for one file's output. */
export function lookupIn(out: TributaryOutput): (parts: Parts) => Resolved {
  return (parts) => {
    const [head, ...rest] = parts;
    const failedWhy = out.failure ? `${out.failure.stage} failed: ${out.failure.name}` : undefined;
    switch (head) {
      case undefined: {
        const result: Record<string, unknown> = { bozo: undefined, feed: out.parsed, entries: out.drafts };
        if (out.http?.etag !== undefined) result.etag = out.http.etag;
        if (out.http?.lastModified !== undefined) result.modified = out.http.lastModified;
        return value(result);
      }
      case 'bozo': return value(out.failure !== undefined || out.parsed?.bozo === true || out.decoded?.mismatch === true);
      case 'bozo_exception':
        if (out.decoded?.mismatch) return value('CharacterEncodingOverride');
        return out.parsed?.bozo ? value('SAXParseException') : absent();
      case 'encoding': {
        const actual = out.decoded?.encoding;
        return actual === undefined ? absent(failedWhy) : { kind: 'value', value: actual, equals: (e) => typeof e === 'string' && whatwgEncoding(e) === whatwgEncoding(actual) };
      }
      case 'version': {
        const actual = out.parsed?.format;
        return { kind: 'value', value: actual, equals: (e) => sameVersion(e, actual) };
      }
      case 'etag': return value(out.http?.etag);
      case 'updated_parsed': case 'modified_parsed': return isoDate(out.http?.lastModified);
      case 'feed': return out.parsed ? feedField(out.parsed, rest) : absent(failedWhy);
      case 'entries': {
        if (!out.parsed) return absent(failedWhy);
        const [index, ...more] = rest;
        if (index === undefined) return value(out.drafts ?? []);
        const entry = at(out.parsed.entries, index);
        if (!entry) return absent(`no entry ${String(index)}`);
        const draftIndex = typeof index === 'number' && index < 0 ? out.parsed.entries.length + index : index;
        return entryField(entry, at(out.drafts, draftIndex), more);
      }
      default: return absent(`no mapping for ${String(head)}`);
    }
  };
}
