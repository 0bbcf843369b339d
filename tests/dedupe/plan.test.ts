/** planWrites: new, update-in-place, merge, alias-only and nothing, as the doc comments of plan.ts and ports.ts define them. */
import { describe, expect, it } from 'vitest';
import { planWrites, type KeyedDraft } from '../../shared/dedupe/plan';
import { idForKey } from '../../shared/ids';
import type { Item, ItemDraft } from '../../shared/model';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const EARLIER = '2026-11-20T08:00:00.000Z';

function draft(over: Partial<ItemDraft> = {}): ItemDraft {
  return { sourceId: 'a', title: 'T', authors: [], categories: [], enclosures: [], contentHash: 'hash-1', ...over };
}

const keyed = (d: ItemDraft, keys: string[]): KeyedDraft => ({ draft: d, keys });

function stored(id: string, over: Partial<Item> = {}, version = 3): Item & { version: number } {
  return {
    sourceId: 'a',
    title: 'Stored',
    authors: [],
    categories: [],
    enclosures: [],
    contentHash: 'hash-1',
    id,
    sourceIds: ['a'],
    sortDate: EARLIER,
    firstSeenAt: EARLIER,
    changedAt: EARLIER,
    rawRef: { key: 'raw/feeds/a/x.gz', entry: 3 },
    version,
    ...over,
  };
}

describe('planWrites: new items', () => {
  it('creates an item whose id derives from its canonical link and aliases the other keys', () => {
    const d = draft({ guid: '1', url: 'https://x.example/s', published: '2026-11-26T10:00:00.000Z', rawHtml: '<p>x</p>' });
    const entry = keyed(d, ['g:a:1', 'u:https://x.example/s']);
    const plan = planWrites([entry], new Map(), new Map(), NOW);
    expect(plan.created).toBe(1);
    expect(plan.writes).toHaveLength(1);
    const w = plan.writes[0]!;
    expect(w.kind).toBe('new');
    expect(w.item.id).toBe(idForKey('u:https://x.example/s'));
    expect(w.aliasKeys).toEqual(['g:a:1']);
    expect(w.expectedVersion).toBeUndefined();
    expect(w.item).toMatchObject({ sourceIds: ['a'], sortDate: '2026-11-26T10:00:00.000Z', firstSeenAt: NOW.toISOString(), changedAt: NOW.toISOString(), title: 'T', contentHash: 'hash-1' });
    expect(w.item).not.toHaveProperty('rawHtml');
    expect(plan.rawFrom).toEqual([d]);
    expect(plan.origins).toEqual([{ keyed: entry, counts: 'created' }]);
  });

  it('derives the id from the first key when there is no link: two sources with the same link write one id, with the same guid two', () => {
    const onlyLink = planWrites([keyed(draft(), ['u:https://x.example/p'])], new Map(), new Map(), NOW).writes[0]!;
    expect(onlyLink.item.id).toBe(idForKey('u:https://x.example/p'));
    expect(onlyLink.aliasKeys).toEqual([]);
    const onlyGuid = planWrites([keyed(draft(), ['g:a:9'])], new Map(), new Map(), NOW).writes[0]!;
    expect(onlyGuid.item.id).toBe(idForKey('g:a:9'));
    const fromA = planWrites([keyed(draft({ sourceId: 'a' }), ['g:a:1', 'u:https://x.example/p'])], new Map(), new Map(), NOW).writes[0]!;
    const fromB = planWrites([keyed(draft({ sourceId: 'b' }), ['g:b:1', 'u:https://x.example/p'])], new Map(), new Map(), NOW).writes[0]!;
    expect(fromA.item.id).toBe(fromB.item.id);
    const guidA = planWrites([keyed(draft({ sourceId: 'a' }), ['g:a:1'])], new Map(), new Map(), NOW).writes[0]!;
    const guidB = planWrites([keyed(draft({ sourceId: 'b' }), ['g:b:1'])], new Map(), new Map(), NOW).writes[0]!;
    expect(guidA.item.id).not.toBe(guidB.item.id);
  });

  it('sorts by published, else updated, else the time first seen', () => {
    const entries = [
      keyed(draft({ published: '2026-11-01T00:00:00.000Z', updated: '2026-11-02T00:00:00.000Z' }), ['g:a:1']),
      keyed(draft({ updated: '2026-11-02T00:00:00.000Z' }), ['g:a:2']),
      keyed(draft(), ['g:a:3']),
    ];
    const plan = planWrites(entries, new Map(), new Map(), NOW);
    expect(plan.writes.map((w) => w.item.sortDate)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', NOW.toISOString()]);
  });

  it('counts two entries of one batch that resolve to the same item once', () => {
    const plan = planWrites([keyed(draft({ title: 'one' }), ['u:https://x.example/s']), keyed(draft({ title: 'two' }), ['u:https://x.example/s'])], new Map(), new Map(), NOW);
    expect(plan.writes).toHaveLength(1);
    expect(plan.created).toBe(1);
    expect(plan.unchanged).toBe(1);
    expect(plan.writes[0]?.item.title).toBe('one');
  });

  it('recreates an item whose row is missing behind a resolved key, without re-aliasing that key', () => {
    const dangling = idForKey('u:https://x.example/s');
    const plan = planWrites([keyed(draft(), ['g:a:1', 'u:https://x.example/s'])], new Map([['u:https://x.example/s', dangling]]), new Map(), NOW);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ kind: 'new', aliasKeys: ['g:a:1'] });
    expect(plan.writes[0]?.item.id).toBe(dangling);
  });
});

describe('planWrites: an item another source holds', () => {
  it('merges: appends the source, keeps the stored fields, aliases its new keys, locks on the version', () => {
    const id = idForKey('g:b:7');
    const current = stored(id, { sourceId: 'b', sourceIds: ['b'], title: 'From b', contentHash: 'hash-b' }, 5);
    const entry = keyed(draft({ sourceId: 'a', guid: '1', title: 'From a', contentHash: 'hash-a', rawHtml: '<p/>' }), ['g:a:1', 'u:https://x.example/s']);
    const plan = planWrites([entry], new Map([['u:https://x.example/s', id]]), new Map([[id, current]]), NOW);
    expect([plan.created, plan.updated, plan.merged, plan.unchanged]).toEqual([0, 0, 1, 0]);
    const w = plan.writes[0]!;
    expect(w.kind).toBe('merge');
    expect(w.expectedVersion).toBe(5);
    expect(w.joinedSourceId).toBe('a');
    expect(w.aliasKeys).toEqual(['g:a:1']);
    const { version: _v, ...rest } = current;
    expect(w.item).toEqual({ ...rest, sourceIds: ['b', 'a'] });
    expect(w.item).not.toHaveProperty('version');
    expect(plan.rawFrom).toEqual([undefined]);
    expect(plan.origins[0]?.counts).toBe('merged');
  });

  it("does not let a non-first source's changed copy overwrite the item", () => {
    const id = idForKey('u:https://x.example/s');
    const current = stored(id, { sourceId: 'b', sourceIds: ['b', 'a'], contentHash: 'hash-b' });
    const entry = keyed(draft({ sourceId: 'a', contentHash: 'hash-a-changed' }), ['u:https://x.example/s']);
    const plan = planWrites([entry], new Map([['u:https://x.example/s', id]]), new Map([[id, current]]), NOW);
    expect(plan.writes).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });
});

describe("planWrites: the item's own source", () => {
  const id = idForKey('g:a:1');
  const resolved = new Map([['g:a:1', id]]);

  it('updates in place when the content changed: firstSeenAt kept, changedAt now, sources kept', () => {
    const current = stored(id, { sourceIds: ['a', 'b'], contentHash: 'old' }, 8);
    const d = draft({ guid: '1', title: 'New title', contentHash: 'new', rawHtml: '<p>new</p>' });
    const plan = planWrites([keyed(d, ['g:a:1'])], resolved, new Map([[id, current]]), NOW);
    expect([plan.created, plan.updated, plan.merged, plan.unchanged]).toEqual([0, 1, 0, 0]);
    const w = plan.writes[0]!;
    expect(w).toMatchObject({ kind: 'update', expectedVersion: 8, aliasKeys: [] });
    expect(w.item).toMatchObject({ id, title: 'New title', contentHash: 'new', sourceIds: ['a', 'b'], firstSeenAt: EARLIER, changedAt: NOW.toISOString(), sortDate: EARLIER });
    expect(w.item).not.toHaveProperty('rawHtml');
    expect(plan.rawFrom).toEqual([d]);
  });

  it('keeps what Tributary added to the item (story, captured page) when its source updates it', () => {
    const current = stored(id, { contentHash: 'old', storyId: 'story-1', pageRef: { key: 'raw/pages/a/p.gz' }, articleText: 'Captured text.' });
    const plan = planWrites([keyed(draft({ guid: '1', contentHash: 'new' }), ['g:a:1'])], resolved, new Map([[id, current]]), NOW);
    expect(plan.writes[0]?.item).toMatchObject({ storyId: 'story-1', pageRef: { key: 'raw/pages/a/p.gz' }, articleText: 'Captured text.' });
  });

  it("re-dates an updated item by the draft's published, else updated date", () => {
    const current = stored(id, { contentHash: 'old' });
    const pub = planWrites([keyed(draft({ contentHash: 'n', published: '2026-11-25T00:00:00.000Z' }), ['g:a:1'])], resolved, new Map([[id, current]]), NOW);
    expect(pub.writes[0]?.item.sortDate).toBe('2026-11-25T00:00:00.000Z');
    const upd = planWrites([keyed(draft({ contentHash: 'n', updated: '2026-11-24T00:00:00.000Z' }), ['g:a:1'])], resolved, new Map([[id, current]]), NOW);
    expect(upd.writes[0]?.item.sortDate).toBe('2026-11-24T00:00:00.000Z');
  });

  it('writes nothing when nothing changed', () => {
    const plan = planWrites([keyed(draft({ contentHash: 'hash-1' }), ['g:a:1'])], resolved, new Map([[id, stored(id)]]), NOW);
    expect(plan.writes).toEqual([]);
    expect([plan.created, plan.updated, plan.merged, plan.unchanged]).toEqual([0, 0, 0, 1]);
  });

  it('writes only the missing alias when the content is unchanged but a new key appeared', () => {
    const current = stored(id);
    const entry = keyed(draft({ contentHash: 'hash-1' }), ['g:a:1', 'u:https://x.example/late-link']);
    const plan = planWrites([entry], resolved, new Map([[id, current]]), NOW);
    expect(plan.writes).toHaveLength(1);
    const { version: _v, ...rest } = current;
    expect(plan.writes[0]).toMatchObject({ kind: 'update', expectedVersion: 3, aliasKeys: ['u:https://x.example/late-link'] });
    expect(plan.writes[0]?.item).toEqual(rest);
    expect(plan.rawFrom).toEqual([undefined]);
    expect(plan.origins[0]?.counts).toBe('unchanged');
    expect([plan.updated, plan.unchanged]).toEqual([0, 1]);
  });
});

describe('planWrites: a mixed batch', () => {
  it('keeps writes, rawFrom and origins aligned index for index', () => {
    const mergedId = idForKey('g:b:1');
    const ownId = idForKey('g:a:2');
    const entries = [
      keyed(draft({ guid: 'new' }), ['g:a:new']),
      keyed(draft({ guid: '1', contentHash: 'x' }), ['g:a:1', 'u:https://x.example/m']),
      keyed(draft({ guid: '2', contentHash: 'same' }), ['g:a:2']),
      keyed(draft({ guid: '3', contentHash: 'changed' }), ['g:a:3']),
    ];
    const ownChangedId = idForKey('g:a:3');
    const plan = planWrites(
      entries,
      new Map([['u:https://x.example/m', mergedId], ['g:a:2', ownId], ['g:a:3', ownChangedId]]),
      new Map([
        [mergedId, stored(mergedId, { sourceId: 'b', sourceIds: ['b'] })],
        [ownId, stored(ownId, { contentHash: 'same' })],
        [ownChangedId, stored(ownChangedId, { contentHash: 'before' })],
      ]),
      NOW,
    );
    expect(plan.writes.map((w) => w.kind)).toEqual(['new', 'merge', 'update']);
    expect(plan.origins.map((o) => o.keyed)).toEqual([entries[0], entries[1], entries[3]]);
    expect(plan.origins.map((o) => o.counts)).toEqual(['created', 'merged', 'updated']);
    expect(plan.rawFrom).toEqual([entries[0]?.draft, undefined, entries[3]?.draft]);
    expect([plan.created, plan.updated, plan.merged, plan.unchanged]).toEqual([1, 1, 1, 1]);
  });
});
