/**
 * The WHATWG euc-kr decoder (really windows-949, "Unified Hangul Code"). Node's TextDecoder('euc-kr') decodes
 * only KS X 1001, so the 8,822 Hangul syllables UHC adds (lead bytes 0x81–0xC6) come out as garbage there.
 * The index is built once from Node's KS X 1001 decoder plus the UHC rule: the syllables KS X 1001 lacks fill
 * the extension positions in Unicode order.
 */

/** Pointers in the index: lead bytes 0x81–0xFE × trail bytes 0x41–0xFE. */
const LEADS = 126;
const TRAILS = 190;

/** Characters windows-949 adds to KS X 1001 outside the UHC extension (euro sign and registered sign). */
const ADDITIONS: ReadonlyArray<readonly [number, number]> = [[0xa2e6, 0x20ac], [0xa2e7, 0x00ae]];

let index: Uint16Array | undefined;

function pointer(lead: number, trail: number): number {
  return (lead - 0x81) * TRAILS + (trail - 0x41);
}

/** True for the trail bytes a UHC extension position may use (letters, and 0x81–0xFE below lead 0xA1). */
function extensionTrail(lead: number, trail: number): boolean {
  if ((trail >= 0x41 && trail <= 0x5a) || (trail >= 0x61 && trail <= 0x7a)) return true;
  return trail >= 0x81 && trail <= 0xfe && (lead < 0xa1 || trail < 0xa1);
}

function buildIndex(): Uint16Array {
  const table = new Uint16Array(LEADS * TRAILS);
  // KS X 1001 (both bytes 0xA1–0xFE) from Node's decoder, one two-byte sequence per line.
  const pairs: number[] = [];
  for (let lead = 0xa1; lead <= 0xfe; lead++) for (let trail = 0xa1; trail <= 0xfe; trail++) pairs.push(lead, trail, 0x0a);
  const lines = new TextDecoder('euc-kr').decode(Uint8Array.from(pairs)).split('\n');
  const inKsX1001 = new Set<number>();
  let line = 0;
  for (let lead = 0xa1; lead <= 0xfe; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      const text = lines[line++] ?? '';
      if (text.length !== 1 || text === '\uFFFD') continue;
      table[pointer(lead, trail)] = text.charCodeAt(0);
      inKsX1001.add(text.charCodeAt(0));
    }
  }
  for (const [bytes, unit] of ADDITIONS) table[pointer(bytes >> 8, bytes & 0xff)] = unit;
  // The UHC extension: every other syllable, in order, at the free positions of leads 0x81–0xC6.
  let syllable = 0xac00;
  for (let lead = 0x81; lead <= 0xc6; lead++) {
    for (let trail = 0x41; trail <= 0xfe; trail++) {
      if (!extensionTrail(lead, trail)) continue;
      while (syllable <= 0xd7a3 && inKsX1001.has(syllable)) syllable++;
      if (syllable > 0xd7a3) return table;
      table[pointer(lead, trail)] = syllable++;
    }
  }
  return table;
}

/** Decodes euc-kr bytes per the Encoding Standard (an invalid sequence gives U+FFFD; an ASCII trail byte is kept). */
export function decodeEucKr(bytes: Uint8Array): string {
  index ??= buildIndex();
  const units = new Uint16Array(bytes.length + 1);
  let length = 0;
  let lead = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (lead !== 0) {
      const unit = byte >= 0x41 && byte <= 0xfe ? index[pointer(lead, byte)]! : 0;
      lead = 0;
      if (unit !== 0) {
        units[length++] = unit;
        continue;
      }
      units[length++] = 0xfffd;
      if (byte < 0x80) units[length++] = byte;
    } else if (byte < 0x80) {
      units[length++] = byte;
    } else if (byte >= 0x81 && byte <= 0xfe) {
      lead = byte;
    } else {
      units[length++] = 0xfffd;
    }
  }
  if (lead !== 0) units[length++] = 0xfffd;
  return new TextDecoder('utf-16le').decode(units.subarray(0, length));
}
