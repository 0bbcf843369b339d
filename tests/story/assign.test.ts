/**
 * Story assignment on dynalite and s3rver: ingest lists new items in the story inbox, the publisher's
 * clusterStories assigns them: one story per republished story, two for two stories on one topic.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../shared/model';
import { clusterStories, INBOX_GRACE_MS, type ClusterDeps } from '../../shared/pipeline/cluster-stories';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { DynamoStoryRepository } from '../../shared/store/stories';
import { INBOX_PREFIX, inboxObject, STORY_INDEX_KEY, StoryIndex, STORY_WINDOW_DAYS } from '../../shared/story';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, SAME_TOPIC, WIRE, rss } from './fixtures';

let deps: IngestDeps & ClusterDeps;

beforeEach(async () => {
  const config = testConfig();
  const stores = await createTestStores(config);
  deps = { items: stores.items, blobs: stores.blobs, states: stores.states, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
});

const ingest = (sourceId: string, body: Uint8Array, at = '2026-11-26T10:00:00Z') =>
  ingestFeed({ sourceId, body, feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date(at) }, deps);

const cluster = (at = '2026-11-26T13:00:00Z') => clusterStories(deps, new Date(at));

async function all(): Promise<Item[]> {
  return (await deps.items.newest({ limit: 100 })).items;
}

describe('story assignment', () => {
  it('new items start as their own story and are listed in the inbox until the assigner runs', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    const [item] = await all();
    expect(item?.storyId).toBe(item?.id);
    expect(await deps.blobs.list(INBOX_PREFIX)).toHaveLength(1);
    const result = await cluster();
    expect(result).toMatchObject({ inboxObjects: 1, consumed: 1, assigned: 1, joined: 0, indexed: 1 });
    expect(await deps.blobs.list(INBOX_PREFIX)).toEqual([]);
    expect((await deps.stories.members(item?.id as string)).map((m) => m.itemId)).toEqual([item?.id]);
  });

  it('puts the same story from two sources ingested concurrently into one story, listed in arrival order', async () => {
    const [a, b] = await Promise.all([ingest('wire', rss('Wire', [WIRE])), ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T10:05:00Z')]);
    expect(a.created + b.created).toBe(2);
    expect((await cluster()).joined).toBe(1);
    const items = await all();
    expect(items).toHaveLength(2);
    const storyIds = new Set(items.map((i) => i.storyId));
    expect(storyIds.size).toBe(1);
    const [storyId] = [...storyIds];
    const wire = items.find((i) => i.url === WIRE.link);
    expect(storyId).toBe(wire?.id);
    const members = await deps.stories.members(storyId as string);
    expect(members.map((m) => m.sourceIds[0])).toEqual(['wire', 'courier']);
    const courier = items.find((i) => i.url === REPUBLISHED.link);
    expect(await deps.stories.members(courier?.id as string)).toEqual([]);
  });

  it('puts two items of one story in the same feed body into one story', async () => {
    const result = await ingest('mixed', rss('Mixed', [WIRE, REPUBLISHED]));
    expect(result.created).toBe(2);
    expect((await cluster()).joined).toBe(1);
    expect(new Set((await all()).map((i) => i.storyId)).size).toBe(1);
  });

  it('keeps different stories on the same topic apart, and joins a later republication to the stored story', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await ingest('ledger', rss('Ledger', [SAME_TOPIC]), '2026-11-26T11:00:00Z');
    await cluster('2026-11-26T11:30:00Z');
    let items = await all();
    expect(new Set(items.map((i) => i.storyId)).size).toBe(2);
    expect(items.every((i) => i.storyId === i.id)).toBe(true);
    await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T12:00:00Z');
    const before = await deps.states?.getStates(['courier', 'ledger']);
    await cluster();
    const after = await deps.states?.getStates(['courier', 'ledger']);
    // The moved item's source must be re-published; an unrelated source is not touched.
    expect(after?.get('courier')?.feedVersion ?? 0).toBe((before?.get('courier')?.feedVersion ?? 0) + 1);
    expect(after?.get('ledger')?.feedVersion).toBe(before?.get('ledger')?.feedVersion);
    items = await all();
    const wire = items.find((i) => i.url === WIRE.link);
    expect(items.find((i) => i.url === REPUBLISHED.link)?.storyId).toBe(wire?.id);
    expect(items.find((i) => i.url === SAME_TOPIC.link)?.storyId).not.toBe(wire?.id);
    expect((await deps.stories.members(wire?.id as string)).map((m) => m.sourceIds[0])).toEqual(['wire', 'courier']);
  });

  it('a re-run of ingest and of the assigner changes nothing; an owner update keeps the assigned story', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T10:05:00Z');
    await cluster();
    const again = await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T10:05:00Z');
    expect(again.created + again.updated).toBe(0);
    expect(await cluster()).toMatchObject({ inboxObjects: 0, assigned: 0 });
    const edited = await ingest('courier', rss('Courier', [{ ...REPUBLISHED, title: `${REPUBLISHED.title} (corrected)` }]), '2026-11-26T14:00:00Z');
    expect(edited.updated).toBe(1);
    const items = await all();
    const wire = items.find((i) => i.url === WIRE.link);
    expect(items.find((i) => i.url === REPUBLISHED.link)?.storyId).toBe(wire?.id);
  });

  it('waits for an entry whose item has not landed, drops it after the grace period, and moves unreadable objects aside', async () => {
    const ghost = { itemId: 'ghost', firstSeenAt: '2026-11-26T12:59:00.000Z', sourceIds: ['wire'], title: 'Ghost', minhash: '', size: 0, bands: [] };
    const inbox = inboxObject('wire', new Date('2026-11-26T12:59:00Z'), [ghost]);
    await deps.blobs.put(inbox.key, inbox.body);
    await deps.blobs.put(`${INBOX_PREFIX}broken.json.gz`, 'not gzip');
    const first = await cluster();
    expect(first).toMatchObject({ waiting: 1, dropped: 0, consumed: 0 });
    expect(first.rejected).toHaveLength(1);
    expect(await deps.blobs.list(INBOX_PREFIX)).toEqual([inbox.key]);
    expect(await deps.blobs.get(first.rejected[0] as string)).toBeDefined();
    const later = await clusterStories(deps, new Date(Date.parse('2026-11-26T12:59:00Z') + INBOX_GRACE_MS + 1000));
    expect(later).toMatchObject({ waiting: 0, dropped: 1, consumed: 1 });
  });

  it('forgets items first seen before the window, and replaces an unreadable index', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await cluster();
    const index = StoryIndex.parse((await deps.blobs.get(STORY_INDEX_KEY)) as Uint8Array);
    expect(index?.size).toBe(1);
    await ingest('ledger', rss('Ledger', [SAME_TOPIC]), '2026-12-20T10:00:00Z');
    const result = await clusterStories(deps, new Date(Date.parse('2026-11-26T10:00:00Z') + (STORY_WINDOW_DAYS + 1) * 86_400_000));
    expect(result.indexed).toBe(1);
    await deps.blobs.put(STORY_INDEX_KEY, 'garbage');
    await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-12-20T11:00:00Z');
    const fresh = await clusterStories(deps, new Date('2026-12-20T12:00:00Z'));
    expect(fresh.rejected).toEqual([expect.stringContaining('stories/rejected/')]);
    expect(fresh.indexed).toBe(1);
  });
});
