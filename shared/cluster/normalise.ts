/**
 * Text normalisation for story matching: what survives the way outlets republish wire copy. Titles
 * lose desk prefixes ("UPDATE 2-", "EXCLUSIVE:", "Syria: ") and outlet suffixes (" | Reuters");
 * bodies lose URLs, credit and copyright lines, "Read more at …" / "originally appeared on …" tails;
 * quotes, dashes and widths are unified; tokens are lower-case runs of letters and digits.
 */
import { wordTokens } from './tokenise';

/** Desk and wire prefixes repeated at the start of a title. */
const DESK_PREFIX = /^\s*(?:(?:update|updated|corrected|correction|refile|rpt|repeat|wrapup|insight|analysis|exclusive|breaking(?: news)?|urgent|just in|watch|video|live|factbox|explainer|opinion|pictures|photos|new|flash)\s*\d*\s*[-:|–—]+\s*)+/i;

/** A place or topic label before a colon: "Syria: ", "New York: ", "Storm Babet: ". */
const LABEL_PREFIX = /^\s*[\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*){0,2}\s*:\s+(?=\S)/u;

/** An outlet name after a separator at the end: " | Reuters", " - BBC News", " — The Guardian". */
const OUTLET_SUFFIX = /\s+[|–—-]\s+[^|–—-]{2,40}$/;

/** The title without desk prefixes, a place label or an outlet suffix. */
export function normaliseTitle(title: string): string {
  let t = unifyCharacters(title).replace(/\s+/g, ' ').trim();
  t = t.replace(DESK_PREFIX, '');
  t = t.replace(LABEL_PREFIX, '').replace(DESK_PREFIX, '');
  const suffix = OUTLET_SUFFIX.exec(t);
  if (suffix && suffix[0].trim().split(/\s+/).length <= 5 && t.length - suffix[0].length >= 20) t = t.slice(0, suffix.index);
  return t.trim();
}

/** Anything but ASCII without the backtick and C1 controls (NFKC leaves those as they are and nothing below replaces them). */
const NEEDS_UNIFYING = /[^\x00-\x5f\x61-\x9f]/;
/** Any character that `unifyCharacters` removes or replaces after NFKC. */
const UNIFIED_CHARACTER = /[\u200b-\u200d\u2060\ufeff\u00ad‘’‚‛′`´“”„‟″«»‐‑‒–—―−\u00a0]/;

/** Curly quotes, primes, dashes and compatibility forms unified; zero-width characters removed. */
export function unifyCharacters(text: string): string {
  if (!NEEDS_UNIFYING.test(text)) return text;
  const normal = text.normalize('NFKC');
  if (!UNIFIED_CHARACTER.test(normal)) return normal;
  return normal
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\u00a0/g, ' ');
}

/** "Jane Doe contributed to this report", "Ann Lee reported from Kyiv": costly to try, so tried only after CREDIT_HINT finds its phrase. */
const CREDIT_LINE = /^\(?(?:[\p{Lu}][\p{L}&.]*\s*){1,4}(?:contributed to this report|reported from)/iu;
/** The phrases CREDIT_LINE ends with, anywhere (same flags): a sentence without them cannot be a credit line. */
const CREDIT_HINT = /contributed to this report|reported from/iu;

/** True when a sentence is boilerplate. */
function isBoilerplate(sentence: string): boolean {
  for (const re of BOILERPLATE_SENTENCE) {
    if (re === CREDIT_LINE ? CREDIT_HINT.test(sentence) && CREDIT_LINE.test(sentence) : re.test(sentence)) return true;
  }
  return false;
}

/** Sentences and lines that outlets add around copy they republish. */
const BOILERPLATE_SENTENCE: readonly RegExp[] = [
  /^\(?\s*(?:reporting|additional reporting|writing|editing|compiled|produced|research|graphics?) by\b/i,
  /^(?:©|\(c\)|copyright\b)/i,
  /^all rights reserved/i,
  /^(?:read (?:more|the full story|the original article) (?:at|on|here)|read more\b|continue reading|click here|more at\b)/i,
  /^this (?:article|story|post|piece) (?:was )?(?:originally |first )?(?:appeared|published|ran)\b/i,
  /^(?:originally published|first published|source)\s*(?:at|on|in|by|:)/i,
  /^(?:follow us|sign up|subscribe|share this|like us on|download our app|get the latest)\b/i,
  CREDIT_LINE,
  /^(?:photo|image|picture)s?(?: credit)?\s*:/i,
];

/** URLs and bare domains-with-paths (tracking links included). */
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;

/** A wire dateline opening the copy: "LONDON (Reuters) - ", "PARIS, March 3 (AFP) — ". */
const DATELINE = /^\s*[\p{Lu}][\p{Lu} .'-]{1,30}(?:,\s*[\p{Lu}][\p{L}.]+){0,2}(?:,\s*\p{L}+\.? \d{1,2})?\s*(?:\([^)]{1,30}\))?\s*-+\s+/u;

/** Body text without a dateline, URLs and boilerplate sentences, characters unified. */
export function normaliseBody(text: string): string {
  const unified = unifyCharacters(text).replace(URL_RE, ' ').replace(DATELINE, '');
  const sentences = unified.split(/(?<=[.!?])\s+(?=[\p{Lu}"'(©])|\n+/u);
  return sentences
    .map((s) => s.trim())
    .filter((s) => s !== '' && !isBoilerplate(s))
    .join('\n');
}

/** Lower-case tokens: maximal runs of Unicode letters and digits (apostrophes inside words dropped). */
export function storyTokens(text: string): string[] {
  return wordTokens(unifyCharacters(text).toLowerCase());
}

/** English function words, for finding the English part of an other-language item. */
const ENGLISH_FUNCTION_WORDS = new Set([
  'the', 'and', 'of', 'to', 'is', 'was', 'for', 'that', 'with', 'said', 'are', 'has', 'have', 'were', 'by',
  'from', 'at', 'on', 'it', 'this', 'be', 'will', 'after', 'their', 'who', 'which', 'its', 'been', 'had',
  'not', 'but', 'they', 'he', 'she', 'his', 'her', 'we', 'would', 'could', 'more', 'than', 'into', 'over',
  'a', 'an', 'in', 'as', 'about', 'without', 'up', 'out', 'before', 'when', 'also', 'while', 'where', 'there',
]);

/** True when a sentence reads as English: at least 5 tokens, 15% of them English function words. */
export function looksEnglish(sentence: string): boolean {
  const tokens = storyTokens(sentence);
  if (tokens.length < 5) return false;
  const hits = tokens.filter((t) => ENGLISH_FUNCTION_WORDS.has(t)).length;
  return hits / tokens.length >= 0.15;
}

/** The English sentences of a text, or undefined when fewer than 12 English tokens are there. */
export function englishPart(text: string): string | undefined {
  const english = text.split(/(?<=[.!?"])\s+|\n+/).filter(looksEnglish);
  const joined = english.join('\n');
  return storyTokens(joined).length >= 12 ? joined : undefined;
}
