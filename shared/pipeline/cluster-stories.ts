/**
 * Story assignment, done in one place (the publisher, before it renders): reads the story inbox the
 * fetchers filled, assigns each new item against the story index (shared/story/story-index.ts),
 * moves the items that joined another story, writes member rows, saves the index and moves its
 * cursor past the inbox objects it consumed (story-inbox.ts). One assigner means two copies of a
 * story fetched by different Lambda containers at the same moment still end in one story.
 *
 * The index is a set of immutable objects: a compacted base and one segment per run that assigned
 * anything (its new entries only); past MAX_INDEX_OBJECTS they are compacted into a new base, pruned
 * to the window. A warm process keeps the parsed index and reads only objects it has not seen.
 *
 * Crash safety: item moves and member rows are written before the segment, the segment before the
 * inbox cursor moves; a re-run skips entries already indexed and repeats nothing else. The segment
 * and the cursor (`finish`) may run while the feeds are rendered: they change no item.
 *
 * Before assigning, the sources of items two fetches created at once are repaired (repair-sources.ts).
 */
import pLimit from 'p-limit';
import { addLostSources, lostSources } from './repair-sources';
import { advanceInbox, readPendingInbox } from './story-inbox';
import type { BlobStore, ItemRepository, StateRepository, StoryMember, StoryRepository } from '../store/ports';
import { sha256Hex } from '../ids';
import {
  parseIndexObject, serialiseIndexObject, STORIES_REJECTED_PREFIX, STORY_INDEX_PREFIX, windowCutoff,
  StoryIndex, type IndexedItem, type InboxEntry,
} from '../story';

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
  /** Items that two sources created at once, whose overwritten source was added back. */
  repaired: number;
}

/** An entry whose item is not stored yet is waited for this long (its fetcher may still be writing). */
export const INBOX_GRACE_MS = 30 * 60_000;
/** Objects read at once. */
const READ_CONCURRENCY = 16;
/** Index objects (base and segments) beyond which they are compacted into one base. */
export const MAX_INDEX_OBJECTS = 48;

/** Moves an unreadable index object aside (under STORIES_REJECTED_PREFIX) so it neither blocks the index nor is lost. */
async function reject(blobs: BlobStore, key: string, bytes: Uint8Array): Promise<string> {
  const target = `${STORIES_REJECTED_PREFIX}${key.replace(/\//g, '_')}`;
  await blobs.put(target, bytes, { contentType: 'application/octet-stream' });
  await blobs.delete([key]);
  return target;
}

/** The parsed index of one bucket and the index objects it holds (a warm process reads only new objects). */
interface LoadedIndex {
  keys: Set<string>;
  index: StoryIndex;
}

const loaded = new WeakMap<BlobStore, LoadedIndex>();

/** The index from its objects, reusing what this process already read; unreadable objects are moved aside. */
async function loadIndex(blobs: BlobStore, rejected: string[]): Promise<LoadedIndex> {
  const keys = await blobs.list(STORY_INDEX_PREFIX);
  const listed = new Set(keys);
  let current = loaded.get(blobs);
  // Another writer compacted (an object we hold is gone): start over.
  if (!current || [...current.keys].some((key) => !listed.has(key))) current = { keys: new Set(), index: new StoryIndex() };
  loaded.set(blobs, current);
  const known = current.keys;
  const limit = pLimit(READ_CONCURRENCY);
  // Read in parallel, added in key (writing) order, so the first entry of an item stays.
  const unread = keys.filter((key) => !known.has(key));
  const bodies = await Promise.all(unread.map((key) => limit(() => blobs.get(key))));
  for (const [i, key] of unread.entries()) {
    const bytes = bodies[i];
    if (!bytes) continue;
    const items = parseIndexObject(bytes);
    if (!items) {
      rejected.push(await reject(blobs, key, bytes));
      continue;
    }
    for (const item of items) current.index.add(item);
    current.keys.add(key);
  }
  return current;
}

/** The key of a new index object: its time first, so listing order is writing order. */
function indexKey(now: Date, body: Buffer, kind: 'base' | 'segment'): string {
  return `${STORY_INDEX_PREFIX}${now.toISOString()}-${kind}-${sha256Hex(body).slice(0, 12)}.json.gz`;
}

/** Writes the run's new entries as a segment; past MAX_INDEX_OBJECTS, compacts everything into a base pruned to the window. */
async function saveIndex(blobs: BlobStore, state: LoadedIndex, fresh: IndexedItem[], now: Date): Promise<void> {
  if (fresh.length > 0) {
    const body = serialiseIndexObject(fresh);
    const key = indexKey(now, body, 'segment');
    await blobs.put(key, body, { contentType: 'application/gzip' });
    state.keys.add(key);
  }
  if (state.keys.size <= MAX_INDEX_OBJECTS) return;
  const pruned = state.index.pruned(windowCutoff(now));
  const body = serialiseIndexObject(pruned.entries());
  const key = indexKey(now, body, 'base');
  await blobs.put(key, body, { contentType: 'application/gzip' });
  const old = [...state.keys];
  state.keys = new Set([key]);
  state.index = pruned;
  await blobs.delete(old);
}

/** The member rows of the first items of stories others joined: from this run's entries, else read (a no-op put when they exist). */
async function firstMembers(items: ItemRepository, index: StoryIndex, storyIds: ReadonlySet<string>, thisRun: ReadonlyMap<string, StoryMember>): Promise<StoryMember[]> {
  const out: StoryMember[] = [];
  const unread: string[] = [];
  for (const id of storyIds) {
    const member = thisRun.get(id);
    if (member) out.push(member);
    else unread.push(id);
  }
  if (unread.length === 0) return out;
  const summaries = await items.itemSummaries(unread);
  for (const id of unread) {
    const summary = summaries.get(id);
    const indexed = index.get(id);
    if (!summary || !indexed) continue;
    out.push({ storyId: id, itemId: id, firstSeenAt: indexed.firstSeenAt, sourceIds: summary.sourceIds, title: summary.title ?? '', ...(summary.url ? { url: summary.url } : {}) });
  }
  return out;
}

/** Assigns the stories of the items in the inbox and saves the index; a no-op when the inbox is empty. */
export async function clusterStories(deps: ClusterDeps, now: Date = new Date()): Promise<ClusterResult> {
  const run = await assignStories(deps, now);
  await run.finish();
  return run.result;
}

/** An assignment whose item moves and member rows are written; `finish` saves the index segment, then moves the inbox cursor past the objects used (and fills in `indexed` and `consumed`). */
export interface AssignedStories {
  result: ClusterResult;
  /** feedVersions this assignment bumped (sources of moved items, repaired sources), as the bumps returned them. */
  bumped: Map<string, number>;
  finish(): Promise<void>;
}

/**
 * Assigns the stories of the items in the inbox and writes what feeds show (item moves, member
 * rows); the index and inbox bookkeeping is left to `finish`, which the publisher runs while it
 * renders. A no-op when the inbox is empty.
 */
export async function assignStories(deps: ClusterDeps, now: Date = new Date()): Promise<AssignedStories> {
  const result: ClusterResult = { inboxObjects: 0, consumed: 0, assigned: 0, joined: 0, waiting: 0, dropped: 0, indexed: 0, rejected: [], repaired: 0 };
  const bumped = new Map<string, number>();
  // The index is listed only once the inbox has items: an S3 LIST costs as much as a PUT, and most
  // runs (two in three with the default rates) find the inbox empty.
  const inbox = await readPendingInbox(deps, result.rejected);
  const readable = inbox.pending;
  // Nothing new: the cursor may still move over objects done before (or moved aside now).
  if (readable.length === 0) return { result, bumped, finish: () => advanceInbox(deps.stories, inbox, [], now) };
  result.inboxObjects = readable.length;
  // The index is read while the summaries of the inbox items are.
  const [state, stored] = await Promise.all([
    loadIndex(deps.blobs, result.rejected),
    deps.items.itemSummaries([...new Set(readable.flatMap((o) => o.entries.map((e) => e.itemId)))]),
  ]);
  const index = state.index;
  const fresh = new Map<string, InboxEntry>();
  for (const o of readable) for (const e of o.entries) if (!index.has(e.itemId) && !fresh.has(e.itemId)) fresh.set(e.itemId, e);
  const entries = readable.flatMap((o) => o.entries);
  const lost = lostSources(entries, stored);
  if (lost.size > 0) {
    for (const [id, sourceIds] of await addLostSources(deps.items, lost)) {
      const summary = stored.get(id);
      if (summary) stored.set(id, { ...summary, sourceIds });
    }
    if (deps.states) for (const [id, v] of await deps.states.markFeedsChanged([...new Set([...lost.values()].flat())])) bumped.set(id, v);
    result.repaired = lost.size;
  }
  const waitingIds = new Set<string>();
  for (const [id, e] of fresh) {
    if (stored.has(id)) continue;
    fresh.delete(id);
    if (now.getTime() - Date.parse(e.firstSeenAt) < INBOX_GRACE_MS) waitingIds.add(id);
    else result.dropped++;
  }
  result.waiting = waitingIds.size;

  const order = [...fresh.values()].sort((a, b) => (a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : a.itemId < b.itemId ? -1 : 1));
  try {
    const members: StoryMember[] = [];
    const moves: { itemId: string; storyId: string }[] = [];
    const movedSources = new Set<string>();
    // A story of one item has no member rows (the item is the story); a story with more lists all.
    // So an entry assigned here (never indexed before) has no member row of its own story to delete
    // when it moves: rows under a story exist only once another item joined it in an earlier run,
    // which indexed it. (A run that crashed before its segment may leave rows under a story id no
    // item carries any more; nothing reads them, as readers go from an item's storyId.)
    const ownStories = new Map<string, StoryMember>();
    const joinedStories = new Set<string>();
    const cutoff = windowCutoff(now);
    for (const entry of order) {
      const { storyId } = index.assign(entry, cutoff);
      const current = stored.get(entry.itemId);
      const sourceIds = current?.sourceIds.length ? current.sourceIds : entry.sourceIds;
      const member: StoryMember = { storyId, itemId: entry.itemId, firstSeenAt: entry.firstSeenAt, sourceIds, title: entry.title, ...(entry.url ? { url: entry.url } : {}) };
      if (storyId === entry.itemId) {
        ownStories.set(storyId, member);
        continue;
      }
      members.push(member);
      joinedStories.add(storyId);
      moves.push({ itemId: entry.itemId, storyId });
      for (const id of sourceIds) movedSources.add(id);
    }
    members.push(...(await firstMembers(deps.items, index, joinedStories, ownStories)));
    result.assigned = order.length;
    result.joined = moves.length;

    // Independent writes, all before the segment. A moved item changes how its sources' feeds group
    // it: they must be re-made even when the fetch that created it was published before.
    await Promise.all([
      deps.stories.setStories(moves),
      deps.states && movedSources.size > 0 ? deps.states.markFeedsChanged([...movedSources]).then((versions) => versions.forEach((v, id) => bumped.set(id, v))) : undefined,
      deps.stories.putMembers(members),
    ]);
  } catch (err) {
    // The in-memory index may hold entries that are not stored: read everything again next time.
    loaded.delete(deps.blobs);
    throw err;
  }
  const finish = async (): Promise<void> => {
    try {
      await saveIndex(deps.blobs, state, order.map((e) => index.get(e.itemId) as IndexedItem), now);
    } catch (err) {
      loaded.delete(deps.blobs);
      throw err;
    }
    result.indexed = state.index.size;
    const done = readable.filter((o) => !o.entries.some((e) => waitingIds.has(e.itemId))).map((o) => o.name);
    await advanceInbox(deps.stories, inbox, done, now);
    result.consumed = done.length;
  };
  return { result, bumped, finish };
}
