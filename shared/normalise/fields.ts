/** Normalising an entry's lists and dates: authors, categories, enclosures, published/updated. */
import type { Enclosure, ParsedCategory, ParsedEnclosure, ParsedPerson, Person } from '../model';
import { parseDate, toIsoUtc } from './dates';
import { collapseWhitespace } from './text';
import { absoluteHttpUrl, canonicalUrl } from './url';

/** Dates before this are placeholders (epoch 0, 1900, "0001-01-01"), not real publication dates. */
export const EARLIEST_PLAUSIBLE_DATE = Date.UTC(1990, 0, 1);

/**
 * A raw feed date as UTC ISO 8601: dates after `fetchedAt` are clamped to it, dates before
 * EARLIEST_PLAUSIBLE_DATE and unparseable ones give undefined.
 */
export function normaliseDate(raw: string | undefined, fetchedAt: Date): string | undefined {
  const date = parseDate(raw);
  if (!date) return undefined;
  const time = date.getTime();
  if (!Number.isFinite(time) || time < EARLIEST_PLAUSIBLE_DATE) return undefined;
  return toIsoUtc(time > fetchedAt.getTime() ? fetchedAt : date);
}

function trimmed(s: string | undefined): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = collapseWhitespace(s);
  return t === '' ? undefined : t;
}

/** People trimmed, empty ones dropped, duplicates (same name, e-mail and URL, any case) removed. */
export function normaliseAuthors(people: readonly ParsedPerson[], base?: string): Person[] {
  const out: Person[] = [];
  const seen = new Set<string>();
  for (const p of people) {
    const name = trimmed(p.name);
    const email = trimmed(p.email)?.replace(/^mailto:/i, '');
    const url = absoluteHttpUrl(p.url, base);
    if (!name && !email && !url) continue;
    const key = JSON.stringify([name?.toLowerCase(), email?.toLowerCase(), url]);
    if (seen.has(key)) continue;
    seen.add(key);
    const person: Person = {};
    if (name) person.name = name;
    if (email) person.email = email;
    if (url) person.url = url;
    out.push(person);
  }
  return out;
}

/**
 * Category names trimmed, deduplicated case-insensitively (first spelling kept), at most `max`. A category's name
 * is its label when it has one, else its term: Atom's label (RFC 4287 §4.2.2.3) and Media RSS's are "for display
 * in end-user applications", while a term may be an identifier meaningful only within its scheme.
 */
export function normaliseCategories(categories: readonly ParsedCategory[], max: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of categories) {
    if (out.length >= max) break;
    const name = trimmed(c.label) ?? trimmed(c.term);
    if (!name) continue;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

function nonNegativeInteger(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function nonNegativeNumber(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Enclosures with absolute http(s) URLs only, deduplicated by canonical URL (a later duplicate only
 * fills in fields the first lacked); length kept when it is a non-negative integer.
 */
export function normaliseEnclosures(enclosures: readonly ParsedEnclosure[], base?: string): Enclosure[] {
  const byKey = new Map<string, Enclosure>();
  for (const e of enclosures) {
    const url = absoluteHttpUrl(e.url, base);
    if (!url) continue;
    const key = canonicalUrl(url) ?? url;
    const found = byKey.get(key) ?? { url };
    const type = trimmed(e.type)?.toLowerCase();
    const length = nonNegativeInteger(e.length);
    const title = trimmed(e.title);
    const durationS = nonNegativeNumber(e.durationS);
    if (found.type === undefined && type) found.type = type;
    if (found.length === undefined && length !== undefined) found.length = length;
    if (found.title === undefined && title) found.title = title;
    if (found.durationS === undefined && durationS !== undefined) found.durationS = durationS;
    byKey.set(key, found);
  }
  return [...byKey.values()];
}
