/**
 * Story signatures for near-duplicate detection: MinHash over word 3-shingles of the normalised
 * title and body, the exact shingle count (to turn the Jaccard estimate into containment, so a teaser
 * matches its full story), and LSH band keys — the only keys a new item looks up.
 */
import { fnv1a, minhashOfHashes, shingleHashes } from './minhash';
import { englishPart, normaliseBody, normaliseTitle, storyTokens } from './normalise';

/** FNV-1a 32-bit hash of a string. */
export { fnv1a };

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
  const hashes = new Int32Array(set.size);
  let n = 0;
  for (const s of set) hashes[n++] = fnv1a(s) | 0;
  return minhashOfHashes(hashes, n, count);
}

/** Lower-case hex digit codes, and the two-digit hex of every byte. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** FNV-1a state `h` after feeding `v.toString(16)` (v unsigned 32-bit). */
function fnvFeedHex(h: number, v: number): number {
  let shift = 28;
  while (shift > 0 && v >>> shift === 0) shift -= 4;
  for (; shift >= 0; shift -= 4) h = Math.imul(h ^ HEX_CODES[(v >>> shift) & 15]!, 0x01000193);
  return h;
}

/** Band keys: `${prefix}${band}:${hash of the band's rows}`, the hash being FNV-1a of the rows' hex joined by "." (as 8 hex digits). */
function bandKeys(prefix: string, values: readonly number[], bands: number, rows: number, keys: string[] = []): string[] {
  for (let b = 0; b < bands; b++) {
    let h = 0x811c9dc5 | 0;
    const end = Math.min(values.length, b * rows + rows);
    for (let r = b * rows; r < end; r++) {
      if (r > b * rows) h = Math.imul(h ^ 0x2e, 0x01000193);
      h = fnvFeedHex(h, values[r]!);
    }
    keys.push(`${prefix}${b}:${HEX_BYTES[h >>> 24]}${HEX_BYTES[(h >>> 16) & 255]}${HEX_BYTES[(h >>> 8) & 255]}${HEX_BYTES[h & 255]}`);
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
  const hashed = shingleHashes(titleTokens, bodyTokens, LEAD_TOKENS);
  if (hashed.count === 0) return { minhash: minhashOfHashes(hashed.hashes, 0, MINHASH_SIZE), size: 0, bands: [] };
  const minhash = minhashOfHashes(hashed.hashes, hashed.count, MINHASH_SIZE);
  const bands = bandKeys('f', minhash, FULL_BANDS, FULL_ROWS);
  if (hashed.lead) bandKeys('l', minhashOfHashes(hashed.lead, hashed.lead.length, LEAD_BANDS * LEAD_ROWS), LEAD_BANDS, LEAD_ROWS, bands);
  return { minhash, size: hashed.count, bands };
}
