/**
 * SourceState.seen, packed: one fingerprint per feed entry (an 8-character base32 key and an 8-digit
 * hex value, identity.ts) in 9 bytes — the key's 40 bits, then the value's 32 — as base64. As a JSON
 * map the fingerprints were most of a state row (~1.4 of ~2 KB for 50 entries), and every state is
 * read each cycle by the scheduler and the publisher and carried in fetch jobs, while only the
 * ingest of a changed body needs them: it alone decodes them.
 */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const ENTRY_BYTES = 9;
/** First byte of the packed form; a later layout takes another. */
const FORMAT = 1;
const KEY_SHAPE = /^[a-z2-7]{8}$/;
const VALUE_SHAPE = /^[0-9a-f]{8}$/;
const DIGIT = new Map([...BASE32].map((c, i) => [c, i]));

/** The packed bytes of fingerprints; an entry of another shape (none that seenKey and seenValue make) is left out, so it is looked up again. */
export function packSeen(seen: Readonly<Record<string, string>>): Uint8Array {
  const entries = Object.entries(seen).filter(([key, value]) => KEY_SHAPE.test(key) && VALUE_SHAPE.test(value));
  const out = new Uint8Array(1 + entries.length * ENTRY_BYTES);
  out[0] = FORMAT;
  let at = 1;
  for (const [key, value] of entries) {
    let bits = 0n;
    for (const c of key) bits = (bits << 5n) | BigInt(DIGIT.get(c) as number);
    for (let i = 4; i >= 0; i--) out[at++] = Number((bits >> BigInt(i * 8)) & 0xffn);
    const v = Number.parseInt(value, 16);
    out[at++] = v >>> 24;
    out[at++] = (v >>> 16) & 0xff;
    out[at++] = (v >>> 8) & 0xff;
    out[at++] = v & 0xff;
  }
  return out;
}

/** Character codes of the base32 digit pair of each 10-bit number, and of the hex digits of each byte. */
const PAIR_CODES = Uint8Array.from({ length: 2048 }, (_, i) => BASE32.charCodeAt(i & 1 ? (i >>> 1) & 31 : i >>> 6));
const HEX_CODES = Uint8Array.from({ length: 512 }, (_, i) => '0123456789abcdef'.charCodeAt(i & 1 ? (i >>> 1) & 15 : i >>> 5));
const QUOTE = 0x22;
/** Bytes of one entry as JSON: `"kkkkkkkk":"vvvvvvvv",`. */
const JSON_ENTRY = 22;

/**
 * The fingerprints of packed bytes; undefined when they are not of the packed format. The map is
 * written as JSON bytes and parsed: JSON.parse builds the object several times faster than
 * inserting computed keys one by one (every state is decoded on each scheduler run).
 */
export function unpackSeen(bytes: Uint8Array): Record<string, string> | undefined {
  if (bytes[0] !== FORMAT || (bytes.length - 1) % ENTRY_BYTES !== 0) return undefined;
  const entries = (bytes.length - 1) / ENTRY_BYTES;
  const out = Buffer.allocUnsafe(Math.max(2, 1 + entries * JSON_ENTRY));
  out[0] = 0x7b; // {
  let o = 1;
  const pair = (n: number) => {
    out[o++] = PAIR_CODES[2 * n] as number;
    out[o++] = PAIR_CODES[2 * n + 1] as number;
  };
  const hex = (n: number) => {
    out[o++] = HEX_CODES[2 * n] as number;
    out[o++] = HEX_CODES[2 * n + 1] as number;
  };
  for (let at = 1; at < bytes.length; at += ENTRY_BYTES) {
    const b0 = bytes[at] as number, b1 = bytes[at + 1] as number, b2 = bytes[at + 2] as number, b3 = bytes[at + 3] as number;
    out[o++] = QUOTE;
    // The key's 40 bits as four 10-bit numbers: 8|2, 6|4, 4|6, 2|8 bits of consecutive bytes.
    pair((b0 << 2) | (b1 >>> 6));
    pair(((b1 & 63) << 4) | (b2 >>> 4));
    pair(((b2 & 15) << 6) | (b3 >>> 2));
    pair(((b3 & 3) << 8) | (bytes[at + 4] as number));
    out[o++] = QUOTE;
    out[o++] = 0x3a; // :
    out[o++] = QUOTE;
    for (let i = 5; i < ENTRY_BYTES; i++) hex(bytes[at + i] as number);
    out[o++] = QUOTE;
    out[o++] = 0x2c; // ,
  }
  // The last comma becomes the closing brace (or, for no entry, the one after the opening brace).
  if (entries === 0) o++;
  out[o - 1] = 0x7d; // }
  return JSON.parse(out.toString('latin1', 0, o)) as Record<string, string>;
}

/** Fingerprints as SourceState.seen holds them (base64 of packSeen). */
export function encodeSeen(seen: Readonly<Record<string, string>>): string {
  return Buffer.from(packSeen(seen)).toString('base64');
}

/** The fingerprints of SourceState.seen; empty when absent or not of the packed format (an entry is then looked up again). */
export function decodeSeen(encoded: string | undefined): Record<string, string> {
  if (!encoded) return {};
  return unpackSeen(Buffer.from(encoded, 'base64')) ?? {};
}
