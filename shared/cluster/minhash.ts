/**
 * The hashing under story signatures: FNV-1a of shingle text, MinHash over 32-bit shingle hashes,
 * and `shingleHashes`, which hashes the word shingles of token lists without building shingle strings
 * (FNV-1a is fed token by token; distinct shingles are found by hash, then compared word by word).
 */
import { minhashSimd } from './minhash-simd';

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** FNV-1a state `h` (int32) after feeding the code units of `s`. */
function fnvFeed(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** FNV-1a state after feeding one space. */
function fnvSpace(h: number): number {
  return Math.imul(h ^ 0x20, 0x01000193);
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

/** Most permutations a MinHash is asked for. */
const MAX_PERMUTATIONS = 128;

/** Fixed per-permutation seeds (deterministic across processes and releases), as int32 bits. */
const SEEDS = Int32Array.from({ length: MAX_PERMUTATIONS }, (_, i) => fmix32(0x9e3779b9 + Math.imul(i + 1, 0x7feb352d)));

/** Least fmix32(hash ^ seed) over `hashes[0..n)`, with its top bit flipped (so int32 order is unsigned order). */
function leastMix(hashes: Int32Array, n: number, seed: number): number {
  let min = 0x7fffffff;
  for (let j = 0; j < n; j++) {
    let h = hashes[j]! ^ seed;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = h ^ (h >>> 16) ^ 0x80000000;
    if (h < min) min = h;
  }
  return min;
}

/** Seed of permutation i: beyond the table it has always been 0 (`hash ^ undefined`). */
function seedOf(i: number): number {
  return i < MAX_PERMUTATIONS ? SEEDS[i]! : 0;
}

/**
 * MinHash with `count` permutations of the first `n` 32-bit hashes (all 0xffffffff when n is 0):
 * value i is the least fmix32(hash ^ seed i). WebAssembly SIMD when there is, else the scalar path.
 */
export function minhashOfHashes(hashes: Int32Array, n: number, count: number): number[] {
  return minhashSimd(hashes, n, count, SEEDS) ?? minhashOfHashesScalar(hashes, n, count);
}

/**
 * `minhashOfHashes` in plain JavaScript: four permutations per pass over the hashes, unsigned order
 * kept in int32 by flipping the top bit.
 */
export function minhashOfHashesScalar(hashes: Int32Array, n: number, count: number): number[] {
  const out = new Array<number>(count);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const s0 = seedOf(i);
    const s1 = seedOf(i + 1);
    const s2 = seedOf(i + 2);
    const s3 = seedOf(i + 3);
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    for (let j = 0; j < n; j++) {
      const x = hashes[j]!;
      let a = x ^ s0;
      let b = x ^ s1;
      let c = x ^ s2;
      let d = x ^ s3;
      a ^= a >>> 16;
      b ^= b >>> 16;
      c ^= c >>> 16;
      d ^= d >>> 16;
      a = Math.imul(a, 0x85ebca6b);
      b = Math.imul(b, 0x85ebca6b);
      c = Math.imul(c, 0x85ebca6b);
      d = Math.imul(d, 0x85ebca6b);
      a ^= a >>> 13;
      b ^= b >>> 13;
      c ^= c >>> 13;
      d ^= d >>> 13;
      a = Math.imul(a, 0xc2b2ae35);
      b = Math.imul(b, 0xc2b2ae35);
      c = Math.imul(c, 0xc2b2ae35);
      d = Math.imul(d, 0xc2b2ae35);
      a = a ^ (a >>> 16) ^ 0x80000000;
      b = b ^ (b >>> 16) ^ 0x80000000;
      c = c ^ (c >>> 16) ^ 0x80000000;
      d = d ^ (d >>> 16) ^ 0x80000000;
      if (a < m0) m0 = a;
      if (b < m1) m1 = b;
      if (c < m2) m2 = c;
      if (d < m3) m3 = d;
    }
    out[i] = (m0 ^ 0x80000000) >>> 0;
    out[i + 1] = (m1 ^ 0x80000000) >>> 0;
    out[i + 2] = (m2 ^ 0x80000000) >>> 0;
    out[i + 3] = (m3 ^ 0x80000000) >>> 0;
  }
  for (; i < count; i++) out[i] = (leastMix(hashes, n, seedOf(i)) ^ 0x80000000) >>> 0;
  return out;
}

/** What `shingleHashes` returns. */
export interface ShingleHashes {
  /** FNV-1a hashes (int32 bits) of the distinct shingles, in `hashes[0..count)`. */
  hashes: Int32Array;
  count: number;
  /** Hashes of the shingles of the body's first `leadTokens` tokens, when it has that many. */
  lead?: Int32Array;
}

/** Scratch tables reused across calls (signing is synchronous): open-addressing set of shingle hashes. */
let slotHash = new Int32Array(1024);
let slotPos = new Int32Array(1024);
let opening = new Int32Array(1024);

/** True when the width-3 shingles of `a` at i and of `b` at j are the same words. */
function sameShingle(a: readonly string[], i: number, b: readonly string[], j: number): boolean {
  return a[i] === b[j] && a[i + 1] === b[j + 1] && a[i + 2] === b[j + 2];
}

/**
 * FNV-1a hashes of the distinct 3-word shingles (tokens joined by one space; a list shorter than 3 is
 * one shingle) of `title` and `body` together — what hashing `shingles(title) ∪ shingles(body)` gives,
 * distinct by text (equal hashes of different text both count). Tokens must be non-empty and without
 * spaces, as `storyTokens` makes them. `lead` holds the hashes of the shingles of the body's first
 * `leadTokens` tokens when it has that many (duplicates included).
 */
export function shingleHashes(title: readonly string[], body: readonly string[], leadTokens: number): ShingleHashes {
  const windows = Math.max(0, title.length - 2) + Math.max(0, body.length - 2);
  const hashes = new Int32Array(windows + 2);
  let count = 0;
  let short: string | undefined;
  for (const tokens of [title, body]) {
    if (tokens.length === 0 || tokens.length >= 3) continue;
    const text = tokens.join(' ');
    if (text === short) continue;
    short = text;
    hashes[count++] = fnv1a(text) | 0;
  }
  let capacity = 1024;
  while (capacity < windows * 2) capacity *= 2;
  if (capacity > slotHash.length) {
    slotHash = new Int32Array(capacity);
    slotPos = new Int32Array(capacity);
  }
  slotPos.fill(0, 0, capacity);
  const mask = capacity - 1;
  const leadLength = body.length >= leadTokens ? leadTokens - 2 : 0;
  const lead = leadLength > 0 ? new Int32Array(leadLength) : undefined;
  for (let l = 0; l < 2; l++) {
    const tokens = l === 0 ? title : body;
    const last = tokens.length - 2;
    if (last <= 0) continue;
    if (opening.length < tokens.length) opening = new Int32Array(tokens.length * 2);
    for (let i = 0; i < last; i++) opening[i] = fnvSpace(fnvFeed(0x811c9dc5 | 0, tokens[i]!));
    for (let i = 0; i < last; i++) {
      const h = fnvFeed(fnvSpace(fnvFeed(opening[i]!, tokens[i + 1]!)), tokens[i + 2]!);
      if (l === 1 && i < leadLength) lead![i] = h;
      // Position p (1-based; negative for the body) of an earlier shingle with this hash, if any.
      let slot = (h ^ (h >>> 15)) & mask;
      let fresh = true;
      for (let p = slotPos[slot]!; p !== 0; p = slotPos[slot]!) {
        if (slotHash[slot] === h && sameShingle(tokens, i, p > 0 ? title : body, (p > 0 ? p : -p) - 1)) {
          fresh = false;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!fresh) continue;
      slotHash[slot] = h;
      slotPos[slot] = l === 0 ? i + 1 : -(i + 1);
      hashes[count++] = h;
    }
  }
  return { hashes, count, lead };
}
