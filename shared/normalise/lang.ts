/** Language tags: whatever a feed wrote in xml:lang / <language>, as a BCP 47 tag with standard casing. */
import { CODE_ALIASES, ISO_639_1, LANGUAGE_NAMES, NO_LANGUAGE } from './lang-names';

/** Subtag kinds in the order RFC 5646 allows them after the language: script, region, variants. */
const SCRIPT = /^[a-z]{4}$/;
const REGION = /^(?:[a-z]{2}|\d{3})$/;
const VARIANT = /^(?:[a-z0-9]{5,8}|\d[a-z0-9]{3})$/;

/** Spellings already normalised, and what they gave (at most KNOWN_LIMIT, each at most KNOWN_MAX_LENGTH long). */
const KNOWN = new Map<string, string | undefined>();
const KNOWN_LIMIT = 1_000;
const KNOWN_MAX_LENGTH = 64;

/** The primary language subtag in BCP 47 spelling, or undefined when it is not a plausible one. */
function primaryLanguage(subtag: string): string | undefined {
  const lower = subtag.toLowerCase();
  const alias = CODE_ALIASES[lower];
  if (alias) return alias;
  if (/^[a-z]{2}$/.test(lower)) return ISO_639_1.has(lower) ? lower : undefined;
  if (/^[a-z]{3}$/.test(lower)) return NO_LANGUAGE.has(lower) ? undefined : lower;
  return undefined;
}

/**
 * A BCP 47 tag with standard casing (`en-US`, `de`, `zh-Hant-TW`): language lower-case, script
 * title-case, region upper-case. Accepts POSIX locales (`en_us.UTF-8`), Accept-Language lists (first
 * entry) and common language names (`English`). Undefined when nothing plausible is there.
 */
export function normaliseLang(raw?: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Every entry of a feed repeats the feed's few spellings: remember them (a bounded table).
  if (raw.length > KNOWN_MAX_LENGTH) return languageTagOf(raw);
  if (KNOWN.has(raw)) return KNOWN.get(raw);
  const tag = languageTagOf(raw);
  if (KNOWN.size >= KNOWN_LIMIT) KNOWN.clear();
  KNOWN.set(raw, tag);
  return tag;
}

/** normaliseLang without the table. */
function languageTagOf(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  const named = LANGUAGE_NAMES[trimmed.toLowerCase().replace(/\s*\(.*\)\s*$/, '')];
  if (named) return named;
  const first = trimmed.split(/[,;\s]/)[0] ?? '';
  const tag = first.replace(/[.@].*$/, '').replace(/_/g, '-');
  const subtags = tag.split('-');
  const language = primaryLanguage(subtags[0] ?? '');
  if (!language) return undefined;
  const out = [language];
  let stage = 0; // 1 after a script, 2 after a region, 3 among variants
  for (const subtag of subtags.slice(1)) {
    const lower = subtag.toLowerCase();
    if (stage < 1 && SCRIPT.test(lower)) {
      out.push(lower[0]!.toUpperCase() + lower.slice(1));
      stage = 1;
    } else if (stage < 2 && REGION.test(lower)) {
      out.push(lower.toUpperCase());
      stage = 2;
    } else if (VARIANT.test(lower)) {
      out.push(lower);
      stage = 3;
    } else {
      break; // keep the well-formed prefix; drop junk, extensions and private use
    }
  }
  return out.join('-');
}
