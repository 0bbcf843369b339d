/**
 * Story assignment on dynalite and s3rver: ingest lists new items in the story inbox, the publisher's
 * clusterStories assigns them: one story per republished story, two for two stories on one topic.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../shared/model';
import { clusterStories, INBOX_GRACE_MS, MAX_INDEX_OBJECTS, type ClusterDeps } from '../../shared/pipeline/cluster-stories';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { DynamoStoryRepository } from '../../shared/store/stories';
import { inboxObjects, parseIndexObject, serialiseIndexObject, STORY_INDEX_PREFIX, STORY_WINDOW_DAYS } from '../../shared/story';
import { S3BlobStore } from '../../shared/store/blobs';
import { emptyUsage, trackUsage } from '../../shared/store/usage';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, SAME_TOPIC, WIRE, rss } from './fixtures';

let deps: IngestDeps & ClusterDeps;
let stores: Awaited<ReturnType<typeof createTestStores>>;
let bucket: string;

beforeEach(async () => {
  const config = testConfig();
  bucket = config.bucketName;
  stores = await createTestStores(config);
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
    expect(await deps.stories.readInbox(10)).toHaveLength(1);
    const result = await cluster();
    expect(result).toMatchObject({ inboxObjects: 1, consumed: 1, assigned: 1, joined: 0, indexed: 1 });
    // The consumed object is left to expire; the cursor lists it as done, so the next run has nothing to do.
    expect(await deps.stories.readInbox(10)).toHaveLength(1);
    expect(await cluster()).toMatchObject({ inboxObjects: 0, consumed: 0, assigned: 0 });
    expect((await deps.stories.members(item?.id as string)).map((m) => m.itemId)).toEqual([item?.id]);
  });

  it('lists the story index only when the inbox has items: a run after a busy one that finds it empty lists nothing', async () => {
    let lists = 0;
    const counting = Object.create(deps.blobs) as typeof deps.blobs;
    counting.list = async (prefix) => {
      lists++;
      return deps.blobs.list(prefix);
    };
    const counted = { ...deps, blobs: counting };
    await ingest('wire', rss('Wire', [WIRE]));
    expect((await clusterStories(counted, new Date('2026-11-26T13:00:00Z'))).assigned).toBe(1);
    expect(lists).toBe(1);
    expect((await clusterStories(counted, new Date('2026-11-26T13:05:00Z'))).inboxObjects).toBe(0);
    expect(lists).toBe(1);
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

  it('a join writes the joiner\'s move and the story\'s two member rows, and deletes no row', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T10:05:00Z');
    const usage = emptyUsage();
    trackUsage(stores.clients, usage);
    expect((await cluster()).joined).toBe(1);
    const writes = usage.calls.BatchWriteItemCommand ?? 0;
    // One batch of member rows; the move, the moved item's source's feedVersion and the inbox cursor
    // are updates. Nothing else is written.
    expect(writes).toBe(1);
    expect(usage.calls.UpdateItemCommand).toBe(3);
    expect(usage.ddbRowsWritten).toBe(2 + 3);
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
    const [inbox] = inboxObjects('wire', new Date('2026-11-26T12:59:00Z'), [ghost]);
    await deps.stories.putInbox([inbox as { name: string; body: Buffer }, { name: '2026-11-26T12:00:00.000Z-broken', body: new TextEncoder().encode('not gzip') }]);
    const first = await cluster();
    expect(first).toMatchObject({ waiting: 1, dropped: 0, consumed: 0 });
    expect(first.rejected).toHaveLength(1);
    expect((await deps.stories.readInbox(10)).map((o) => o.name)).toEqual([inbox?.name]);
    expect(first.rejected[0]).toMatch(/^stories\/rejected\/inbox_2026-11-26T12:00:00\.000Z-broken$/);
    expect(Buffer.from((await deps.blobs.get(first.rejected[0] as string)) as Uint8Array).toString()).toBe('not gzip');
    const later = await clusterStories(deps, new Date(Date.parse('2026-11-26T12:59:00Z') + INBOX_GRACE_MS + 1000));
    expect(later).toMatchObject({ waiting: 0, dropped: 1, consumed: 1 });
  });

  it('does not join an item to one first seen before the window, and moves an unreadable index object aside', async () => {
    await ingest('wire', rss('Wire', [WIRE]));
    await cluster();
    const [first] = await deps.blobs.list(STORY_INDEX_PREFIX);
    expect(parseIndexObject((await deps.blobs.get(first as string)) as Uint8Array)?.map((e) => e.firstSeenAt)).toEqual(['2026-11-26T10:00:00.000Z']);
    const late = new Date(Date.parse('2026-11-26T10:00:00Z') + (STORY_WINDOW_DAYS + 1) * 86_400_000);
    await ingest('courier', rss('Courier', [REPUBLISHED]), late.toISOString());
    expect((await clusterStories(deps, late)).joined).toBe(0);
    await deps.blobs.put(`${STORY_INDEX_PREFIX}0000-garbage.json.gz`, 'garbage');
    const fresh = await clusterStories({ ...deps, blobs: new S3BlobStore(stores.clients.s3, bucket) }, late);
    expect(fresh.rejected).toEqual([]); // nothing in the inbox: the index is not read
    await ingest('ledger', rss('Ledger', [SAME_TOPIC]), late.toISOString());
    const next = await clusterStories({ ...deps, blobs: new S3BlobStore(stores.clients.s3, bucket) }, late);
    expect(next.rejected).toEqual([expect.stringContaining('stories/rejected/')]);
    expect(next.indexed).toBe(3);
  });

  it('compacts the index objects into one base once there are more than MAX_INDEX_OBJECTS', async () => {
    for (let i = 0; i <= MAX_INDEX_OBJECTS; i++) {
      const segment = serialiseIndexObject([{ itemId: `seg${i}`, storyId: `seg${i}`, firstSeenAt: '2026-11-26T10:00:00.000Z', minhash: '', size: 0, bands: [] }]);
      await deps.blobs.put(`${STORY_INDEX_PREFIX}2026-11-26T09:${String(i).padStart(2, '0')}:00.000Z-segment-x.json.gz`, segment);
    }
    await ingest('wire', rss('Wire', [WIRE]));
    const result = await cluster();
    expect(result.indexed).toBe(MAX_INDEX_OBJECTS + 2);
    const keys = await deps.blobs.list(STORY_INDEX_PREFIX);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain('-base-');
    expect(parseIndexObject((await deps.blobs.get(keys[0] as string)) as Uint8Array)).toHaveLength(MAX_INDEX_OBJECTS + 2);
  });
});
