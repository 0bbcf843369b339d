/** The story index's typed band lists: exact band codes, interning, growth, and candidates equal to a plain map's. */
import { describe, expect, it } from 'vitest';
import { BandCodes, BandTable } from '../../shared/story/band-table';
import { BAND_MEMBER_LIMIT, StoryIndex } from '../../shared/story';

/** A deterministic pseudo-random 32-bit generator (xorshift). */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

describe('BandCodes', () => {
  it('round-trips canonical and other band keys, and gives distinct keys distinct codes', () => {
    const codes = new BandCodes();
    const keys = ['f0:00000000', 'f9:ffffffff', 'l2:0a1b2c3d', 'f99:80000000', 'l99:00000001', 'f03:00000000', 'f1:ABCDEF01', 'f100:00000000', 'f1:abc', 'x', '', 'f1:0000000g'];
    const seen = new Map<number, string>();
    for (const key of keys) {
      const code = codes.code(key, true) as number;
      expect(code).not.toBe(0);
      expect(codes.key(code)).toBe(key);
      expect(seen.get(code)).toBeUndefined();
      seen.set(code, key);
    }
    expect(codes.code('f1:abc', false)).toBe(codes.code('f1:abc', true));
    expect(codes.code('never seen', false)).toBeUndefined();
    expect(codes.code('f4:12345678', false)).toBeGreaterThan(0);
  });
});

describe('BandTable', () => {
  it('keeps every slot under its code through growth, and counts up to a limit', () => {
    const table = new BandTable();
    const codes = new BandCodes();
    const next = random(7);
    const expected = new Map<number, number[]>();
    for (let slot = 0; slot < 20_000; slot++) {
      for (let b = 0; b < 3; b++) {
        const code = codes.code(`f${b}:${hex8(next() % 5000)}`, true) as number;
        table.add(code, slot);
        expected.set(code, [...(expected.get(code) ?? []), slot]);
      }
    }
    for (const [code, slots] of expected) {
      const got: number[] = [];
      table.forEach(code, (slot) => got.push(slot));
      expect(got.sort((a, b) => a - b)).toEqual(slots);
      expect(table.count(code, 3)).toBe(Math.min(slots.length, 4));
    }
    expect(table.count(codes.code('l0:00000000', true) as number, 3)).toBe(0);
  });
});

describe('StoryIndex on typed band lists', () => {
  it('gives the candidates a plain map of band lists gives, over many items', () => {
    const index = new StoryIndex();
    const lists = new Map<string, string[]>();
    const next = random(11);
    const items: { id: string; bands: string[] }[] = [];
    for (let i = 0; i < 5000; i++) {
      const id = `item${String(i).padStart(5, '0')}`;
      // Few distinct values per band, so bands are shared and some are crowded.
      const bands = Array.from({ length: 13 }, (_, b) => `${b < 10 ? 'f' : 'l'}${b % 10}:${hex8(next() % (b === 0 ? 60 : 400))}`);
      if (i % 97 === 0) bands.push('f0:not-canonical');
      items.push({ id, bands });
      index.add({ itemId: id, storyId: id, firstSeenAt: '2026-11-26T10:00:00.000Z', minhash: '', size: 0, bands });
      for (const band of new Set(bands)) lists.set(band, [...(lists.get(band) ?? []), id]);
    }
    for (const { id, bands } of items.filter((_, i) => i % 50 === 0)) {
      const counts = new Map<string, number>();
      for (const band of new Set(bands)) {
        const list = lists.get(band) ?? [];
        if (list.length > BAND_MEMBER_LIMIT) continue;
        for (const other of list) if (other !== id) counts.set(other, (counts.get(other) ?? 0) + 1);
      }
      const want = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 100).map(([other]) => other);
      expect(index.candidates(bands, id)).toEqual(want);
      expect(index.get(id)?.bands).toEqual(bands);
    }
  });
});
