/**
 * The storage ports the pipeline depends on. The other files of shared/store
 * implement them with the AWS SDK v3 (items.ts, state.ts, blobs.ts, dispatch.ts); the pipeline and the stages never see an SDK type.
 */
import type { Item, Source, SourceState } from '../model';

/** A new, changed or merged item to write, with the identity keys that must point at it. */
export interface ItemWrite {
  item: Item;
  /** Identity keys that resolve to `item.id` through an alias row (every key but the one the id derives from). */
  aliasKeys: string[];
  /** 'new': the item did not exist; 'update': same source changed it; 'merge': another source carries it. */
  kind: 'new' | 'update' | 'merge';
  /** For 'update' and 'merge': the `version` read, for optimistic locking. */
  expectedVersion?: number;
  /** For 'merge': the source that joined (gets a membership row for per-source listing). */
  joinedSourceId?: string;
}

/** What itemSummaries reads of an item. */
export interface ItemSummary {
  sourceIds: string[];
  storyId?: string;
  title?: string;
  url?: string;
}

/** Options for listing the newest items. */
export interface NewestQuery {
  limit: number;
  sourceId?: string;
  /** ISO bounds on sortDate, inclusive. */
  since?: string;
  until?: string;
  /** Opaque cursor returned by a previous page. */
  cursor?: string;
}

/** A page of items, newest first. */
export interface ItemPage {
  items: Item[];
  cursor?: string;
}

/** Items, their identity keys and the newest-items index (DynamoDB). */
export interface ItemRepository {
  /** For each identity key that is known, the id of the item it belongs to. */
  resolveKeys(keys: string[]): Promise<Map<string, string>>;
  /** Items by id (missing ids are absent from the map), with their `version`; strongly consistent unless `eventual` (half the read units). */
  getItems(ids: string[], options?: { eventual?: boolean }): Promise<Map<string, Item & { version: number }>>;
  /** The sources, story, title and link of stored items (a light read: no content); missing ids are absent. */
  itemSummaries(ids: string[]): Promise<Map<string, ItemSummary>>;
  /** Writes items idempotently; throws VersionConflictError (errors.ts) when an expectedVersion no longer holds. */
  writeItems(writes: ItemWrite[]): Promise<void>;
  /** Newest items (by sortDate, then id) across all sources or one source, without a scan. */
  newest(query: NewestQuery): Promise<ItemPage>;
}

/** A summary of one fetch cycle, kept for the status page. */
export interface CycleRecord {
  startedAt: string;
  finishedAt: string;
  sources: number;
  /** Sources the scheduler dispatched (the others were not due). */
  due?: number;
  /** True when the scheduler dispatched every source, due or not (`{"force": true}`). */
  forced?: boolean;
  ok: number;
  notModified: number;
  failed: number;
  itemsNew: number;
  itemsUpdated: number;
  itemsMerged: number;
  bytes: number;
}

/** The counts a fetcher invocation (one job) adds to its cycle. */
export type CycleCounts = Pick<CycleRecord, 'ok' | 'notModified' | 'failed' | 'itemsNew' | 'itemsUpdated' | 'itemsMerged' | 'bytes'>;

/** Options of a state write. */
export interface PutStateOptions {
  /** Bump the state's feedVersion: this fetch changed the source's item list. */
  feedChanged?: boolean;
  /**
   * The writtenAt of the state this write was worked out from (null: it had none): the write happens
   * only if the stored state is still that one, else StaleStateError. Absent: unconditional.
   */
  expectedWrittenAt?: string | null;
}

/** Per-source state and cycle history (DynamoDB). */
export interface StateRepository {
  getStates(sourceIds: string[]): Promise<Map<string, SourceState>>;
  /** Replaces a source's state (stamping writtenAt), except feedVersion, which only ever grows (see markFeedsChanged); StaleStateError when expectedWrittenAt no longer holds. */
  putState(state: SourceState, options?: PutStateOptions): Promise<void>;
  /** A source's entry fingerprints (SourceState.seen) as putState last stored them; states as read do not carry them. */
  getSeen(sourceId: string): Promise<string | undefined>;
  /** Bumps the feedVersion of each source (one small update each, never clobbering the rest of its state); returns the versions the bumps gave. */
  markFeedsChanged(sourceIds: string[]): Promise<Map<string, number>>;
  /** Every stored source state (one Query, no scan). */
  listStates(): Promise<SourceState[]>;
  /** Every stored source's feedVersion (0 when never bumped): a projected read, for the publisher's change check. */
  feedVersions(): Promise<Map<string, number>>;
  putCycle(cycle: CycleRecord): Promise<void>;
  /** The cycles that started at or after `since`, oldest first (one Query). */
  cyclesSince(since: string): Promise<CycleRecord[]>;
  /** Adds one fetch job's counts to a cycle atomically and moves its finishedAt (fetchers run in parallel). */
  addToCycle(startedAt: string, counts: CycleCounts, finishedAt: string): Promise<void>;
  /** The most recent cycles, newest first. */
  recentCycles(limit: number): Promise<CycleRecord[]>;
}

/** Options for a blob write. */
export interface BlobPutOptions {
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
}

/** Raw feed bytes (which hold the raw item HTML), published feeds, story objects, the sources file (S3). */
export interface BlobStore {
  put(key: string, body: Uint8Array | string, options?: BlobPutOptions): Promise<void>;
  /** The object's bytes (or a byte range of them); undefined when there is no such key. */
  get(key: string, range?: { offset: number; length: number }): Promise<Uint8Array | undefined>;
  /** The object's bytes and ETag, 'unchanged' when its ETag is still `etag` (nothing is transferred), undefined when there is no such key. */
  getIfChanged(key: string, etag: string | undefined): Promise<{ bytes: Uint8Array; etag?: string } | 'unchanged' | undefined>;
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** Deletes objects; keys that do not exist are ignored. */
  delete(keys: string[]): Promise<void>;
}

/** One source of a fetch job, with the state the scheduler read: `null` = it has none yet; absent = not carried (the fetcher reads it). */
export interface JobSource {
  source: Source;
  state?: SourceState | null;
}

/** What the scheduler hands one fetcher invocation: sources of one cycle (see shared/pipeline/jobs.ts for sizes). */
export interface FetchJob {
  /** The cycle (its startedAt) the scheduler opened for these sources, for the cycle's counts and the replay. */
  cycle?: string;
  sources: JobSource[];
  /** Earlier attempts of this job (set by a local re-run); past 0 the carried states may be stale and are read again. */
  attempt?: number;
}

/** Hands fetch jobs to fetcher invocations (asynchronous Lambda invokes in AWS, in-process locally). */
export interface FetchDispatcher {
  /** Hands every job over; throws StoreError when any could not be. */
  dispatch(jobs: FetchJob[]): Promise<void>;
}

/** One item of a story, as the story lists it (in arrival order). */
export interface StoryMember {
  storyId: string;
  itemId: string;
  /** When the item was first stored: the member's place in the story. */
  firstSeenAt: string;
  sourceIds: string[];
  url?: string;
  title: string;
}

/** Story membership (DynamoDB): member rows and the item's storyId. */
export interface StoryRepository {
  /** Moves items into other stories (sets storyId, bumps the version); returns the ids of items that do not exist. */
  setStories(moves: { itemId: string; storyId: string }[]): Promise<string[]>;
  /** Writes member rows (idempotent: a re-run rewrites the same rows). */
  putMembers(members: StoryMember[]): Promise<void>;
  /** The members of a story in arrival order (empty when the story is unknown). */
  members(storyId: string): Promise<StoryMember[]>;
  /** Adds story-inbox objects (shared/story/inbox.ts) in one batched write; a name sorts by creation time. Each expires (TTL) INBOX_RETENTION_DAYS after it. */
  putInbox(objects: InboxObject[]): Promise<void>;
  /** The oldest `limit` inbox objects named after `after` (all when absent), oldest first. */
  readInbox(limit: number, after?: string): Promise<InboxObject[]>;
  /** Removes inbox objects by name (an unreadable one, moved aside). */
  deleteInbox(names: string[]): Promise<void>;
  /** Where the assigner is in the inbox (strongly consistent); an empty cursor when it never ran. */
  inboxCursor(): Promise<InboxCursor>;
  /** Stores where the assigner is in the inbox. */
  setInboxCursor(cursor: InboxCursor): Promise<void>;
  /** Deletes up to `limit` inbox objects named before `before` (for engines without TTL, and objects written without one); returns how many. */
  sweepInbox(before: string, limit: number): Promise<number>;
}

/** The assigner's place in the inbox: every object named up to `through` is done, and so are those named in `done` (all after it). */
export interface InboxCursor {
  through?: string;
  done: string[];
}

/** A story-inbox object: its name (creation time first) and its encoded entries. */
export interface InboxObject {
  name: string;
  body: Uint8Array;
}
