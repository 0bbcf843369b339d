/**
 * Byte → text conversion for one known encoding, with no dependency beyond Node itself. UTF-8, UTF-16 and the
 * WHATWG multi-byte encodings gb18030 (also for gbk, as WHATWG specifies), EUC-JP, ISO-2022-JP and Shift_JIS use
 * TextDecoder; UTF-32, euc-kr (windows-949: Node's decoder lacks the UHC syllables) and big5 (Node's decoder maps
 * HKSCS and ETEN to the Private Use Area) are decoded here, on top of Node's decoders. Single-byte
 * encodings use the tables in tables.ts, not TextDecoder, because Node's decoders differ from the WHATWG indexes:
 * windows-1252 (and latin1/ascii) map 0x80–0x9F to C1 controls (nodejs/node#60888), ICU's ibm866, windows-874,
 * windows-1253 and windows-1255 disagree on a few bytes, and iso-8859-16 and x-user-defined are missing.
 */
import { decodeBig5 } from './big5';
import { decodeEucKr } from './euc-kr';
import { singleByteTable } from './tables';

const utf16le = new TextDecoder('utf-16le');

/** Decodes single-byte text through its table: one pass into UTF-16 code units, then one native decode. */
function decodeSingleByte(bytes: Uint8Array, table: Uint16Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) units[i] = table[bytes[i]!]!;
  return utf16le.decode(units);
}

/** Decodes UTF-32 (not in the Encoding Standard): invalid code points and a trailing partial unit become U+FFFD. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const whole = bytes.length - (bytes.length % 4);
  const points: number[] = [];
  let text = '';
  for (let i = 0; i < whole; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    const valid = cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    if (i === 0 && cp === 0xfeff) continue; // byte-order mark
    points.push(valid ? cp : 0xfffd);
    if (points.length === 8192) text += String.fromCodePoint(...points.splice(0));
  }
  if (whole < bytes.length) points.push(0xfffd);
  return text + String.fromCodePoint(...points);
}

/** One TextDecoder per encoding (they are stateless between whole-buffer decode calls). */
const decoders = new Map<string, InstanceType<typeof TextDecoder> | null>();

/** A TextDecoder for the encoding, or undefined when this runtime has none. */
function textDecoder(encoding: string): InstanceType<typeof TextDecoder> | undefined {
  let decoder = decoders.get(encoding);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(encoding);
    } catch {
      decoder = null;
    }
    decoders.set(encoding, decoder);
  }
  return decoder ?? undefined;
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

/** True for the UTF-32 encodings, which TextDecoder does not offer. */
function isUtf32(encoding: string): encoding is 'utf-32le' | 'utf-32be' {
  return encoding === 'utf-32le' || encoding === 'utf-32be';
}

/** True when this runtime can decode the canonical encoding. */
export function canDecode(encoding: string): boolean {
  return isUtf32(encoding) || singleByteTable(encoding) !== undefined || textDecoder(encoding) !== undefined;
}

/**
 * Decodes `bytes` as the canonical `encoding`, replacing only bytes invalid in it with U+FFFD.
 * A byte-order mark matching the encoding is dropped. Throws RangeError when the encoding cannot be decoded here.
 */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  if (isUtf32(encoding)) return decodeUtf32(bytes, encoding === 'utf-32le');
  const table = encoding === 'utf-8' || encoding.startsWith('utf-16') ? undefined : singleByteTable(encoding);
  if (table) return decodeSingleByte(bytes, table);
  if (encoding === 'euc-kr') return decodeEucKr(bytes);
  if (encoding === 'big5') return decodeBig5(bytes);
  // WHATWG: "the gbk decoder is the gb18030 decoder"; Node's gbk decoder misses gb18030's four-byte sequences.
  const decoder = textDecoder(encoding === 'gbk' ? 'gb18030' : encoding);
  if (!decoder) throw new RangeError(`no decoder for ${encoding}`);
  return decoder.decode(bytes);
}
