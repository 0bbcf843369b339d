/**
 * Byte → text conversion for one known encoding. UTF-8 and UTF-16 use TextDecoder; single-byte encodings use
 * lookup tables built once from iconv-lite and aligned with the WHATWG indexes (Node's own TextDecoder maps
 * windows-1252 0x80–0x9F to C1 controls: nodejs/node#60888); legacy multi-byte encodings use iconv-lite.
 */
import iconv from 'iconv-lite';
import { isSingleByteEncoding } from './labels';

/** iconv-lite codec names for canonical names it spells differently (WHATWG's GBK/Big5/EUC-KR are supersets). */
const ICONV_NAMES: Record<string, string> = {
  'iso-8859-8-i': 'iso-8859-8',
  'x-mac-cyrillic': 'maccyrillic',
  gbk: 'gb18030',
  big5: 'big5hkscs',
  'euc-kr': 'cp949',
};

/** Bytes where the WHATWG index differs from iconv-lite's table (Apple's later revisions: Ω, €, Ґ ґ). */
const TABLE_FIXES: Record<string, Record<number, number>> = {
  macintosh: { 0xbd: 0x03a9, 0xdb: 0x20ac },
  'x-mac-cyrillic': { 0xa2: 0x0490, 0xb6: 0x0491, 0xff: 0x20ac },
};

const tables = new Map<string, Uint16Array>();

/** The 256-entry code-unit table of a single-byte encoding. */
function singleByteTable(encoding: string): Uint16Array {
  const cached = tables.get(encoding);
  if (cached) return cached;
  const table = new Uint16Array(256);
  if (encoding === 'x-user-defined') {
    for (let b = 0; b < 256; b++) table[b] = b < 0x80 ? b : 0xf780 + b - 0x80;
  } else {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const chars = iconv.decode(Buffer.from(all), ICONV_NAMES[encoding] ?? encoding);
    for (let b = 0; b < 256; b++) {
      const unit = chars.charCodeAt(b);
      // WHATWG's windows-* indexes map the unassigned C1 bytes to the C1 control of the same value.
      table[b] = unit === 0xfffd && b >= 0x80 && b <= 0x9f && encoding.startsWith('windows-') ? b : unit;
    }
    for (const [byte, unit] of Object.entries(TABLE_FIXES[encoding] ?? {})) table[Number(byte)] = unit;
  }
  tables.set(encoding, table);
  return table;
}

const utf16le = new TextDecoder('utf-16le');

/** Decodes single-byte text through its table: one pass into UTF-16 code units, then one native decode. */
function decodeSingleByte(bytes: Uint8Array, encoding: string): string {
  const table = singleByteTable(encoding);
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) units[i] = table[bytes[i]!]!;
  return utf16le.decode(units);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes` when they are entirely valid UTF-8 (a leading BOM is dropped), else undefined. */
export function tryDecodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when the bytes include any byte ≥ 0x80. */
export function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** True when this runtime can decode the canonical encoding. */
export function canDecode(encoding: string): boolean {
  if (isSingleByteEncoding(encoding) || encoding === 'utf-8' || encoding.startsWith('utf-16')) return true;
  if (iconv.encodingExists(ICONV_NAMES[encoding] ?? encoding)) return true;
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes `bytes` as the canonical `encoding`, replacing only bytes invalid in it with U+FFFD.
 * A byte-order mark matching the encoding is dropped. Throws RangeError when the encoding cannot be decoded here.
 */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    return new TextDecoder(encoding).decode(bytes);
  }
  if (isSingleByteEncoding(encoding)) return decodeSingleByte(bytes, encoding);
  const iconvName = ICONV_NAMES[encoding] ?? encoding;
  if (iconv.encodingExists(iconvName)) {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), iconvName);
  }
  return new TextDecoder(encoding).decode(bytes);
}
