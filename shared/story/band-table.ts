/**
 * The story index's band lists in typed arrays: band key → the slots of the items holding it. A
 * band key of the signature's form (`f3:1a2b3c4d`, see cluster/signature.ts) is held as an exact
 * number; any other key is interned once. At 50,000 items × 13 bands this is a few arrays instead
 * of ~2 million small strings, arrays and map entries, which the garbage collector had to walk on
 * every full collection of a warm publisher.
 */

const TWO_32 = 4_294_967_296;
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The code of a canonical band key (`f` or `l`, band 0–99 without leading zero, `:`, 8 lowercase hex digits), else -1. */
function canonicalCode(band: string): number {
  const n = band.length;
  const kind = band.charCodeAt(0);
  if ((kind !== 102 && kind !== 108) || n < 11 || n > 12) return -1;
  const colon = n - 9;
  if (band.charCodeAt(colon) !== 58) return -1;
  let number = 0;
  for (let i = 1; i < colon; i++) {
    const d = band.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (i === 1 && d === 0 && colon > 2)) return -1;
    number = number * 10 + d;
  }
  let hash = 0;
  for (let i = colon + 1; i < n; i++) {
    const c = band.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    hash = hash * 16 + d;
  }
  return ((kind === 108 ? 100 : 0) + number + 1) * TWO_32 + hash;
}

/** Grows a typed array to at least `size` elements (doubling), keeping its contents. */
function grown<T extends Int32Array | Float64Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const out = make(Math.max(size, array.length * 2));
  out.set(array);
  return out;
}

/** Band keys as numbers: canonical keys exactly (positive), others interned (negative). */
export class BandCodes {
  private readonly other = new Map<string, number>();
  private readonly otherKeys: string[] = [];

  /** The code of a band key, interning a non-canonical one when `intern` (else undefined if unknown). */
  code(band: string, intern: boolean): number | undefined {
    const canonical = canonicalCode(band);
    if (canonical > 0) return canonical;
    const known = this.other.get(band);
    if (known !== undefined || !intern) return known;
    this.otherKeys.push(band);
    const code = -this.otherKeys.length;
    this.other.set(band, code);
    return code;
  }

  /** The band key of a code. */
  key(code: number): string {
    if (code < 0) return this.otherKeys[-code - 1] as string;
    const hi = Math.floor(code / TWO_32) - 1;
    const h = code % TWO_32;
    return `${hi >= 100 ? 'l' : 'f'}${hi % 100}:${HEX_BYTES[h >>> 24]}${HEX_BYTES[(h >>> 16) & 255]}${HEX_BYTES[(h >>> 8) & 255]}${HEX_BYTES[h & 255]}`;
  }
}

/** An open-addressing table from band code to a linked list of item slots. */
export class BandTable {
  private codes = new Float64Array(1024);
  private heads = new Int32Array(1024);
  private used = 0;
  private slots = new Int32Array(4096);
  private next = new Int32Array(4096);
  private postings = 0;

  /** Where `code` is, or the empty cell where it would go. */
  private cell(code: number): number {
    const mask = this.codes.length - 1;
    let h = Math.imul((code >>> 0) ^ Math.imul(Math.floor(code / TWO_32) | 0, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = this.codes[i] as number;
      if (c === code || c === 0) return i;
    }
  }

  private rehash(): void {
    const { codes, heads } = this;
    this.codes = new Float64Array(codes.length * 2);
    this.heads = new Int32Array(codes.length * 2);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 0) continue;
      const at = this.cell(code);
      this.codes[at] = code;
      this.heads[at] = heads[i] as number;
    }
  }

  /** Lists `slot` under `code` (a code is never 0). */
  add(code: number, slot: number): void {
    // At most three quarters full, so probe runs stay short.
    if ((this.used + 1) * 4 > this.codes.length * 3) this.rehash();
    const at = this.cell(code);
    if (this.codes[at] === 0) {
      this.codes[at] = code;
      this.heads[at] = -1;
      this.used++;
    }
    this.slots = grown(this.slots, this.postings + 1, (n) => new Int32Array(n));
    this.next = grown(this.next, this.postings + 1, (n) => new Int32Array(n));
    this.slots[this.postings] = slot;
    this.next[this.postings] = this.heads[at] as number;
    this.heads[at] = this.postings++;
  }

  /** Slots listed under `code`, counted up to `limit` + 1 (0 when none). */
  count(code: number, limit: number): number {
    const at = this.cell(code);
    if (this.codes[at] === 0) return 0;
    let n = 0;
    for (let p = this.heads[at] as number; p !== -1 && n <= limit; p = this.next[p] as number) n++;
    return n;
  }

  /** Calls `visit` with every slot listed under `code`. */
  forEach(code: number, visit: (slot: number) => void): void {
    const at = this.cell(code);
    if (this.codes[at] === 0) return;
    for (let p = this.heads[at] as number; p !== -1; p = this.next[p] as number) visit(this.slots[p] as number);
  }
}

/** A growable slab of band codes, per item a [start, end) range. */
export class CodeSlab {
  private data = new Float64Array(4096);
  private length = 0;

  /** Appends codes; returns where they start. */
  push(codes: readonly number[]): number {
    const start = this.length;
    this.data = grown(this.data, start + codes.length, (n) => new Float64Array(n));
    for (let i = 0; i < codes.length; i++) this.data[start + i] = codes[i] as number;
    this.length += codes.length;
    return start;
  }

  /** The codes in [start, end). */
  slice(start: number, end: number): Float64Array {
    return this.data.subarray(start, end);
  }
}
