/** Stable ids and hashes shared by dedupe (which derives them) and store (which keys rows by them). */
import * as crypto from 'node:crypto';

/** sha256 digest of a string or bytes: Node's one-shot hash where it has one (about half the time of a Hash object for a short key). */
const sha256Of: (data: string | Uint8Array) => Buffer =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'buffer') : (data) => crypto.createHash('sha256').update(data).digest();

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case RFC 4648 base32 (no padding) of bytes. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** sha256 of a string or bytes, as lower-case hex (Node's one-shot hash where it has one). */
export const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Ids derived lately, by key: ingest derives each key's id several times (lookups, planning, aliases). */
const recentIds = new Map<string, string>();
/** Keys whose ids recentIds holds at most (then it starts over). */
const RECENT_IDS = 20_000;

/** The 26-character (130-bit) id derived from an identity key such as `u:https://example.com/a`. */
export function idForKey(key: string): string {
  let id = recentIds.get(key);
  if (id !== undefined) return id;
  // 26 base32 characters are the digest's first 130 bits: 17 bytes encode them.
  id = base32(sha256Of(key).subarray(0, 17)).slice(0, 26);
  if (recentIds.size >= RECENT_IDS) recentIds.clear();
  recentIds.set(key, id);
  return id;
}

/**
 * True for identity keys that several sources can share (canonical links). A new item's id derives
 * from such a key, so two sources creating the same item at once write the same row, not two items
 * (the publisher then adds the source whose write was overwritten: pipeline/cluster-stories.ts).
 */
export function isSharedKey(key: string): boolean {
  return key.startsWith('u:');
}
