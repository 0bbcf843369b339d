/** Contract of ItemRepository's keys and writes, run against every DynamoDB engine. */
import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../shared/errors';
import { idForKey } from '../../shared/ids';
import { type StoresFactory, idsOf, readAllPages, trackedFactory } from './contract-setup';
import { makeItem, newWrite, spreadItems } from './fixtures';

/** Registers the item key/write contract tests for stores made by `factory`. */
export function itemWriteContract(factory: StoresFactory): void {
  const fresh = trackedFactory(factory);

  describe('resolveKeys', () => {
    it('maps derived keys to their item, alias keys to their target and leaves unknown keys out', async () => {
      const { items } = await fresh();
      const a = makeItem('u:https://a.example/1', 'src-a', '2026-01-10T00:00:00.000Z');
      const b = makeItem('u:https://b.example/1', 'src-b', '2026-01-11T00:00:00.000Z');
      await items.writeItems([newWrite(a, ['g:guid-a', 'g:shared']), newWrite(b)]);
      const resolved = await items.resolveKeys(['u:https://a.example/1', 'g:guid-a', 'u:https://b.example/1', 'u:nope']);
      expect(Object.fromEntries(resolved)).toEqual({
        'u:https://a.example/1': a.id,
        'g:guid-a': a.id,
        'u:https://b.example/1': b.id,
      });
    });

    it('prefers the item a key derives from over an alias of the same key', async () => {
      const { items } = await fresh();
      const a = makeItem('u:https://a.example/2', 'src-a', '2026-01-10T00:00:00.000Z');
      const b = makeItem('u:https://b.example/2', 'src-b', '2026-01-11T00:00:00.000Z');
      // An alias row claims b's own key for a; b's item row must win.
      await items.writeItems([newWrite(a, ['u:https://b.example/2']), newWrite(b)]);
      const resolved = await items.resolveKeys(['u:https://b.example/2']);
      expect(resolved.get('u:https://b.example/2')).toBe(b.id);
    });

    it('returns an empty map for no keys', async () => {
      const { items } = await fresh();
      expect((await items.resolveKeys([])).size).toBe(0);
    });
  });

  describe('getItems and writeItems', () => {
    it('round-trips every Item field, with version 1 on creation, and leaves missing ids out', async () => {
      const { items } = await fresh();
      const item = makeItem('u:https://a.example/rt', 'src-a', '2026-02-03T04:05:06.000Z', {
        title: '',
        guid: 'guid-rt',
        summaryHtml: '<p>Hi</p>',
        summaryText: 'Hi',
        authors: [{ name: 'Ann', email: 'ann@example.com' }],
        categories: ['news', 'tech'],
        enclosures: [{ url: 'https://a.example/x.mp3', type: 'audio/mpeg', length: 1234, durationS: 61 }],
        published: '2026-02-03T04:05:06.000Z',
        lang: 'en',
        rawRef: { key: 'raw/batches/2026-12-01/x.gz', range: { offset: 70, length: 900 }, entry: 7, contentType: 'application/rss+xml; charset=windows-1251' },
      });
      await items.writeItems([newWrite(item)]);
      const got = await items.getItems([item.id, idForKey('u:missing')]);
      expect([...got.keys()]).toEqual([item.id]);
      expect(got.get(item.id)).toEqual({ ...item, version: 1 });
      expect(await items.getItems([item.id, idForKey('u:missing')], { eventual: true })).toEqual(got);
    });

    it('re-writing the same new items is idempotent: no duplicates in newest', async () => {
      const { items } = await fresh();
      const batch = spreadItems('idem', 'src-a', ['2026-01', '2026-02'], 6);
      await items.writeItems(batch.map((item) => newWrite(item)));
      await items.writeItems(batch.map((item) => newWrite(item)));
      const all = await readAllPages(items, { limit: 4 });
      expect(all.items).toHaveLength(6);
      expect(new Set(idsOf(all.items)).size).toBe(6);
      for (const stored of (await items.getItems(idsOf(batch))).values()) expect(stored.version).toBe(1);
    });

    it('updates with the expected version and bumps it; a stale version fails with VersionConflictError', async () => {
      const { items } = await fresh();
      const item = makeItem('u:https://a.example/up', 'src-a', '2026-03-01T00:00:00.000Z');
      await items.writeItems([newWrite(item)]);
      const changed = { ...item, title: 'Changed', changedAt: '2026-03-02T00:00:00.000Z' };
      await items.writeItems([{ item: changed, aliasKeys: [], kind: 'update', expectedVersion: 1 }]);
      expect((await items.getItems([item.id])).get(item.id)).toEqual({ ...changed, version: 2 });

      const stale = items.writeItems([{ item: { ...item, title: 'Stale' }, aliasKeys: [], kind: 'update', expectedVersion: 1 }]);
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ itemId: item.id });
      expect((await items.getItems([item.id])).get(item.id)?.title).toBe('Changed');

      const ghost = makeItem('u:https://a.example/ghost', 'src-a', '2026-03-01T00:00:00.000Z');
      await expect(
        items.writeItems([{ item: ghost, aliasKeys: [], kind: 'update', expectedVersion: 1 }]),
      ).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('an update that moves sortDate re-indexes the item without leaving a duplicate', async () => {
      const { items } = await fresh();
      const older = makeItem('u:https://a.example/o', 'src-a', '2026-01-05T00:00:00.000Z');
      const moving = makeItem('u:https://a.example/m', 'src-a', '2026-01-01T00:00:00.000Z');
      await items.writeItems([newWrite(older), newWrite(moving)]);
      const moved = { ...moving, sortDate: '2026-02-01T00:00:00.000Z' };
      await items.writeItems([{ item: moved, aliasKeys: [], kind: 'update', expectedVersion: 1 }]);
      expect(idsOf((await items.newest({ limit: 10 })).items)).toEqual([moving.id, older.id]);
      expect(idsOf((await items.newest({ limit: 10, sourceId: 'src-a' })).items)).toEqual([moving.id, older.id]);
    });

    it('a merge adds the joining source: the item is listed under both sources and once overall', async () => {
      const { items } = await fresh();
      const item = makeItem('u:https://shared.example/story', 'src-a', '2026-04-01T00:00:00.000Z');
      const onlyB = makeItem('u:https://b.example/own', 'src-b', '2026-03-01T00:00:00.000Z');
      await items.writeItems([newWrite(item), newWrite(onlyB)]);
      const merged = { ...item, sourceIds: ['src-a', 'src-b'] };
      await items.writeItems([
        { item: merged, aliasKeys: ['g:b-guid'], kind: 'merge', expectedVersion: 1, joinedSourceId: 'src-b' },
      ]);
      expect(idsOf((await items.newest({ limit: 10, sourceId: 'src-b' })).items)).toEqual([item.id, onlyB.id]);
      expect(idsOf((await items.newest({ limit: 10, sourceId: 'src-a' })).items)).toEqual([item.id]);
      expect(idsOf((await items.newest({ limit: 10 })).items)).toEqual([item.id, onlyB.id]);
      expect((await items.resolveKeys(['g:b-guid'])).get('g:b-guid')).toBe(item.id);
      expect((await items.getItems([item.id])).get(item.id)?.version).toBe(2);
      await expect(
        items.writeItems([{ item: merged, aliasKeys: [], kind: 'merge', expectedVersion: 1, joinedSourceId: 'src-b' }]),
      ).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('writes, reads and resolves batches larger than 25 and 100', async () => {
      const { items } = await fresh();
      const batch = spreadItems('bulk', 'src-bulk', ['2025-12', '2026-01'], 130);
      await items.writeItems(batch.map((item, i) => newWrite(item, [`g:bulk-${i}`])));
      const got = await items.getItems(idsOf(batch));
      expect(got.size).toBe(130);
      const keys = batch.flatMap((item, i) => [`u:https://bulk.example/${i}`, `g:bulk-${i}`]);
      const resolved = await items.resolveKeys(keys);
      expect(resolved.size).toBe(260);
      batch.forEach((item, i) => expect(resolved.get(`g:bulk-${i}`)).toBe(item.id));
      const newest = await items.newest({ limit: 130 });
      expect(new Set(idsOf(newest.items)).size).toBe(130);
      expect(newest.cursor).toBeUndefined();
    });
  });
}
