/**
 * Story signatures for near-duplicate detection: MinHash over word 3-shingles of the normalised
 * title and body, the exact shingle count (to turn the Jaccard estimate into containment, so a teaser
 * matches its full story), and LSH band keys — the only keys a new item looks up.
 */
import { englishPart, normaliseBody, normaliseTitle, storyTokens } from './normalise';

/** Number of MinHash values kept per story. */
export const MINHASH_SIZE = 128;
/** Words per shingle. */
export const SHINGLE_WORDS = 3;
/** Full-text LSH: bands × rows over the first bands·rows MinHash values (P(candidate) ≈ 0.74 at J = 0.5, 0.99 at J = 0.7). */
export const FULL_BANDS = 10;
/** Rows per full-text band. */
export const FULL_ROWS = 3;
/** Tokens of the body's opening used for the lead signature (a teaser shares its story's opening). */
export const LEAD_TOKENS = 16;
/** Lead LSH: bands × rows over a separate MinHash of the lead's shingles. */
export const LEAD_BANDS = 3;
/** Rows per lead band. */
export const LEAD_ROWS = 3;

/** What `storySignature` returns: compact, JSON-safe, enough to compare two stories. */
export interface StorySignature {
  /** MinHash of the shingle set (unsigned 32-bit values). */
  minhash: number[];
  /** Number of distinct shingles in the set. */
  size: number;
  /** LSH band keys to look up and to store the story under (empty when the text has no words). */
  bands: string[];
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's 32-bit finaliser: a bijective mix. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fixed per-permutation seeds (deterministic across processes and releases). */
const SEEDS: readonly number[] = Array.from({ length: MINHASH_SIZE }, (_, i) => fmix32(0x9e3779b9 + Math.imul(i + 1, 0x7feb352d)));

/** The distinct word shingles of a token list (a shorter list is one shingle). */
export function shingles(tokens: readonly string[], width = SHINGLE_WORDS): Set<string> {
  const out = new Set<string>();
  if (tokens.length === 0) return out;
  const last = Math.max(1, tokens.length - width + 1);
  for (let i = 0; i < last; i++) out.add(tokens.slice(i, i + width).join(' '));
  return out;
}

/** MinHash of a shingle set with `count` permutations (all 0xffffffff for an empty set). */
export function minhashOf(set: ReadonlySet<string>, count = MINHASH_SIZE): number[] {
  const mins = new Array<number>(count).fill(0xffffffff);
  for (const s of set) {
    const base = fnv1a(s);
    for (let i = 0; i < count; i++) {
      const v = fmix32(base ^ SEEDS[i]!);
      if (v < mins[i]!) mins[i] = v;
    }
  }
  return mins;
}

/** Band keys: `${prefix}${band}:${hash of the band's rows}`. */
function bandKeys(prefix: string, values: readonly number[], bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let b = 0; b < bands; b++) {
    const row = values.slice(b * rows, b * rows + rows).map((v) => v.toString(16)).join('.');
    keys.push(`${prefix}${b}:${fnv1a(row).toString(16).padStart(8, '0')}`);
  }
  return keys;
}

/** Normalised title and body tokens; for an other-language item only its English part when it has one. */
export function storyParts(title: string, text: string, lang?: string): { titleTokens: string[]; bodyTokens: string[] } {
  const foreign = lang !== undefined && lang.trim() !== '' && !/^en\b/i.test(lang.trim());
  if (foreign) {
    const english = englishPart(`${title}\n${text}`);
    if (english) return { titleTokens: [], bodyTokens: storyTokens(normaliseBody(english)) };
  }
  return { titleTokens: storyTokens(normaliseTitle(title)), bodyTokens: storyTokens(normaliseBody(text)) };
}

/** The signature of a story from its title and text (feed or extracted), with the item's language if known. */
export function storySignature(title: string, text: string, lang?: string): StorySignature {
  const { titleTokens, bodyTokens } = storyParts(title, text, lang);
  const set = shingles(titleTokens);
  for (const s of shingles(bodyTokens)) set.add(s);
  if (set.size === 0) return { minhash: minhashOf(set), size: 0, bands: [] };
  const minhash = minhashOf(set);
  const bands = bandKeys('f', minhash, FULL_BANDS, FULL_ROWS);
  const leadSource = bodyTokens.length >= LEAD_TOKENS ? bodyTokens.slice(0, LEAD_TOKENS) : undefined;
  if (leadSource) bands.push(...bandKeys('l', minhashOf(shingles(leadSource), LEAD_BANDS * LEAD_ROWS), LEAD_BANDS, LEAD_ROWS));
  return { minhash, size: set.size, bands };
}
