/** The story index and inbox encoding, in memory: candidates by shared bands, crowded bands, round trips. */
import { describe, expect, it } from 'vitest';
import { storySignature } from '../../shared/cluster';
import { BAND_MEMBER_LIMIT, decodeMinhash, encodeMinhash, INBOX_OBJECT_ENTRIES, inboxObjects, parseIndexObject, parseInboxObject, serialiseIndexObject, StoryIndex, type InboxEntry } from '../../shared/story';
import { REPUBLISHED, SAME_TOPIC, WIRE } from './fixtures';

function entry(itemId: string, e: { title: string; text: string }, firstSeenAt = '2026-11-26T10:00:00.000Z'): InboxEntry {
  const sig = storySignature(e.title, e.text);
  return { itemId, firstSeenAt, sourceIds: ['s'], title: e.title, minhash: encodeMinhash(sig.minhash), size: sig.size, bands: sig.bands };
}

const plain = (itemId: string, bands: string[]) => ({ itemId, storyId: itemId, firstSeenAt: '2026-11-26T10:00:00.000Z', minhash: '', size: 0, bands });

describe('StoryIndex', () => {
  it('joins a republication to the original and keeps another story on the topic apart', () => {
    const index = new StoryIndex();
    expect(index.assign(entry('wire', WIRE)).storyId).toBe('wire');
    expect(index.assign(entry('ledger', SAME_TOPIC)).storyId).toBe('ledger');
    const joined = index.assign(entry('courier', REPUBLISHED));
    expect(joined.storyId).toBe('wire');
    expect(joined.compared).toBeGreaterThan(0);
    expect(index.assign(entry('courier', REPUBLISHED)).storyId).toBe('wire');
    expect(index.size).toBe(3);
  });

  it('ranks candidates by shared bands and skips a band with more than BAND_MEMBER_LIMIT members', () => {
    const index = new StoryIndex();
    for (let i = 0; i <= BAND_MEMBER_LIMIT; i++) index.add(plain(`crowd${String(i).padStart(3, '0')}`, ['f0:crowded']));
    index.add(plain('a', ['f1:x', 'f2:y', 'f0:crowded']));
    index.add(plain('b', ['f1:x']));
    expect(index.candidates(['f0:crowded'])).toEqual([]);
    expect(index.candidates(['f1:x', 'f2:y', 'f0:crowded'])).toEqual(['a', 'b']);
    expect(index.candidates(['f1:x'], 'a')).toEqual(['b']);
  });

  it('round-trips through its object, prunes by first-seen time and rejects foreign bytes', () => {
    const index = new StoryIndex();
    index.assign(entry('old', WIRE, '2026-11-01T00:00:00.000Z'));
    index.assign(entry('new', REPUBLISHED, '2026-11-26T00:00:00.000Z'));
    const copy = new StoryIndex();
    for (const item of parseIndexObject(serialiseIndexObject(index.entries())) ?? []) copy.add(item);
    expect(copy.get('new')).toEqual(index.get('new'));
    expect(copy.get('new')?.storyId).toBe('old');
    const pruned = copy.pruned('2026-11-20T00:00:00.000Z');
    expect(pruned.size).toBe(1);
    expect(pruned.get('old')).toBeUndefined();
    expect(parseIndexObject(new TextEncoder().encode('{}'))).toBeUndefined();
  });

  it('does not compare with items first seen before the cutoff', () => {
    const index = new StoryIndex();
    index.assign(entry('old', WIRE, '2026-11-01T00:00:00.000Z'));
    expect(index.assign(entry('late', REPUBLISHED, '2026-11-26T00:00:00.000Z'), '2026-11-19T00:00:00.000Z').storyId).toBe('late');
  });
});

describe('story inbox', () => {
  it('encodes MinHash values losslessly and round-trips entries', () => {
    const values = [0, 1, 0xffffffff, 0x80000000, 123456789];
    expect(decodeMinhash(encodeMinhash(values))).toEqual(values);
    const e = entry('wire', WIRE);
    const [obj] = inboxObjects('wire', new Date('2026-11-26T10:00:00Z'), [e]);
    expect(obj?.name).toMatch(/^2026-11-26T10:00:00\.000Z-wire-[0-9a-f]{12}$/);
    expect(parseInboxObject(obj?.body as Buffer)).toEqual([e]);
    expect(parseInboxObject(new TextEncoder().encode('nope'))).toBeUndefined();
  });

  it('splits a long list into objects of INBOX_OBJECT_ENTRIES entries, in order, each small enough for a table row', () => {
    const many = Array.from({ length: INBOX_OBJECT_ENTRIES * 2 + 1 }, (_, i) => ({ ...entry('wire', WIRE), itemId: `item-${i}`, title: `A headline of ordinary length, number ${i} of many` }));
    const objects = inboxObjects('wire', new Date('2026-11-26T10:00:00Z'), many);
    expect(objects.map((o) => parseInboxObject(o.body)?.length)).toEqual([INBOX_OBJECT_ENTRIES, INBOX_OBJECT_ENTRIES, 1]);
    expect(objects.flatMap((o) => parseInboxObject(o.body) ?? [])).toEqual(many);
    for (const o of objects) expect(o.body.byteLength).toBeLessThan(350 * 1024);
    expect(new Set(objects.map((o) => o.name)).size).toBe(3);
  });
});
