/**
 * The word scanner behind `storyTokens`: one pass over a lower-cased string that gives exactly what
 * `s.replace(/(\p{L})'(\p{L})/gu, '$1$2').match(/[\p{L}\p{N}]+/gu) ?? []` gives, without the two
 * Unicode-property regexes and the intermediate string. Character classes come from the same
 * `\p{L}` / `\p{N}` regexes, asked once per code point and remembered.
 */

/** Class of a code point: not yet known, neither letter nor number, letter (\p{L}), number (\p{N}). */
const UNKNOWN = 0;
const OTHER = 1;
const LETTER = 2;
const NUMBER = 3;

const LETTER_RE = /^\p{L}$/u;
const NUMBER_RE = /^\p{N}$/u;

/** Classes of the BMP code units, filled on first sight (lone surrogates are OTHER, as under /u). */
const unitClass = new Uint8Array(0x10000);
/** Classes of the supplementary code points seen so far. */
const astralClass = new Map<number, number>();

function classOf(ch: string): number {
  return LETTER_RE.test(ch) ? LETTER : NUMBER_RE.test(ch) ? NUMBER : OTHER;
}

function unitClassOf(c: number): number {
  let k = unitClass[c]!;
  if (k === UNKNOWN) {
    k = c >= 0xd800 && c <= 0xdfff ? OTHER : classOf(String.fromCharCode(c));
    unitClass[c] = k;
  }
  return k;
}

function astralClassOf(cp: number): number {
  let k = astralClass.get(cp);
  if (k === undefined) {
    k = classOf(String.fromCodePoint(cp));
    astralClass.set(cp, k);
  }
  return k;
}

/** Class and width (1 or 2 code units) of the code point at `i`, packed as class·4 + width. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return (unitClassOf(c) << 2) | 1;
  const d = s.charCodeAt(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return (OTHER << 2) | 1;
  return (astralClassOf(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) << 2) | 2;
}

/**
 * Maximal runs of letters and numbers of `s`, where an apostrophe between two letters is dropped —
 * left to right and without overlap, as the global regex replace does ("a'b'c" → "ab", "c").
 */
export function wordTokens(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let start = -1;
  let head = '';
  let joinable = false;
  let i = 0;
  while (i < n) {
    const packed = codePointAt(s, i);
    const k = packed >> 2;
    if (k !== OTHER) {
      if (start < 0) start = i;
      joinable = k === LETTER;
      i += packed & 3;
      continue;
    }
    if (joinable && s.charCodeAt(i) === 0x27 && i + 1 < n) {
      const next = codePointAt(s, i + 1);
      if (next >> 2 === LETTER) {
        head += s.slice(start, i);
        start = i + 1;
        joinable = false;
        i += 1 + (next & 3);
        continue;
      }
    }
    if (start >= 0) {
      out.push(head + s.slice(start, i));
      head = '';
      start = -1;
    }
    joinable = false;
    i += packed & 3;
  }
  if (start >= 0) out.push(head + s.slice(start));
  return out;
}
