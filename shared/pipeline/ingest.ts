/**
 * Ingest one feed body: decode → parse → normalise → dedupe → store. Used by the fetcher for fresh
 * bytes and by `reprocess` for stored raw bytes, so both go through exactly the same code.
 */
import { decodeFeed } from '../decode';
import { assessTrust, guidAndLinkKeys, identityKeys, type EntryIdentity } from '../dedupe/identity';
import { filterSeen, planWrites, type KeyedDraft, type WritePlan } from '../dedupe/plan';
import { VersionConflictError } from '../errors';
import type { FetchSettings } from '../config';
import { createFetchLimiter, type FetchLimiter } from '../fetch';
import { isSharedKey } from '../ids';
import type { CaptureMode, ItemDraft, ParsedEntry, ParsedFeed, RawRef } from '../model';
import { entriesToNormalise, entryFingerprint, entryIdentity, normaliseEntry, type RenderCache } from '../normalise';
import { parseFeed } from '../parse';
import type { BlobStore, ItemRepository, ItemWrite, StoryRepository } from '../store/ports';
import { inboxEntry, inboxObjects, storyMember } from '../story';
import type { CaptureResult } from './capture';
import { keyLocksOf } from './key-locks';
import type { RawLocation } from './raw-store';

/** What ingest needs from the outside world; without `stories` new items are not put in the story inbox, without `pages` no page is captured. */
export interface IngestDeps {
  items: ItemRepository;
  blobs: BlobStore;
  stories?: StoryRepository;
  /** Fetch settings for article capture, and the per-host limiter shared with the rest of the batch. */
  pages?: { settings: FetchSettings; limiter?: FetchLimiter };
}

/** The body to ingest and where it came from. */
export interface IngestInput {
  sourceId: string;
  body: Uint8Array;
  contentType?: string;
  /** Content-Location and Content-Language response headers (document base and default language for parse). */
  contentLocation?: string;
  contentLanguage?: string;
  /** The URL the body was fetched from (base for relative links). */
  feedUrl: string;
  siteUrl?: string;
  fetchedAt: Date;
  /**
   * Where the raw body (gzip) is stored, or its storing still under way: new items point at their
   * entry of it (Item.rawRef), and nothing is written before it is stored, so no rawRef names a
   * missing body. Parsing and the identity lookups go on meanwhile.
   */
  raw?: RawLocation | Promise<RawLocation>;
  /** Fingerprints from the last ingest of this source (or their read, still under way); entries that match are skipped. */
  seen?: string | Promise<string | undefined>;
  /** The source's article capture mode (default off). */
  capture?: CaptureMode;
  /**
   * True when the source has no stored state: no ingest of it ever finished, so its own keys (guid,
   * text hash) can name no row but one an interrupted run wrote under the same derived id, which the
   * new write replaces with the same item. Only its shared keys (links) are looked up.
   */
  firstIngest?: boolean;
}

/** What ingest did. */
export interface IngestResult {
  feed: ParsedFeed;
  itemsInFeed: number;
  created: number;
  updated: number;
  merged: number;
  seen: string;
  /** Encoding used to decode, and whether a declared charset was overridden. */
  encoding: string;
  bozo: boolean;
  /** Pages captured and captures that failed. */
  captured: number;
  captureFailures: number;
  /** Sources whose item lists this ingest changed: every source of every item written (their feeds must be re-published). */
  touchedSources: string[];
}

const MAX_CONFLICT_RETRIES = 3;

/** Where a new or changed item's raw HTML is: its entry of the stored raw body (none without a stored body or raw HTML). */
function rawRefOf(draft: ItemDraft | undefined, raw: RawLocation | undefined, contentType: string | undefined, entries: ReadonlyMap<ItemDraft, number>): RawRef | undefined {
  const entry = draft?.rawHtml !== undefined ? entries.get(draft) : undefined;
  if (entry === undefined || raw === undefined) return undefined;
  return { key: raw.key, ...(raw.range ? { range: raw.range } : {}), entry, ...(contentType ? { contentType } : {}) };
}

/** Counts of what was written for one feed. */
interface WriteCounts {
  touched: Set<string>;
  created: number;
  updated: number;
  merged: number;
  captured: number;
  captureFailures: number;
}

/** Captures the pages of new writes (once per item across re-plans) and puts the results on the items. */
async function capturePages(writes: ItemWrite[], mode: CaptureMode | undefined, done: Map<string, CaptureResult>, deps: IngestDeps, counts: WriteCounts): Promise<void> {
  if (!deps.pages || mode === undefined || mode === 'off') return;
  const fresh = writes.filter((w) => w.kind === 'new' && !done.has(w.item.id)).map((w) => w.item);
  if (fresh.length > 0) {
    const limiter = deps.pages.limiter ?? createFetchLimiter(deps.pages.settings);
    // Loaded on first use: the DOM and Readability are a third of the fetcher's code, and most
    // sources never capture (the bundle keeps them in a separate chunk).
    const { captureItems } = await import('./capture');
    for (const r of await captureItems(fresh, mode, { blobs: deps.blobs, settings: deps.pages.settings, limiter })) {
      done.set(r.itemId, r);
      if (r.error) counts.captureFailures++;
      else counts.captured++;
    }
  }
  for (const w of writes) {
    const r = w.kind === 'new' ? done.get(w.item.id) : undefined;
    if (r?.pageRef) w.item = { ...w.item, pageRef: r.pageRef, ...(r.articleText ? { articleText: r.articleText } : {}) };
  }
}

/**
 * Writes the items; with stories on, new items start as their own story and are first listed in the
 * story inbox (before they are written, so an item that lands is never missing from it: the
 * publisher skips entries whose item never landed), and merged items' member rows are refreshed.
 * Returns the ids whose writes conflicted.
 */
async function writeWithStories(writes: ItemWrite[], attempt: number, sourceId: string, now: Date, deps: IngestDeps): Promise<Set<string>> {
  const stories = deps.stories;
  if (stories) {
    const fresh = writes.filter((w) => w.kind === 'new');
    for (const w of fresh) w.item = { ...w.item, storyId: w.item.id };
    if (fresh.length > 0) {
      // Named by the time of writing (not of the fetch): the publisher's inbox cursor trusts that an
      // object becomes visible within minutes of its name (story-inbox.ts INBOX_LATE_MS).
      await stories.putInbox(inboxObjects(sourceId, new Date(), fresh.map((w) => inboxEntry(w.item))));
    }
  }
  let conflicted = new Set<string>();
  try {
    await deps.items.writeItems(writes);
  } catch (err) {
    if (!(err instanceof VersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
    conflicted = new Set(err.itemIds);
  }
  if (stories) {
    const merged = writes.filter((w) => w.kind === 'merge' && w.item.storyId && !conflicted.has(w.item.id));
    if (merged.length > 0) await stories.putMembers(merged.map((w) => storyMember(w.item, w.item.storyId as string)));
  }
  return conflicted;
}

/**
 * Plans and writes the entries; after a conflict (another writer got there first) only the entries
 * whose writes conflicted are re-planned, and only writes that landed are counted. New items get
 * their page captured (when the source asks for it) before they are written, and a story.
 */
async function planAndWrite(keyed: KeyedDraft[], input: Pick<IngestInput, 'sourceId' | 'capture' | 'raw' | 'contentType' | 'firstIngest'>, entries: ReadonlyMap<ItemDraft, number>, now: Date, deps: IngestDeps): Promise<WriteCounts> {
  const counts: WriteCounts = { touched: new Set(), created: 0, updated: 0, merged: 0, captured: 0, captureFailures: 0 };
  const captures = new Map<string, CaptureResult>();
  let pending = keyed;
  for (let attempt = 0; pending.length > 0; attempt++) {
    // A re-plan after a conflict looks every key up: another writer got there first.
    const ownKeysUnstored = input.firstIngest === true && attempt === 0;
    const keys = [...new Set(pending.flatMap((k) => (ownKeysUnstored ? k.keys.filter(isSharedKey) : k.keys)))];
    const resolved = await deps.items.resolveKeys(keys);
    const existing = await deps.items.getItems([...new Set(resolved.values())]);
    const plan: WritePlan = planWrites(pending, resolved, existing, now);
    if (plan.writes.length === 0) break;
    const raw = await input.raw;
    plan.writes.forEach((w, i) => {
      const ref = rawRefOf(plan.rawFrom[i], raw, input.contentType, entries);
      if (ref) w.item = { ...w.item, rawRef: ref };
    });
    await capturePages(plan.writes, input.capture, captures, deps, counts);
    const conflicted = await writeWithStories(plan.writes, attempt, input.sourceId, now, deps);
    pending = [];
    plan.writes.forEach((w, i) => {
      const origin = plan.origins[i];
      if (!origin) return;
      if (conflicted.has(w.item.id)) pending.push(origin.keyed);
      else {
        for (const id of w.item.sourceIds) counts.touched.add(id);
        if (origin.counts !== 'unchanged') counts[origin.counts]++;
      }
    });
  }
  return counts;
}

/** Decodes, parses, normalises and stores one feed body; throws typed errors from each stage. */
export async function ingestFeed(input: IngestInput, deps: IngestDeps): Promise<IngestResult> {
  // Awaited only before the writes; a failure meanwhile must not count as unhandled.
  if (input.raw instanceof Promise) input.raw.catch(() => undefined);
  const decoded = decodeFeed(input.body, input.contentType);
  const feed = parseFeed(decoded.text, { url: input.feedUrl, contentLocation: input.contentLocation, contentLanguage: input.contentLanguage });
  const ctx = { sourceId: input.sourceId, feedUrl: input.feedUrl, fetchedAt: input.fetchedAt };
  const entries = entriesToNormalise(feed, ctx);
  // Entries are normalised (their HTML sanitised) only when new or changed since the last fetch, or
  // when they have neither guid nor link (their key is their content's).
  const identities = entries.map((entry) => entryIdentity(entry, ctx));
  const trust = assessTrust(identities, [input.siteUrl, feed.link]);
  const cache: RenderCache = new Map();
  const drafts = new Map<number, ItemDraft>();
  const draftOf = (i: number): ItemDraft => {
    let draft = drafts.get(i);
    if (!draft) drafts.set(i, (draft = normaliseEntry(entries[i] as ParsedEntry, feed, ctx, cache)));
    return draft;
  };
  const keyed = entries.map((entry, i) => {
    const keys = guidAndLinkKeys(identities[i] as EntryIdentity, trust);
    return { i, keys: keys.length > 0 ? keys : identityKeys(draftOf(i), trust), fingerprint: entryFingerprint(entry, feed, ctx) };
  });
  const { fresh, seen } = filterSeen(keyed, await input.seen);
  let counts: WriteCounts | undefined;
  if (fresh.length > 0) {
    const freshDrafts = fresh.map(({ i, keys }) => ({ draft: draftOf(i), keys }));
    const release = await keyLocksOf(deps.items).acquire(fresh.flatMap((k) => k.keys.filter(isSharedKey)));
    try {
      counts = await planAndWrite(freshDrafts, input, new Map([...drafts].map(([i, d]) => [d, i])), input.fetchedAt, deps);
    } finally {
      release();
    }
  }
  return {
    feed,
    itemsInFeed: entries.length,
    created: counts?.created ?? 0,
    updated: counts?.updated ?? 0,
    merged: counts?.merged ?? 0,
    seen,
    encoding: decoded.encoding,
    bozo: feed.bozo || decoded.mismatch,
    captured: counts?.captured ?? 0,
    captureFailures: counts?.captureFailures ?? 0,
    touchedSources: counts ? [...counts.touched] : [],
  };
}
