/**
 * The story index: the signatures and LSH band lists of the items first seen within the window, held
 * in memory by the one process that assigns stories (the publisher). A new item is compared with the
 * items sharing a band with it; the most similar same-story item gives its story, else the item
 * starts its own. Stored as immutable index objects (a compacted base plus one segment per run that
 * assigned anything), so a run writes only its new entries. Pure: no I/O.
 *
 *   stories/index/<time>-<hash>.json.gz   { v: 1, entries: [{ i: itemId, s: storyId, t: firstSeenAt, m: minhash (base64), n: size, b: bands }] }
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { isSameStory, similarity, type StorySignature } from '../cluster';
import { decodeMinhash, type InboxEntry } from './inbox';

/** Prefix of the index objects. */
export const STORY_INDEX_PREFIX = 'stories/index/';
/** Days an item stays comparable after it was first seen (republications come within hours or days). */
export const STORY_WINDOW_DAYS = 7;
/** The earliest first-seen time (ISO) still inside the window at `now`. */
export function windowCutoff(now: Date): string {
  return new Date(now.getTime() - STORY_WINDOW_DAYS * 86_400_000).toISOString();
}
/** Members of a band beyond which the band says nothing (a boilerplate shingle run): skipped. */
export const BAND_MEMBER_LIMIT = 50;
/** Candidates compared per item, most shared bands first. */
export const CANDIDATE_LIMIT = 100;

/** One indexed item. */
export interface IndexedItem {
  itemId: string;
  storyId: string;
  firstSeenAt: string;
  /** MinHash as base64 of little-endian uint32 (decoded only when compared). */
  minhash: string;
  size: number;
  bands: string[];
}

/** The outcome of assigning one item. */
export interface StoryAssignment {
  itemId: string;
  storyId: string;
  /** Candidates compared. */
  compared: number;
}

function signatureOf(item: Pick<IndexedItem, 'minhash' | 'size'>): StorySignature {
  return { minhash: decodeMinhash(item.minhash), size: item.size, bands: [] };
}

function isIndexed(value: unknown): value is { i: string; s: string; t: string; m: string; n: number; b: string[] } {
  const e = value as Record<string, unknown> | null;
  return (
    typeof e === 'object' && e !== null && typeof e.i === 'string' && typeof e.s === 'string' && typeof e.t === 'string' &&
    typeof e.m === 'string' && typeof e.n === 'number' && Array.isArray(e.b) && e.b.every((b) => typeof b === 'string')
  );
}

/** The index of recent items' signatures by LSH band. */
export class StoryIndex {
  private readonly items = new Map<string, IndexedItem>();
  private readonly byBand = new Map<string, string[]>();

  /** Items indexed. */
  get size(): number {
    return this.items.size;
  }

  /** The indexed item, if any. */
  get(itemId: string): IndexedItem | undefined {
    return this.items.get(itemId);
  }

  /** Adds an item (replacing an earlier entry of the same id is not supported: the first entry stays). */
  add(item: IndexedItem): void {
    if (this.items.has(item.itemId)) return;
    this.items.set(item.itemId, item);
    for (const band of new Set(item.bands)) {
      const list = this.byBand.get(band);
      if (list) list.push(item.itemId);
      else this.byBand.set(band, [item.itemId]);
    }
  }

  /** Ids sharing a band with `bands`, most shared bands first (ties by id); crowded bands and items first seen before `cutoff` are skipped. */
  candidates(bands: readonly string[], self?: string, cutoff?: string): string[] {
    const counts = new Map<string, number>();
    for (const band of new Set(bands)) {
      const list = this.byBand.get(band);
      if (!list || list.length > BAND_MEMBER_LIMIT) continue;
      for (const id of list) {
        if (id === self || (cutoff !== undefined && (this.items.get(id)?.firstSeenAt ?? '') < cutoff)) continue;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, CANDIDATE_LIMIT)
      .map(([id]) => id);
  }

  /**
   * Assigns a new item to a story and indexes it: the most similar same-story candidate (highest
   * estimated containment, ties to the lower item id) gives its story; else the item is its own story.
   * An item already indexed keeps the story it was given; items first seen before `cutoff` are not compared.
   */
  assign(entry: InboxEntry, cutoff?: string): StoryAssignment {
    const known = this.items.get(entry.itemId);
    if (known) return { itemId: entry.itemId, storyId: known.storyId, compared: 0 };
    const sig: StorySignature = { minhash: decodeMinhash(entry.minhash), size: entry.size, bands: entry.bands };
    let best: { item: IndexedItem; score: number } | undefined;
    const ids = entry.bands.length > 0 ? this.candidates(entry.bands, entry.itemId, cutoff) : [];
    for (const id of ids) {
      const other = this.items.get(id) as IndexedItem;
      const otherSig = signatureOf(other);
      if (!isSameStory(sig, otherSig)) continue;
      const score = similarity(sig, otherSig);
      if (!best || score > best.score || (score === best.score && other.itemId < best.item.itemId)) best = { item: other, score };
    }
    const storyId = best?.item.storyId ?? entry.itemId;
    this.add({ itemId: entry.itemId, storyId, firstSeenAt: entry.firstSeenAt, minhash: entry.minhash, size: entry.size, bands: entry.bands });
    return { itemId: entry.itemId, storyId, compared: ids.length };
  }

  /** A copy without the items first seen before `cutoff` (ISO time). */
  pruned(cutoff: string): StoryIndex {
    const out = new StoryIndex();
    for (const item of this.items.values()) if (item.firstSeenAt >= cutoff) out.add(item);
    return out;
  }

  /** Every indexed item, in the order added. */
  entries(): IndexedItem[] {
    return [...this.items.values()];
  }
}

/** A gzipped index object holding `items`. */
export function serialiseIndexObject(items: readonly IndexedItem[]): Buffer {
  const entries = items.map((e) => ({ i: e.itemId, s: e.storyId, t: e.firstSeenAt, m: e.minhash, n: e.size, b: e.bands }));
  return gzipSync(Buffer.from(JSON.stringify({ v: 1, entries }), 'utf8'));
}

/** The items of an index object; undefined when the bytes are not one (corrupt or foreign). */
export function parseIndexObject(bytes: Uint8Array): IndexedItem[] | undefined {
  let doc: { v?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as typeof doc;
  } catch {
    return undefined;
  }
  if (doc.v !== 1 || !Array.isArray(doc.entries) || !doc.entries.every(isIndexed)) return undefined;
  return doc.entries.map((e) => ({ itemId: e.i, storyId: e.s, firstSeenAt: e.t, minhash: e.m, size: e.n, bands: e.b }));
}
