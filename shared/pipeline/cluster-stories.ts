/**
 * Story assignment, done in one place (the publisher, before it renders): reads the story inbox the
 * fetchers filled, assigns each new item against the story index (shared/story/story-index.ts),
 * moves the items that joined another story, writes member rows, saves the index and deletes the
 * inbox objects it consumed. One assigner means two copies of a story fetched by different Lambda
 * containers at the same moment still end in one story.
 *
 * Crash safety: item moves and member rows are written before the index, the index before the inbox
 * is deleted; a re-run skips entries already indexed and repeats nothing else.
 */
import pLimit from 'p-limit';
import type { BlobStore, ItemRepository, StateRepository, StoryMember, StoryRepository } from '../store/ports';
import { INBOX_PREFIX, parseInboxObject, STORIES_PREFIX, STORY_INDEX_KEY, STORY_WINDOW_DAYS, StoryIndex, type InboxEntry } from '../story';

/** What story assignment needs; with `states`, the sources of moved items are marked for re-publishing. */
export interface ClusterDeps {
  blobs: BlobStore;
  items: ItemRepository;
  stories: StoryRepository;
  states?: StateRepository;
}

/** What one run did. */
export interface ClusterResult {
  /** Inbox objects read, and those deleted after use. */
  inboxObjects: number;
  consumed: number;
  /** New items assigned, and of those the ones that joined another item's story. */
  assigned: number;
  joined: number;
  /** Entries whose item has not landed yet (kept for the next run), and entries dropped because it never did. */
  waiting: number;
  dropped: number;
  /** Items in the saved index. */
  indexed: number;
  /** Unreadable objects moved aside under stories/rejected/ (the index or inbox objects). */
  rejected: string[];
}

/** An entry whose item is not stored yet is waited for this long (its fetcher may still be writing). */
export const INBOX_GRACE_MS = 30 * 60_000;
/** Inbox objects read per run at most (the rest wait for the next run). */
export const MAX_INBOX_OBJECTS = 5_000;
/** Objects read at once. */
const READ_CONCURRENCY = 8;
/** Prefix unreadable objects are moved to (kept for inspection, never deleted). */
const REJECTED_PREFIX = `${STORIES_PREFIX}rejected/`;

/** Moves an unreadable object aside so it neither blocks the inbox nor is lost. */
async function reject(blobs: BlobStore, key: string, bytes: Uint8Array): Promise<string> {
  const target = `${REJECTED_PREFIX}${key.replace(/\//g, '_')}`;
  await blobs.put(target, bytes, { contentType: 'application/octet-stream' });
  await blobs.delete([key]);
  return target;
}

/** The index pruned to the window; an unreadable index is moved aside and replaced by an empty one. */
async function loadIndex(blobs: BlobStore, now: Date, rejected: string[]): Promise<StoryIndex> {
  const bytes = await blobs.get(STORY_INDEX_KEY);
  if (!bytes) return new StoryIndex();
  const index = StoryIndex.parse(bytes);
  if (!index) {
    rejected.push(await reject(blobs, STORY_INDEX_KEY, bytes));
    return new StoryIndex();
  }
  return index.pruned(new Date(now.getTime() - STORY_WINDOW_DAYS * 86_400_000).toISOString());
}

/** Assigns the stories of the items in the inbox and saves the index; a no-op when the inbox is empty. */
export async function clusterStories(deps: ClusterDeps, now: Date = new Date()): Promise<ClusterResult> {
  const result: ClusterResult = { inboxObjects: 0, consumed: 0, assigned: 0, joined: 0, waiting: 0, dropped: 0, indexed: 0, rejected: [] };
  const keys = (await deps.blobs.list(INBOX_PREFIX)).slice(0, MAX_INBOX_OBJECTS);
  if (keys.length === 0) return result;
  result.inboxObjects = keys.length;
  const index = await loadIndex(deps.blobs, now, result.rejected);

  const limit = pLimit(READ_CONCURRENCY);
  const objects = await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const bytes = await deps.blobs.get(key);
        if (!bytes) return { key, entries: [] as InboxEntry[] };
        const entries = parseInboxObject(bytes);
        if (entries === undefined) {
          result.rejected.push(await reject(deps.blobs, key, bytes));
          return undefined;
        }
        return { key, entries };
      }),
    ),
  );
  const readable = objects.filter((o): o is { key: string; entries: InboxEntry[] } => o !== undefined);

  const fresh = new Map<string, InboxEntry>();
  for (const o of readable) for (const e of o.entries) if (!index.get(e.itemId) && !fresh.has(e.itemId)) fresh.set(e.itemId, e);
  const stored = await deps.items.itemSummaries([...fresh.keys()]);
  const waitingIds = new Set<string>();
  for (const [id, e] of fresh) {
    if (stored.has(id)) continue;
    fresh.delete(id);
    if (now.getTime() - Date.parse(e.firstSeenAt) < INBOX_GRACE_MS) waitingIds.add(id);
    else result.dropped++;
  }
  result.waiting = waitingIds.size;

  const order = [...fresh.values()].sort((a, b) => (a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : a.itemId < b.itemId ? -1 : 1));
  const members: StoryMember[] = [];
  const moves: { itemId: string; storyId: string }[] = [];
  const movedSources = new Set<string>();
  const leftBehind: Pick<StoryMember, 'storyId' | 'itemId' | 'firstSeenAt'>[] = [];
  for (const entry of order) {
    const { storyId } = index.assign(entry);
    const current = stored.get(entry.itemId);
    const sourceIds = current?.sourceIds.length ? current.sourceIds : entry.sourceIds;
    members.push({ storyId, itemId: entry.itemId, firstSeenAt: entry.firstSeenAt, sourceIds, title: entry.title, ...(entry.url ? { url: entry.url } : {}) });
    if (storyId !== entry.itemId) {
      moves.push({ itemId: entry.itemId, storyId });
      for (const id of sourceIds) movedSources.add(id);
      leftBehind.push({ storyId: entry.itemId, itemId: entry.itemId, firstSeenAt: entry.firstSeenAt });
    }
  }
  result.assigned = order.length;
  result.joined = moves.length;

  await deps.stories.setStories(moves);
  // A moved item changes how its sources' feeds group it: they must be re-made even when the
  // fetch that created it was published before (a late landing, or a backlog beyond one run).
  if (deps.states && movedSources.size > 0) await deps.states.markFeedsChanged([...movedSources]);
  await deps.stories.putMembers(members);
  await deps.stories.deleteMembers(leftBehind);
  if (order.length > 0) await deps.blobs.put(STORY_INDEX_KEY, index.serialise(), { contentType: 'application/gzip' });
  result.indexed = index.size;
  const done = readable.filter((o) => !o.entries.some((e) => waitingIds.has(e.itemId))).map((o) => o.key);
  await deps.blobs.delete(done);
  result.consumed = done.length;
  return result;
}
