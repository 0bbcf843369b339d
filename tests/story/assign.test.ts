/** Story assignment in ingest, on dynalite: one story per republished story, two for two stories on one topic. */
import { beforeEach, describe, expect, it } from 'vitest';
import { isSameStory } from '../../shared/cluster';
import type { Item } from '../../shared/model';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { DynamoStoryRepository, decodeMinhash, encodeMinhash } from '../../shared/store/stories';
import { itemSignature } from '../../shared/story';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, SAME_TOPIC, WIRE, rss } from './fixtures';

let deps: IngestDeps & { stories: DynamoStoryRepository };

beforeEach(async () => {
  const config = testConfig();
  const stores = await createTestStores(config);
  deps = { items: stores.items, blobs: stores.blobs, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
});

const ingest = (sourceId: string, body: Uint8Array, at = '2026-11-26T10:00:00Z') =>
  ingestFeed({ sourceId, body, feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date(at) }, deps);

async function all(): Promise<Item[]> {
  return (await deps.items.newest({ limit: 100 })).items;
}

describe('story assignment', () => {
  it('puts the same story from two sources ingested concurrently into one story, listed in arrival order', async () => {
    const [a, b] = await Promise.all([ingest('wire', rss('Wire', [WIRE])), ingest('courier', rss('Courier', [REPUBLISHED]))]);
    expect(a.created + b.created).toBe(2);
    expect(a.clustered + b.clustered).toBe(1);
    const items = await all();
    expect(items).toHaveLength(2);
    const storyIds = new Set(items.map((i) => i.storyId));
    expect(storyIds.size).toBe(1);
    const [storyId] = [...storyIds];
    expect(items.map((i) => i.id)).toContain(storyId);
    const members = await deps.stories.members(storyId as string);
    expect(members.map((m) => m.itemId).sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('puts two items of one story in the same feed body into one story', async () => {
    const result = await ingest('mixed', rss('Mixed', [WIRE, REPUBLISHED]));
    expect(result.created).toBe(2);
    expect(result.clustered).toBe(1);
    expect(new Set((await all()).map((i) => i.storyId)).size).toBe(1);
  });

  it('keeps different stories on the same topic apart, and joins a later republication to the stored story', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await ingest('ledger', rss('Ledger', [SAME_TOPIC]), '2026-11-26T11:00:00Z');
    let items = await all();
    expect(new Set(items.map((i) => i.storyId)).size).toBe(2);
    expect(items.every((i) => i.storyId === i.id)).toBe(true);
    await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T12:00:00Z');
    items = await all();
    const wire = items.find((i) => i.url === WIRE.link);
    expect(items.find((i) => i.url === REPUBLISHED.link)?.storyId).toBe(wire?.id);
    expect(items.find((i) => i.url === SAME_TOPIC.link)?.storyId).not.toBe(wire?.id);
    expect((await deps.stories.members(wire?.id as string)).map((m) => m.sourceIds[0])).toEqual(['wire', 'courier']);
  });

  it('stores signatures that compare like the originals, and re-running an ingest writes nothing new', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    const [item] = await all();
    const stored = (await deps.stories.signatures([item?.id as string])).get(item?.id as string);
    const sig = itemSignature(item as Item);
    expect(stored?.minhash).toEqual(sig.minhash);
    expect(stored?.size).toBe(sig.size);
    expect(isSameStory({ ...sig }, { minhash: stored?.minhash ?? [], size: stored?.size ?? 0, bands: [] })).toBe(true);
    const again = await ingest('wire', rss('Wire', [WIRE]));
    expect(again.created + again.clustered).toBe(0);
  });

  it('lists the last item written under a band and ranks candidates by shared bands, in one read per call', async () => {
    const sig = { itemId: 'x', minhash: [1, 2, 3], size: 3, storyId: 'x' };
    const member = (id: string) => ({ storyId: id, itemId: id, firstSeenAt: '2026-11-26T00:00:00.000Z', sourceIds: ['s'], title: id });
    const entry = (id: string, bands: string[]) => ({ signature: { ...sig, itemId: id, storyId: id }, bands, member: member(id) });
    await deps.stories.putStories([entry('a', ['f0:one', 'f1:two', 'f2:three']), entry('b', ['f1:two'])]);
    await deps.stories.putStories([entry('c', ['f2:three', 'f3:four'])]);
    expect(await deps.stories.candidates([['f0:one', 'f1:two', 'f2:three'], ['f3:four', 'f2:three'], ['f9:none'], []])).toEqual([['a', 'b', 'c'], ['c'], [], []]);
  });

  it('encodes MinHash values losslessly', () => {
    const values = [0, 1, 0xffffffff, 0x80000000, 123456789];
    expect(decodeMinhash(encodeMinhash(values))).toEqual(values);
  });
});
