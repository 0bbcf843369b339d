/** The normalise stage: a parsed feed's entries → ItemDraft values (pure, no I/O). */
import type { ItemDraft, ParsedEntry, ParsedFeed, ParsedLink, ParsedText } from '../model';
import { normaliseAuthors, normaliseCategories, normaliseDate, normaliseEnclosures } from './fields';
import { sha256Hex } from '../ids';
import { contentHashOf } from './hash';
import { normaliseLang } from './lang';
import { NORMALISE_LIMITS } from './limits';
import { sanitizeHtmlWithText } from './sanitize';
import { collapseWhitespace, textOf, textToHtml, tidyText } from './text';
import { cutAtTagBoundary, truncateHtml, truncateText } from './truncate';
import { absoluteHttpUrl, canonicalUrl } from './url';

/** Where the entries come from and when they were fetched. */
export interface NormaliseContext {
  sourceId: string;
  /** The URL the feed was fetched from: the base for relative links when the entry has none. */
  feedUrl: string;
  /** Dates after this are clamped to it. */
  fetchedAt: Date;
  /** Entries taken, in feed order (default NORMALISE_LIMITS.maxItems). */
  maxItems?: number;
}

/** Sanitised HTML of a text construct and its plain text, before any length limit. */
interface Rendered {
  html: string;
  text: string;
}

/** A text construct already rendered: its type, base and value, and the result. */
interface RenderedText {
  type: ParsedText['type'];
  base: string | undefined;
  value: string;
  rendered: Rendered;
}

/**
 * Text constructs already rendered within one feed, by value length and then compared whole, so that a text the
 * feed repeats is sanitised once. (Bucketed by length, not hashed: hashing reads every long value in full.)
 */
export type RenderCache = Map<number, RenderedText[]>;

/** Texts of one length kept for reuse at most: bounds the comparisons per text when many lengths coincide. */
const SAME_LENGTH_KEPT = 8;

function render(t: ParsedText, cache: RenderCache): Rendered {
  let sameLength = cache.get(t.value.length);
  if (!sameLength) {
    sameLength = [];
    cache.set(t.value.length, sameLength);
  }
  for (const seen of sameLength) {
    if (seen.value === t.value && seen.type === t.type && seen.base === t.base) return seen.rendered;
  }
  let rendered: Rendered;
  if (t.type === 'text') {
    const text = tidyText(t.value);
    rendered = { html: textToHtml(text), text };
  } else {
    rendered = sanitizeHtmlWithText(cutAtTagBoundary(t.value, NORMALISE_LIMITS.rawHtmlInput), t.base);
  }
  if (sameLength.length < SAME_LENGTH_KEPT) sameLength.push({ type: t.type, base: t.base, value: t.value, rendered });
  return rendered;
}

/** The sanitised HTML and text of a summary or content, each cut to its limit; undefined when empty. */
function renderLimited(
  t: ParsedText | undefined, htmlMax: number, textMax: number, cache: RenderCache,
): { html?: string; text?: string; fullText: string } {
  if (!t || !/\S/.test(t.value)) return { fullText: '' };
  const { html, text } = render(t, cache);
  return {
    html: html.trim() === '' ? undefined : truncateHtml(html, htmlMax),
    text: text === '' ? undefined : truncateText(text, textMax),
    fullText: text,
  };
}

function isAbsoluteHttp(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/**
 * The entry's canonical link: a `rel="canonical"` link (RFC 6596, e.g. FeedBurner's origLink behind its redirect),
 * else its link, else its first alternate link, else a permalink guid.
 */
function entryUrl(entry: ParsedEntry, guid: string | undefined, base: string): string | undefined {
  const rel = (l: ParsedLink): string => l.rel?.trim().toLowerCase() || 'alternate';
  const candidates: (string | undefined)[] = entry.links.filter((l) => rel(l) === 'canonical').map((l) => l.href);
  candidates.push(entry.link);
  for (const link of entry.links) if (rel(link) === 'alternate') candidates.push(link.href);
  if (guid && entry.guidIsPermaLink !== false && isAbsoluteHttp(guid)) candidates.push(guid);
  for (const candidate of candidates) {
    const url = canonicalUrl(candidate, base);
    if (url) return url;
  }
  return undefined;
}

/** The raw markup the feed gave (content, else summary) when it is HTML or XHTML. */
export function rawHtmlOf(entry: ParsedEntry): string | undefined {
  for (const t of [entry.content, entry.summary]) {
    if (t && t.type !== 'text' && /\S/.test(t.value)) return t.value;
  }
  return undefined;
}

/** An entry's identity as normaliseEntry gives it (trimmed guid, canonical link), without rendering its texts. */
export function entryIdentity(entry: ParsedEntry, ctx: Pick<NormaliseContext, 'sourceId' | 'feedUrl'>): { sourceId: string; guid?: string; url?: string } {
  const guid = entry.id?.trim() || undefined;
  const url = entryUrl(entry, guid, entry.base ?? ctx.feedUrl);
  return { sourceId: ctx.sourceId, ...(guid ? { guid } : {}), ...(url ? { url } : {}) };
}

/**
 * The version of what normaliseEntry makes of an entry: part of every entry fingerprint, so bumping
 * it (whenever the same entry would now normalise differently) has every entry normalised and
 * compared with its item once more on its feed's next change.
 */
export const NORMALISED_FORM_VERSION = 1;

/**
 * A fingerprint (16 hex digits) of everything normaliseEntry reads from an entry, its feed and the
 * context, the fetch time aside: an entry whose fingerprint is unchanged normalises to the same
 * draft (a future date is clamped to the first fetch that saw it), so it need not be normalised
 * again. Computed on the parsed entry, for about a third of the work of normalising it: the long
 * markup values are hashed as they are (length-prefixed), not escaped into the JSON of the rest.
 */
export function entryFingerprint(entry: ParsedEntry, feed: ParsedFeed, ctx: Pick<NormaliseContext, 'sourceId' | 'feedUrl'>): string {
  const { summary, content, ...rest } = entry;
  const head = JSON.stringify([NORMALISED_FORM_VERSION, ctx.sourceId, ctx.feedUrl, feed.base ?? null, feed.lang ?? null, feed.authors, rest, summary ? { ...summary, value: 0 } : null, content ? { ...content, value: 0 } : null]);
  // A JSON text holds no raw NUL, so the head ends at the first one; the lengths delimit the values.
  return sha256Hex(`${head}\u0000${summary?.value.length ?? -1}:${summary?.value ?? ''}${content?.value.length ?? -1}:${content?.value ?? ''}`).slice(0, 16);
}

/** The entries normaliseFeed takes: up to ctx.maxItems, in feed order. */
export function entriesToNormalise(feed: ParsedFeed, ctx: NormaliseContext): ParsedEntry[] {
  const requested = ctx.maxItems ?? NORMALISE_LIMITS.maxItems;
  const max = Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : NORMALISE_LIMITS.maxItems;
  return feed.entries.slice(0, max);
}

/** One entry as an ItemDraft. */
export function normaliseEntry(
  entry: ParsedEntry, feed: ParsedFeed, ctx: NormaliseContext, cache: RenderCache = new Map(),
): ItemDraft {
  const base = entry.base ?? ctx.feedUrl;
  const { guid, url } = entryIdentity(entry, ctx);
  const summary = renderLimited(
    entry.summary, NORMALISE_LIMITS.summaryHtml, NORMALISE_LIMITS.summaryText, cache);
  const content = renderLimited(
    entry.content, NORMALISE_LIMITS.contentHtml, NORMALISE_LIMITS.contentText, cache);
  let title = truncateText(textOf(entry.title), NORMALISE_LIMITS.title);
  if (title === '') {
    const body = collapseWhitespace(summary.fullText || content.fullText);
    title = truncateText(body, NORMALISE_LIMITS.derivedTitle);
  }
  let authors = normaliseAuthors(entry.authors, base);
  if (authors.length === 0) authors = normaliseAuthors(feed.authors, feed.base ?? ctx.feedUrl);
  const categories = normaliseCategories(entry.categories, NORMALISE_LIMITS.categories);
  const enclosures = normaliseEnclosures(entry.enclosures, base);
  const published = normaliseDate(entry.published, ctx.fetchedAt);
  const updated = normaliseDate(entry.updated, ctx.fetchedAt);
  const image = absoluteHttpUrl(entry.image, base);
  const lang = normaliseLang(entry.lang) ?? normaliseLang(feed.lang);
  const rawHtml = rawHtmlOf(entry);

  const draft: ItemDraft = { sourceId: ctx.sourceId, title, authors, categories, enclosures, contentHash: '' };
  if (guid) draft.guid = guid;
  if (url) draft.url = url;
  if (summary.html) draft.summaryHtml = summary.html;
  if (summary.text) draft.summaryText = summary.text;
  if (content.html) draft.contentHtml = content.html;
  if (content.text) draft.contentText = content.text;
  if (image) draft.image = image;
  if (published) draft.published = published;
  if (updated) draft.updated = updated;
  if (lang) draft.lang = lang;
  if (rawHtml !== undefined) draft.rawHtml = rawHtml;
  draft.contentHash = contentHashOf(draft);
  return draft;
}

/** The feed's entries (up to ctx.maxItems, in feed order) as ItemDrafts. */
export function normaliseFeed(feed: ParsedFeed, ctx: NormaliseContext): ItemDraft[] {
  const cache: RenderCache = new Map();
  return entriesToNormalise(feed, ctx).map((entry) => normaliseEntry(entry, feed, ctx, cache));
}
