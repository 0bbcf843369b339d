/**
 * updatedTagItems: a tag feed re-made from its old list and the changed sources' pages must equal
 * the feed made from every source's page, or give up (undefined) so that the caller reads them all.
 * Checked on hand-made cases and on many random histories of items shared between sources.
 */
import { describe, expect, it } from 'vitest';
import type { Item, Source } from '../../shared/model';
import { itemSortKey, updatedTagItems } from '../../shared/pipeline/publish-tags';
import { mergeNewest, type TagGroup } from '../../shared/publish/select';

const src = (id: string): Source => ({ id, url: `https://${id}.example/`, title: id, tags: ['t'] });
const item = (id: string, day: number, sourceIds: string[]): Item =>
  ({ id, sortDate: new Date(Date.UTC(2026, 0, 1) + day * 3_600_000).toISOString(), sourceIds, title: id, changedAt: '2026-01-01T00:00:00.000Z', firstSeenAt: '2026-01-01T00:00:00.000Z', contentHash: 'h' }) as unknown as Item;

/** Each source's newest `limit` items (what the per-source index returns). */
function pagesOf(items: readonly Item[], sources: readonly Source[], limit: number): Map<string, Item[]> {
  return new Map(sources.map((s) => [s.id, mergeNewest([items.filter((i) => i.sourceIds.includes(s.id))], limit)]));
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('updatedTagItems', () => {
  const sources = ['a', 'b', 'c'].map(src);
  const group: TagGroup = { slug: 't', tags: ['t'], sources };

  it('adds a changed source\'s new items without reading the others', () => {
    const before = [item('a1', 1, ['a']), item('b1', 2, ['b']), item('c1', 3, ['c']), item('a2', 4, ['a'])];
    const old = mergeNewest([...pagesOf(before, sources, 3).values()], 3);
    const after = [...before, item('b2', 5, ['b'])];
    const pages = pagesOf(after, sources, 3);
    const known = new Map(after.map((i) => [i.id, i]));
    const got = updatedTagItems(group, old.map(itemSortKey), new Set(['b']), new Map([['b', pages.get('b') ?? []]]), known, 3);
    expect(got?.map((i) => i.id)).toEqual(['b2', 'a2', 'c1']);
  });

  it('gives up when a changed source\'s item moved below the old list\'s floor, or the old list is unknown', () => {
    const before = [item('a1', 1, ['a']), item('b1', 2, ['b']), item('c1', 3, ['c']), item('b2', 4, ['b'])];
    const old = mergeNewest([...pagesOf(before, sources, 3).values()], 3);
    const after = [before[0], before[1], before[2], item('b2', 0, ['b'])] as Item[];
    const known = new Map(after.map((i) => [i.id, i]));
    const pages = pagesOf(after, sources, 3);
    expect(updatedTagItems(group, old.map(itemSortKey), new Set(['b']), new Map([['b', pages.get('b') ?? []]]), known, 3)).toBeUndefined();
    expect(updatedTagItems(group, undefined, new Set(['b']), pages, known, 3)).toBeUndefined();
  });

  it('equals the feed made from every page over random histories (or gives up)', () => {
    let exact = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const random = rng(seed);
      const ids = ['a', 'b', 'c', 'd', 'e'].slice(0, 2 + Math.floor(random() * 4));
      const srcs = ids.map(src);
      const g: TagGroup = { slug: 't', tags: ['t'], sources: srcs.slice(0, Math.max(1, Math.floor(random() * srcs.length) + 1)) };
      const limit = 1 + Math.floor(random() * 5);
      const pick = () => ids[Math.floor(random() * ids.length)] as string;
      let items: Item[] = Array.from({ length: Math.floor(random() * 30) }, (_, i) => item(`i${i}`, Math.floor(random() * 50), [...new Set([pick(), ...(random() < 0.2 ? [pick()] : [])])]));
      const old = mergeNewest(g.sources.map((s) => pagesOf(items, g.sources, limit).get(s.id) ?? []), limit);
      // A change: new items, items another source joins, an item whose date moves.
      const dirty = new Set<string>();
      for (let k = 0, n = Math.floor(random() * 4); k < n; k++) {
        const kind = random();
        if (kind < 0.5 || items.length === 0) {
          const s = pick();
          items = [...items, item(`n${seed}-${k}`, Math.floor(random() * 60), [s])];
          dirty.add(s);
        } else {
          const target = items[Math.floor(random() * items.length)] as Item;
          const joined = kind < 0.75 ? [...new Set([...target.sourceIds, pick()])] : target.sourceIds;
          const moved = kind < 0.75 ? ({ ...target, sourceIds: joined } as Item) : item(target.id, Math.floor(random() * 60), joined);
          items = items.map((i) => (i.id === target.id ? moved : i));
          for (const s of [...target.sourceIds, ...joined]) dirty.add(s);
        }
      }
      const pages = pagesOf(items, srcs, limit);
      const truth = mergeNewest(g.sources.map((s) => pages.get(s.id) ?? []), limit);
      const dirtyPages = new Map([...pages].filter(([id]) => dirty.has(id)));
      const got = updatedTagItems(g, old.map(itemSortKey), dirty, dirtyPages, new Map(items.map((i) => [i.id, i])), limit);
      if (got === undefined) continue;
      exact++;
      expect(got.map(itemSortKey), `seed ${seed}`).toEqual(truth.map(itemSortKey));
    }
    expect(exact).toBeGreaterThan(1000);
  });
});
