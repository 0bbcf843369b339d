/**
 * The binary form of SourceState.seen in a state row. `seen` holds one fingerprint per feed entry
 * (an 8-character base32 key and an 8-digit hex value, shared/dedupe/identity.ts), so as JSON it
 * was most of a state row (~1.4 of ~2 KB for 50 entries), and every state is read each cycle by the
 * scheduler and the publisher. Packed, an entry is 9 bytes: the key's 40 bits, then the value's 32.
 * A map with any entry of another shape (written by an older version) is not packed.
 */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_CHARS = 8;
const VALUE_CHARS = 8;
const ENTRY_BYTES = 9;
/** First byte of the packed form; a later layout takes another. */
const FORMAT = 1;
const KEY_SHAPE = /^[a-z2-7]{8}$/;
const VALUE_SHAPE = /^[0-9a-f]{8}$/;
const DIGIT = new Map([...BASE32].map((c, i) => [c, i]));

/** The packed bytes of `seen`, or undefined when an entry is not of the packable shape. */
export function packSeen(seen: Readonly<Record<string, string>>): Uint8Array | undefined {
  const entries = Object.entries(seen);
  const out = new Uint8Array(1 + entries.length * ENTRY_BYTES);
  out[0] = FORMAT;
  let at = 1;
  for (const [key, value] of entries) {
    if (!KEY_SHAPE.test(key) || !VALUE_SHAPE.test(value)) return undefined;
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

/** The `seen` map of packed bytes; undefined when they are not of the packed format. */
export function unpackSeen(bytes: Uint8Array): Record<string, string> | undefined {
  if (bytes[0] !== FORMAT || (bytes.length - 1) % ENTRY_BYTES !== 0) return undefined;
  const seen: Record<string, string> = {};
  for (let at = 1; at < bytes.length; at += ENTRY_BYTES) {
    // 40 key bits: the high 8 in one byte, the low 32 as an unsigned number (no BigInt on the read path).
    const high = bytes[at] as number;
    const low = (((bytes[at + 1] as number) << 24) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 8) | (bytes[at + 4] as number)) >>> 0;
    let key = '';
    for (let i = KEY_CHARS - 1; i >= 0; i--) {
      const shift = i * 5;
      const digit = shift >= 32 ? (high >>> (shift - 32)) & 31 : shift > 27 ? ((low >>> shift) | (high << (32 - shift))) & 31 : (low >>> shift) & 31;
      key += BASE32[digit];
    }
    const value = (((bytes[at + 5] as number) << 24) | ((bytes[at + 6] as number) << 16) | ((bytes[at + 7] as number) << 8) | (bytes[at + 8] as number)) >>> 0;
    seen[key] = value.toString(16).padStart(VALUE_CHARS, '0');
  }
  return seen;
}
