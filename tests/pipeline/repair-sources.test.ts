/**
 * Two sources creating the same linked item at the same moment (dynalite and s3rver): both write the
 * one row its link derives, the last write wins, and the publisher's story run adds the other source back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { clusterStories, type ClusterDeps } from '../../shared/pipeline/cluster-stories';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { keyLocksOf } from '../../shared/pipeline/key-locks';
import { lostSources } from '../../shared/pipeline/repair-sources';
import type { ItemRepository } from '../../shared/store/ports';
import { DynamoStoryRepository } from '../../shared/store/stories';
import { createTestStores, testConfig } from '../helpers/stores';
import { WIRE, rss } from '../story/fixtures';

let deps: IngestDeps & ClusterDeps;

beforeEach(async () => {
  const config = testConfig();
  const stores = await createTestStores(config);
  deps = { items: stores.items, blobs: stores.blobs, states: stores.states, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
});

/** Two views of the real repository, as two processes have: no key lookup returns before both started, so each creator sees the item absent. */
function racingPair(items: ItemRepository): [ItemRepository, ItemRepository] {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const view = (): ItemRepository =>
    Object.assign(Object.create(items) as ItemRepository, {
      async resolveKeys(keys: string[]) {
        const resolved = await items.resolveKeys(keys);
        if (++arrived >= 2) open();
        await gate;
        return resolved;
      },
    });
  return [view(), view()];
}

const ingest = (sourceId: string, items: ItemRepository) =>
  ingestFeed({ sourceId, body: rss(sourceId, [WIRE]), feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date('2026-11-26T10:00:00Z') }, { ...deps, items });

describe('sources of an item created twice at once', () => {
  it('one row, and after the story run both sources carry it and list it', async () => {
    const [first, second] = racingPair(deps.items);
    const [a, b] = await Promise.all([ingest('wire', first), ingest('courier', second)]);
    expect(a.created + b.created).toBe(2);
    const before = (await deps.items.newest({ limit: 10 })).items;
    expect(before).toHaveLength(1);
    expect(before[0]?.sourceIds).toHaveLength(1);

    const result = await clusterStories(deps, new Date('2026-11-26T10:10:00Z'));
    expect(result.repaired).toBe(1);
    const [item] = (await deps.items.newest({ limit: 10 })).items;
    expect([...(item?.sourceIds ?? [])].sort()).toEqual(['courier', 'wire']);
    for (const sourceId of ['wire', 'courier']) {
      expect((await deps.items.newest({ sourceId, limit: 10 })).items.map((i) => i.id)).toEqual([item?.id]);
    }
    const members = await deps.stories.members(item?.id as string);
    expect([...(members[0]?.sourceIds ?? [])].sort()).toEqual(['courier', 'wire']);
  });

  it('repairs nothing when one process ingests both at once: the second is held until the first wrote, and merges', async () => {
    const [a, b] = await Promise.all([ingest('wire', deps.items), ingest('courier', deps.items)]);
    expect([a.created, b.created].sort()).toEqual([0, 1]);
    expect(a.merged + b.merged).toBe(1);
    const result = await clusterStories(deps, new Date('2026-11-26T10:10:00Z'));
    expect(result.repaired).toBe(0);
    const [item] = (await deps.items.newest({ limit: 10 })).items;
    expect(item?.sourceIds).toEqual(['wire', 'courier']);
    expect(keyLocksOf(deps.items).size).toBe(0);
  });
});

describe('lostSources', () => {
  it('names, per stored item, the entry sources it does not list, once each', () => {
    const entry = (itemId: string, sourceIds: string[]) => ({ itemId, sourceIds }) as never;
    const stored = new Map([['x', { sourceIds: ['a'] }], ['y', { sourceIds: ['b', 'c'] }]]);
    const lost = lostSources([entry('x', ['a']), entry('x', ['b']), entry('x', ['b']), entry('y', ['c']), entry('z', ['d'])], stored);
    expect([...lost]).toEqual([['x', ['b']]]);
  });
});
