/** SourceState.seen packed: lossless for fingerprints of the current shape, refused for others. */
import { describe, expect, it } from 'vitest';
import { decodeSeen, encodeSeen, packSeen, unpackSeen } from '../../shared/dedupe/seen';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A deterministic pseudo-random generator (xorshift32). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('packSeen / unpackSeen', () => {
  it('round-trips random fingerprints, the extreme digits included, at 9 bytes an entry', () => {
    const next = random(7);
    for (let n = 0; n < 200; n++) {
      const seen: Record<string, string> = { aaaaaaaa: '00000000', '77777777': 'ffffffff' };
      for (let e = 0; e < 60; e++) {
        const key = Array.from({ length: 8 }, () => BASE32[Math.floor(next() * 32)]).join('');
        seen[key] = Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0');
      }
      const packed = packSeen(seen);
      expect(packed.byteLength).toBe(1 + Object.keys(seen).length * 9);
      expect(unpackSeen(packed)).toEqual(seen);
    }
    expect(unpackSeen(packSeen({}))).toEqual({});
  });

  it('leaves out entries of another shape (an older version\'s), and reads no bytes of another format', () => {
    expect(unpackSeen(packSeen({ abcdefgh: '0123abcd', cvy3ndm3kujf: '698ced3f01', ABCDEFGH: '0123abcd', bcdefghi: '0123ABCD' }))).toEqual({ abcdefgh: '0123abcd' });
    expect(unpackSeen(new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(unpackSeen(new Uint8Array([1, 0, 0]))).toBeUndefined();
  });

  it('encodes as base64 and decodes anything else as no fingerprints', () => {
    const seen = { abcdefgh: '0123abcd', '23456777': 'ffff0000' };
    expect(decodeSeen(encodeSeen(seen))).toEqual(seen);
    expect(encodeSeen({})).toBe('AQ==');
    expect(decodeSeen(undefined)).toEqual({});
    expect(decodeSeen('{"cvy3ndm3kujf":"698ced3f01"}')).toEqual({});
  });
});
