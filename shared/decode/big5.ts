/**
 * The WHATWG big5 decoder (Big5 with the HKSCS and ETEN extensions). Node's TextDecoder('big5') decodes
 * standard Big5 but maps the extensions to Private Use Area code points, so Hong Kong text (嘅, 咗, 嘢, …)
 * comes out as U+E0A5 and the like there. The index is built once from Node's decoder for standard Big5
 * plus the extension ranges from big5-data.ts.
 */
import { inflateRawSync } from 'node:zlib';
import { BIG5_EXTENSIONS_DEFLATED } from './big5-data';

/** Trail bytes per lead byte: 0x40–0x7E and 0xA1–0xFE. */
const TRAILS = 157;

/** Pointer ranges [start, end) whose code points come from big5-data.ts: HKSCS, A3C0–A3FE, ETEN C6A1–C8FE and F9D6–FEFE. */
export const BIG5_EXTENSION_RANGES: ReadonlyArray<readonly [number, number]> = [[942, 5024], [5432, 5495], [10896, 11304], [18956, 19782]];

/** Pointers that decode to two code points (Ê̄, Ê̌, ê̄, ê̌). */
const PAIRS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [1133, [0x00ca, 0x0304]], [1135, [0x00ca, 0x030c]], [1164, [0x00ea, 0x0304]], [1166, [0x00ea, 0x030c]],
]);

let index: Uint32Array | undefined;

/** The pointer of a lead and trail byte, or -1 for a trail byte Big5 does not use. */
function pointer(lead: number, trail: number): number {
  if (trail >= 0x40 && trail <= 0x7e) return (lead - 0x81) * TRAILS + trail - 0x40;
  if (trail >= 0xa1 && trail <= 0xfe) return (lead - 0x81) * TRAILS + trail - 0x62;
  return -1;
}

function buildIndex(): Uint32Array {
  const table = new Uint32Array(126 * TRAILS);
  // Standard Big5 from Node's decoder, one two-byte sequence per line; its Private Use Area answers are dropped.
  const bytes: number[] = [];
  const pointers: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const p = pointer(lead, trail);
      if (p < 0) continue;
      bytes.push(lead, trail, 0x0a);
      pointers.push(p);
    }
  }
  const lines = new TextDecoder('big5').decode(Uint8Array.from(bytes)).split('\n');
  pointers.forEach((p, i) => {
    const text = lines[i] ?? '';
    const cp = text.codePointAt(0) ?? 0xfffd;
    if (text.length === String.fromCodePoint(cp).length && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) table[p] = cp;
  });
  // The extensions: one code point (or U+0000 for none) per pointer of each range, in order.
  const raw = inflateRawSync(Buffer.from(BIG5_EXTENSIONS_DEFLATED, 'base64'));
  const points = [...raw.toString('utf16le')].map((ch) => ch.codePointAt(0)!);
  let next = 0;
  for (const [start, end] of BIG5_EXTENSION_RANGES) for (let p = start; p < end; p++) table[p] = points[next++] ?? 0;
  return table;
}

/** Decodes big5 bytes per the Encoding Standard (an invalid sequence gives U+FFFD; an ASCII trail byte is kept). */
export function decodeBig5(bytes: Uint8Array): string {
  index ??= buildIndex();
  const units = new Uint16Array(bytes.length * 2);
  let length = 0;
  const emit = (cp: number): void => {
    if (cp > 0xffff) {
      units[length++] = 0xd7c0 + (cp >> 10);
      units[length++] = 0xdc00 + (cp & 0x3ff);
    } else {
      units[length++] = cp;
    }
  };
  let lead = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (lead !== 0) {
      const p = pointer(lead, byte);
      lead = 0;
      const pair = PAIRS.get(p);
      const cp = p >= 0 ? index[p]! : 0;
      if (pair) pair.forEach(emit);
      else if (cp !== 0) emit(cp);
      else {
        emit(0xfffd);
        if (byte < 0x80) emit(byte);
      }
    } else if (byte < 0x80) {
      emit(byte);
    } else if (byte >= 0x81 && byte <= 0xfe) {
      lead = byte;
    } else {
      emit(0xfffd);
    }
  }
  if (lead !== 0) emit(0xfffd);
  return new TextDecoder('utf-16le').decode(units.subarray(0, length));
}
