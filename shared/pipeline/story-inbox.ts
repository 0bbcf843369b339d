/**
 * The assigner's way through the story inbox. Consumed objects are not deleted (a delete costs as
 * much as the put: ~80 of the steady cycle's 338 write units went to the inbox); they expire by TTL
 * and a cursor says how far the assigner got: every object named up to `through` is done, and so is
 * each object listed in `done`. An object's name starts with the time it was written, and a write
 * becomes visible within INBOX_LATE_MS of it, so `through` only passes objects older than that; the
 * younger ones that are done are listed instead, and read again (and skipped) until it passes them.
 * Re-reading costs a quarter of a read unit per KB, far less than a delete, except after a burst (a
 * cold cycle writes ~40 MB of inbox at once): done objects the cursor cannot pass yet are deleted
 * when they add up to more than REREAD_LIMIT_BYTES, so the next run does not read them again.
 * Unreadable objects are moved aside into the bucket, so they neither block the inbox nor are lost.
 */
import type { BlobStore, InboxCursor, StoryRepository } from '../store/ports';
import { STORIES_REJECTED_PREFIX, parseInboxObject, type InboxEntry } from '../story';

/** How long after the time in its name an inbox object may still become visible: its batched write with retries, and clock skew. */
export const INBOX_LATE_MS = 5 * 60_000;
/** Inbox objects read per run at most (the rest wait for the next run). */
export const MAX_INBOX_OBJECTS = 5_000;
/** Objects the cursor lists as done at most; beyond, the newest are read again and skipped by the story index. */
export const CURSOR_DONE_LIMIT = 2_000;
/** Objects older than this are deleted by the assigner: on an engine without TTL (dynalite), or written before objects had one. */
export const INBOX_SWEEP_DAYS = 14;
/** Bytes of done objects the next run may read again; beyond, they are deleted instead. */
export const REREAD_LIMIT_BYTES = 256 * 1024;
/** Objects swept per run at most. */
const SWEEP_LIMIT = 500;
/** A process sweeps at most this often (old objects are rare: a Query per publish would find none). */
const SWEEP_EVERY_MS = 24 * 3_600_000;
/** When this process last swept (ms since the epoch, by the run's clock). */
let lastSweep = -Infinity;
/** The cursor's `through` as this process last read or stored it, per inbox (undefined: never seen, or the cursor had none). */
const knownThrough = new WeakMap<StoryRepository, { through: string | undefined }>();

/** An inbox object the assigner has not done yet. */
export interface PendingObject {
  name: string;
  entries: InboxEntry[];
}

/** What one run read of the inbox. */
export interface InboxRead {
  cursor: InboxCursor;
  /** Objects not done yet, oldest first. */
  pending: PendingObject[];
  /** Every object name read (done ones included) and those moved aside, oldest first. */
  names: string[];
  /** Bytes of each object read, by name. */
  sizes: Map<string, number>;
  /** Names of the objects moved aside (done: nothing to assign). */
  rejectedNames: string[];
}

async function reject(deps: { blobs: BlobStore; stories: StoryRepository }, name: string, body: Uint8Array): Promise<string> {
  const target = `${STORIES_REJECTED_PREFIX}inbox_${name.replace(/\//g, '_')}`;
  await deps.blobs.put(target, body, { contentType: 'application/octet-stream' });
  await deps.stories.deleteInbox([name]);
  return target;
}

/** The objects after the cursor that are not done, oldest first; unreadable ones are moved aside (their new keys added to `rejected`). */
export async function readPendingInbox(deps: { blobs: BlobStore; stories: StoryRepository }, rejected: string[]): Promise<InboxRead> {
  // A process that knows where the cursor was reads the inbox from there while it reads the cursor;
  // when the cursor has moved (another process ran), it reads again from the cursor's place.
  const known = knownThrough.get(deps.stories);
  const early = known ? deps.stories.readInbox(MAX_INBOX_OBJECTS, known.through) : undefined;
  early?.catch(() => undefined);
  const cursor = await deps.stories.inboxCursor();
  knownThrough.set(deps.stories, { through: cursor.through });
  const objects = early && known?.through === cursor.through ? await early : await deps.stories.readInbox(MAX_INBOX_OBJECTS, cursor.through);
  const done = new Set(cursor.done);
  const read: InboxRead = { cursor, pending: [], names: [], sizes: new Map(), rejectedNames: [] };
  for (const object of objects) {
    read.names.push(object.name);
    read.sizes.set(object.name, object.body.byteLength);
    if (done.has(object.name)) continue;
    const entries = parseInboxObject(object.body);
    if (entries) read.pending.push({ name: object.name, entries });
    else {
      rejected.push(await reject(deps, object.name, object.body));
      read.rejectedNames.push(object.name);
    }
  }
  return read;
}

/** The cursor after a run that finished the objects named `finished`: `through` moves over every done object older than the visibility horizon. */
export function nextCursor(read: InboxRead, finished: readonly string[], now: Date): InboxCursor {
  const done = new Set([...read.cursor.done, ...finished, ...read.rejectedNames]);
  const horizon = new Date(now.getTime() - INBOX_LATE_MS).toISOString();
  let through = read.cursor.through;
  for (const name of read.names) {
    // A name starts with its ISO time: one at or after the horizon sorts after it.
    if (!done.has(name) || name >= horizon) break;
    through = name;
  }
  const still = [...done].filter((name) => through === undefined || name > through).sort();
  return { ...(through !== undefined ? { through } : {}), done: still.slice(0, CURSOR_DONE_LIMIT) };
}

/**
 * Stores the cursor when it moved (deleting the done objects it cannot pass yet instead of listing
 * them, when they are many bytes), and, once a day per process, deletes objects older than
 * INBOX_SWEEP_DAYS (none where TTL already did).
 */
export async function advanceInbox(stories: StoryRepository, read: InboxRead, finished: readonly string[], now: Date): Promise<void> {
  let next = nextCursor(read, finished, now);
  const listedBytes = next.done.reduce((n, name) => n + (read.sizes.get(name) ?? 0), 0);
  if (listedBytes > REREAD_LIMIT_BYTES) {
    await stories.deleteInbox(next.done.filter((name) => read.sizes.has(name)));
    next = { ...next, done: next.done.filter((name) => !read.sizes.has(name)) };
  }
  const before = [...read.cursor.done].sort();
  const same = next.through === read.cursor.through && next.done.length === before.length && next.done.every((name, i) => name === before[i]);
  const sweep = Math.abs(now.getTime() - lastSweep) >= SWEEP_EVERY_MS;
  if (sweep) lastSweep = now.getTime();
  await Promise.all([
    same ? undefined : stories.setInboxCursor(next).then(() => knownThrough.set(stories, { through: next.through })),
    sweep ? stories.sweepInbox(new Date(now.getTime() - INBOX_SWEEP_DAYS * 86_400_000).toISOString(), SWEEP_LIMIT) : undefined,
  ]);
}
