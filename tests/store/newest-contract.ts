/** Contract of ItemRepository.newest (order, paging, bounds, per source, cost), run against every DynamoDB engine. */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../shared/model';
import { textOfSanitisedHtml } from '../../shared/normalise/sanitised-text';
import { shardOf } from '../../shared/store/rows';
import { type StoresFactory, idsOf, readAllPages, recordCommands, trackedFactory } from './contract-setup';
import { makeItem, newWrite, newestFirst, spreadItems } from './fixtures';

/** Items over three months and two sources, with equal sortDates so the id tie-break matters. */
function corpus(): Item[] {
  const a = spreadItems('na', 'src-a', ['2025-11', '2025-12', '2026-01'], 27);
  const b = spreadItems('nb', 'src-b', ['2026-01', '2025-12'], 14);
  const ties = ['t1', 't2', 't3'].map((name) => makeItem(`u:https://tie.example/${name}`, 'src-b', '2025-12-15T12:00:00.000Z'));
  return [...a, ...b, ...ties];
}

/** Registers the newest-items contract tests for stores made by `factory`. */
export function newestContract(factory: StoresFactory): void {
  const fresh = trackedFactory(factory);

  describe('newest', () => {
    it('orders across months and shards by sortDate then id, paging by cursor without gaps or repeats', async () => {
      const { items, config } = await fresh();
      const all = corpus();
      expect(new Set(all.map((item) => shardOf(item.id, config.indexShards))).size).toBe(config.indexShards);
      await items.writeItems(all.map((item) => newWrite(item)));
      const expected = idsOf(newestFirst(all));
      for (const limit of [1, 7, 44, 100]) {
        const pages = await readAllPages(items, { limit });
        expect(idsOf(pages.items)).toEqual(expected);
        expect(pages.pageSizes.slice(0, -1).every((size) => size === limit)).toBe(true);
      }
      const first = await items.newest({ limit: 44 });
      expect(first.cursor).toBeUndefined();
    });

    it('applies since and until inclusively (any ISO form), also while paging', async () => {
      const { items } = await fresh();
      const all = corpus();
      await items.writeItems(all.map((item) => newWrite(item)));
      const since = '2025-12-15T12:00:00Z'; // the tie items sort exactly here
      const until = '2026-01-05T10:04:00.000Z';
      const expected = newestFirst(all).filter(
        (item) => item.sortDate >= '2025-12-15T12:00:00.000Z' && item.sortDate <= until,
      );
      expect(expected.some((item) => item.sortDate === until)).toBe(true);
      expect(expected.filter((item) => item.sortDate.startsWith('2025-12-15T12')).length).toBe(3);
      for (const limit of [2, 5, 50]) {
        expect(idsOf((await readAllPages(items, { limit, since, until })).items)).toEqual(idsOf(expected));
      }
      expect(idsOf((await readAllPages(items, { limit: 3, since: '2026-01-01T00:00:00.000Z' })).items)).toEqual(
        idsOf(newestFirst(all).filter((item) => item.sortDate >= '2026-01-01')),
      );
      expect(idsOf((await readAllPages(items, { limit: 3, until: '2025-11-30T23:59:59.999Z' })).items)).toEqual(
        idsOf(newestFirst(all).filter((item) => item.sortDate < '2025-12')),
      );
      expect((await items.newest({ limit: 5, since: '2027-01-01T00:00:00.000Z' })).items).toEqual([]);
      expect((await items.newest({ limit: 5, since: '2026-01-02T00:00:00.000Z', until: '2026-01-01T00:00:00.000Z' })).items).toEqual([]);
    });

    it('lists one source newest first, with paging and bounds', async () => {
      const { items } = await fresh();
      const all = corpus();
      await items.writeItems(all.map((item) => newWrite(item)));
      const ofB = newestFirst(all.filter((item) => item.sourceId === 'src-b'));
      expect(idsOf((await readAllPages(items, { limit: 4, sourceId: 'src-b' })).items)).toEqual(idsOf(ofB));
      const since = '2026-01-01T00:00:00.000Z';
      expect(idsOf((await readAllPages(items, { limit: 2, sourceId: 'src-b', since })).items)).toEqual(
        idsOf(ofB.filter((item) => item.sortDate >= since)),
      );
      expect((await items.newest({ limit: 5, sourceId: 'src-none' })).items).toEqual([]);
    });

    it('returns Items without internal attributes', async () => {
      const { items } = await fresh();
      // Whole items come back although gsi1 holds keys only, their texts too (stored or derived from the html).
      const item = makeItem('u:https://clean.example/1', 'src-a', '2026-01-01T00:00:00.000Z', {
        summaryHtml: '<p>Short <b>summary</b></p><p>two &amp; more</p>',
        summaryText: textOfSanitisedHtml('<p>Short <b>summary</b></p><p>two &amp; more</p>'),
        contentHtml: '<p>Full story</p>',
        contentText: 'Full story, as the feed gave it',
      });
      await items.writeItems([newWrite(item)]);
      expect((await items.newest({ limit: 1 })).items).toEqual([item]);
      expect((await items.newest({ limit: 1, sourceId: 'src-a' })).items).toEqual([item]);
    });

    it('reads again only the items of a page that are new or changed since the same repository read them', async () => {
      const stores = await fresh();
      const { items } = stores;
      const recorder = recordCommands(stores);
      const page = spreadItems('held', 'src-a', ['2026-03'], 12);
      await items.writeItems(page.map((item) => newWrite(item)));
      await items.newest({ limit: 12 });
      recorder.reset();
      expect(idsOf((await items.newest({ limit: 12 })).items)).toEqual(idsOf(newestFirst(page)));
      expect(recorder.commands.filter((c) => c === 'BatchGetItemCommand')).toEqual([]);
      const changed = { ...(page[3] as Item), title: 'changed title' };
      await items.writeItems([{ item: changed, aliasKeys: [], kind: 'update', expectedVersion: 1 }]);
      recorder.reset();
      const again = (await items.newest({ limit: 12 })).items;
      expect(again.find((i) => i.id === changed.id)?.title).toBe('changed title');
      expect(recorder.commands.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    });

    it('reads the newest page at a cost independent of how many items are stored, never scanning', async () => {
      const stores = await fresh();
      const { items, config } = stores;
      const recorder = recordCommands(stores);
      const recent = spreadItems('recent', 'src-a', ['2026-03'], 20);
      await items.writeItems(recent.map((item) => newWrite(item)));
      const measure = async () => {
        recorder.reset();
        const page = await items.newest({ limit: 10 });
        const perSource = await items.newest({ limit: 10, sourceId: 'src-a' });
        return { page, perSource, commands: [...recorder.commands], queried: recorder.queriedItems() };
      };
      const small = await measure();
      await items.writeItems(spreadItems('old', 'src-a', ['2025-01', '2025-02', '2025-03', '2025-04'], 400).map((item) => newWrite(item)));
      const large = await measure();
      expect(idsOf(large.page.items)).toEqual(idsOf(small.page.items));
      expect(idsOf(large.perSource.items)).toEqual(idsOf(small.perSource.items));
      // The same Queries; the item reads may only shrink (the second page's items are held at their version).
      expect(large.commands.filter((c) => c !== 'BatchGetItemCommand')).toEqual(small.commands.filter((c) => c !== 'BatchGetItemCommand'));
      expect(large.commands.length).toBeLessThanOrEqual(small.commands.length);
      expect(large.queried).toBe(small.queried);
      expect(large.queried).toBeLessThanOrEqual((config.indexShards + 1) * 11);
      expect([...small.commands, ...large.commands].some((name) => name.startsWith('Scan'))).toBe(false);
    });
  });
}
